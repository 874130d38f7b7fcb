/**
 * bench/grid.ts: does the explorer's virtualized grid stay smooth at 100k rows? Drives the real
 * DataGrid (renderer/harness/grid-bench.html, a page of the harness build) in the system Chromium:
 *
 *   npm run harness:build && npx tsx bench/grid.ts [--runs 3] [--rows 100000] [--compare 1000] [--latency 5]
 *
 * (if dist-harness/ lacks the page, the script runs `npx vite build --config vite.harness.config.ts` itself;
 * `npm run bench:grid` builds it first.)
 *
 *   dist-harness/ ──node:http on 127.0.0.1:<free port>──► /usr/bin/chromium (headless, 1280x720)
 *   per run, per table size (--rows, then --compare; the order alternates between runs), a fresh page:
 *     a. steady scroll: scrollTop advanced every frame at 3,000 px/s for 5 s
 *     b. jumps: scrollTop to 50 random positions (same seed every run), each held until its rows fill
 *     c. keyboard: the grid focused, PageDown pressed 100 times through Playwright, then settled
 *
 * Measured in the page with requestAnimationFrame (a frame = the time between two rAF callbacks, so
 * 16.7 ms is one 60 Hz frame and a dropped frame shows as ~33 ms): p50/p95/p99/max, share of frames
 * over 16.7 ms (+1 ms for vsync jitter) and over 33.3 ms; DOM rows (min/max over every frame); frames
 * with a placeholder row in view; per jump, ms until no row in view is a placeholder; long animation
 * frames (> 50 ms of work); JS heap used (CDP Performance.getMetrics after a forced GC) at start and
 * end; the page source's subscriptions, deliveries and cached pages. Each number is the median over
 * the runs (`p95_by_run` keeps each run's p95); `p95_ratio` is the median p95 frame time at --rows over
 * the one at --compare (≈ 1 when truly virtualized).
 * Prints JSON; exits 1 if a step fails. Starts and stops its own server and browser.
 */
import { chromium, type Browser, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const runs = Number(arg('runs', '3'));
const rows = Number(arg('rows', '100000'));
const compare = Number(arg('compare', '1000'));
const latency = Number(arg('latency', '5'));
const SCROLL_PX_PER_S = 3_000;
const SCROLL_MS = 5_000;
const JUMPS = 50;
const PAGE_DOWNS = 100;
const FRAME_MS = 1000 / 60;
const JITTER_MS = 1;

const ROOT = path.resolve(import.meta.dirname, '..');
const DIST = path.join(ROOT, 'dist-harness');
const PAGE = 'harness/grid-bench.html';

/** What the page's window.__gridBench returns for a phase (renderer/harness/grid-bench.tsx). */
interface PhaseFrames {
  frameMs: number[];
  domRowsMin: number;
  domRowsMax: number;
  blankFrames: number;
  longAnimationFrames: number;
}
interface Counters {
  subscriptions: number;
  deliveries: number;
  cachedPages: number;
  domRows: number;
}
interface GridBenchApi {
  ready(): Promise<void>;
  counters(): Counters;
  scrollToTop(): void;
  rowsPerPageDown(): number;
  startFrames(): void;
  stopFrames(): PhaseFrames;
  scroll(pxPerSecond: number, ms: number): Promise<PhaseFrames>;
  jumps(count: number, seed: number): Promise<PhaseFrames & { fillMs: number[]; unfilled: number }>;
  settle(): Promise<number>;
}
declare const window: { __gridBench: GridBenchApi };

const round = (n: number) => +n.toFixed(2);
const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN);
};
const median = (values: readonly number[]) => percentile(values, 50);

function frameStats(phase: PhaseFrames) {
  const f = phase.frameMs;
  const share = (limit: number) => round((100 * f.filter((ms) => ms > limit).length) / Math.max(1, f.length));
  return {
    frames: f.length,
    p50: percentile(f, 50),
    p95: percentile(f, 95),
    p99: percentile(f, 99),
    max: round(Math.max(...f)),
    pct_over_16_7: share(FRAME_MS + JITTER_MS),
    pct_over_33_3: share(2 * FRAME_MS + JITTER_MS),
    dom_rows_min: phase.domRowsMin,
    dom_rows_max: phase.domRowsMax,
    blank_frames: phase.blankFrames,
    long_animation_frames: phase.longAnimationFrames,
  };
}

