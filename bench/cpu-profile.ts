/**
 * bench/cpu-profile.ts: where a page's main thread spends its time during a benchmark step, from the
 * Chrome DevTools protocol's sampling profiler (Profiler.start / stop through Playwright's CDP session):
 * self time summed by function (name, file, line), the largest first. Bundled names are what the
 * build kept; the file and line point into dist-web's chunk.
 *
 *   const profile = await startCpuProfile(page)  ─►  the step  ─►  await profile.stop(20)
 *
 * Sampling every 100 µs; the numbers are samples × interval, so small totals are rough.
 */
import type { Page } from '@playwright/test';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
}

export interface SelfTime {
  readonly fn: string;
  readonly ms: number;
}

export async function startCpuProfile(page: Page): Promise<{ stop(top: number): Promise<SelfTime[]> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  return {
    async stop(top) {
      const { profile } = await cdp.send('Profiler.stop');
      await cdp.detach();
      const nodes = new Map<number, ProfileNode>(profile.nodes.map((n) => [n.id, n]));
      const self = new Map<string, number>();
      profile.samples?.forEach((id, i) => {
        const frame = nodes.get(id)?.callFrame;
        const name = frame
          ? `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop() ?? ''}:${frame.lineNumber + 1}`
          : '?';
        self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas?.[i] ?? 0) / 1000);
      });
      return [...self]
        .map(([fn, ms]) => ({ fn, ms: Math.round(ms * 10) / 10 }))
        .sort((a, b) => b.ms - a.ms)
        .slice(0, top);
    },
  };
}