/** Medians, key by key, of objects of numbers (one per run). */
function medianOf<T extends Record<string, number>>(list: readonly T[]): T {
  const out: Record<string, number> = {};
  for (const key of Object.keys(list[0] ?? {})) out[key] = median(list.map((o) => o[key] ?? NaN));
  return out as T;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

/** A static server of dist-harness/ (GET only, paths kept inside the directory). */
async function serve(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = path.join(DIST, pathname === '/' ? 'index.html' : pathname);
    if (!file.startsWith(DIST + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) =>
        res
          .writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' })
          .end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function heapUsedMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  await cdp.detach();
  return round((metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN) / 2 ** 20);
}

/** One fresh page with `size` rows through the three phases. */
async function measure(browser: Browser, url: string, size: number, seed: number) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(`${url}/${PAGE}?rows=${size}&latency=${latency}`);
    await page.waitForFunction(() => 'ready' in (window.__gridBench ?? {}));
    await page.evaluate(() => window.__gridBench.ready());
    const heapStart = await heapUsedMb(page);
    const afterLoad = await page.evaluate(() => window.__gridBench.counters());

    const scroll = await page.evaluate(({ v, ms }) => window.__gridBench.scroll(v, ms), {
      v: SCROLL_PX_PER_S,
      ms: SCROLL_MS,
    });
    await page.evaluate(() => window.__gridBench.settle());
    const jumps = await page.evaluate(({ n, s }) => window.__gridBench.jumps(n, s), { n: JUMPS, s: seed });

    await page.evaluate(() => window.__gridBench.scrollToTop());
    await page.evaluate(() => window.__gridBench.settle());
    await page.focus('[data-testid="data-grid"]');
    // PageDown moves by a viewport less one row; a small table gets only the presses that still move.
    const perPress = await page.evaluate(() => window.__gridBench.rowsPerPageDown());
    const presses = Math.min(PAGE_DOWNS, Math.floor((size - 1) / perPress));
    await page.evaluate(() => window.__gridBench.startFrames());
    const k0 = performance.now();
    for (let i = 0; i < presses; i++) await page.keyboard.press('PageDown');
    const keysMs = performance.now() - k0;
    const settleMs = await page.evaluate(() => window.__gridBench.settle());
    const keyboard = await page.evaluate(() => window.__gridBench.stopFrames());

    const counters = await page.evaluate(() => window.__gridBench.counters());
    const heapEnd = await heapUsedMb(page);
    if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
    return {
      scroll: frameStats(scroll),
      jumps: {
        ...frameStats(jumps),
        fill_p50: percentile(jumps.fillMs, 50),
        fill_p95: percentile(jumps.fillMs, 95),
        fill_max: round(Math.max(...jumps.fillMs)),
        unfilled: jumps.unfilled,
      },
      keyboard: {
        ...frameStats(keyboard),
        presses,
        ms_per_key: round(keysMs / presses),
        settle_ms: round(settleMs),
      },
      page: {
        heap_start_mb: heapStart,
        heap_end_mb: heapEnd,
        dom_rows_after_load: afterLoad.domRows,
        dom_rows_end: counters.domRows,
        subscriptions: counters.subscriptions,
        deliveries: counters.deliveries,
        cached_pages: counters.cachedPages,
      },
    };
  } finally {
    await page.close();
  }
}

type Measurement = Awaited<ReturnType<typeof measure>>;

function summary(list: readonly Measurement[]) {
  return {
    scroll: medianOf(list.map((m) => m.scroll)),
    jumps: medianOf(list.map((m) => m.jumps)),
    keyboard: medianOf(list.map((m) => m.keyboard)),
    page: medianOf(list.map((m) => m.page)),
    /** p95 frame time of every run, in run order: how much the machine's other load moved it. */
    p95_by_run: {
      scroll: list.map((m) => m.scroll.p95),
      jumps: list.map((m) => m.jumps.p95),
      keyboard: list.map((m) => m.keyboard.p95),
    },
  };
}

async function main(): Promise<void> {
  const result: Record<string, unknown> = { runs, rows, compare, latency_ms: latency };
  let server: Server | null = null;
  let browser: Browser | null = null;
  try {
    if (!existsSync(path.join(DIST, PAGE))) {
      const build = spawnSync('npx', ['vite', 'build', '--config', 'vite.harness.config.ts'], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      if (build.status !== 0) throw new Error(`vite build exited with ${build.status}`);
    }
    const served = await serve();
    server = served.server;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    result['chromium'] = browser.version();
    const bySize = new Map<number, Measurement[]>([
      [rows, []],
      [compare, []],
    ]);
    for (let run = 0; run < runs; run++) {
      const order = run % 2 === 0 ? [rows, compare] : [compare, rows];
      for (const size of order) bySize.get(size)?.push(await measure(browser, served.url, size, 7 + run));
    }
    const big = summary(bySize.get(rows) ?? []);
    const small = summary(bySize.get(compare) ?? []);
    result[`rows_${rows}`] = big;
    result[`rows_${compare}`] = small;
    result['p95_ratio'] = {
      scroll: round(big.scroll.p95 / small.scroll.p95),
      jumps: round(big.jumps.p95 / small.jumps.p95),
      keyboard: round(big.keyboard.p95 / small.keyboard.p95),
    };
    result['ok'] = true;
  } catch (error) {
    result['ok'] = false;
    result['error'] = (error as Error).stack ?? String(error);
  } finally {
    await browser?.close().catch(() => undefined);
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  }
  console.log(JSON.stringify(result, null, 2));
  if (!result['ok']) process.exitCode = 1;
}

await main();
