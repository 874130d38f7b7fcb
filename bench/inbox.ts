/**
 * bench/inbox.ts: the approvals inbox's latency targets (issue 15), measured in Debian's Chromium
 * against the real gated sync server on a seeded throwaway PostgreSQL 15 (bench/browser-stack.ts), with
 * `--approvals` approvals and `--changesets` changesets waiting for acme's approver (bench/inbox-rows.ts):
 *
 *   npx tsx bench/inbox.ts [--approvals 100000] [--changesets 20000] [--work-items 1000] [--dist dist-web]
 *                          [--opens 7] [--moves 120] [--decisions 15] [--changes 15] [--profile]
 *
 *   rows inserted centrally ─► sign in as approver@acme.test ─► the real sync brings them ─► "Up to date"
 *   1. open: `g i` from Home → the first inbox row painted
 *   2. move: `j` / `k` → the new active row painted
 *   3. decide: `a` → its optimistic state painted: the decided row gone from the list (on screen; the
 *      list of decisions made is below the list, off screen)
 *   4. synced change: an UPDATE of a listed approval's title in central Postgres (the clock read just
 *      before it is sent) → the new title painted in the list
 *
 * How a time is taken: in the page, from the key's event timestamp (`KeyboardEvent.timeStamp`: when the
 * input reached the renderer, so input queueing counts) to the first requestAnimationFrame after a
 * MutationObserver sees the DOM show the result: the frame that paints it. No Playwright round trip is
 * inside a number; the driver only presses keys and waits for the page's own record. For the synced
 * change the page's wall clock (timeOrigin + now) is compared with Node's Date.now() on the same machine.
 * `dom_ms` beside a time is the same interval to the DOM change, without the wait for the frame.
 *
 * `--profile` adds each step's main-thread self time by function (bench/cpu-profile.ts; the profiler
 * slows the page, so its times are not the benchmark's: profile in a run of its own, on a build made
 * with `--minify false` for readable names).
 *
 * Prints JSON (p50 / p95 / max and counts); exits 1 if a step fails.
 */
import type { Page, Request, Response } from '@playwright/test';
import path from 'node:path';
import type pg from 'pg';
import {
  arg,
  fillSignIn,
  LONG,
  percentiles,
  startBrowserStack,
  step,
  submitSignIn,
  upToDate,
} from './browser-stack.ts';
import { startCpuProfile, type SelfTime } from './cpu-profile.ts';
import { insertInboxRows } from './inbox-rows.ts';

const counts = {
  approvals: Number(arg('approvals', '100000')),
  changesets: Number(arg('changesets', '20000')),
  workItems: Number(arg('work-items', '1000')),
};
const dist = path.resolve(arg('dist', 'dist-web'));
const opens = Number(arg('opens', '7'));
const moves = Number(arg('moves', '120'));
const decisions = Number(arg('decisions', '15'));
const changes = Number(arg('changes', '15'));
const profiling = process.argv.includes('--profile');
const profiles: Record<string, SelfTime[]> = {};

/** Runs a step, with the CPU profiler around it when profiling. */
async function phase<T>(page: Page, name: string, run: () => Promise<T>): Promise<T> {
  step(name);
  if (!profiling) return run();
  const profile = await startCpuProfile(page);
  const result = await run();
  profiles[name] = await profile.stop(25);
  return result;
}
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The page's recorder: for each key of interest, from its event timestamp to the DOM showing the
 * result and to the next animation frame. Installed once; samples land in window.__inboxBench.
 */
const RECORDER = `(() => {
  if (window.__inboxBench) return;
  const bench = (window.__inboxBench = { samples: [], changes: [], waiters: [] });
  // Resolves once list[name] holds more than n entries (no polling, nothing running meanwhile).
  bench.after = (name, n) => new Promise((resolve) => {
    if (bench[name].length > n) resolve(bench[name][n]);
    else bench.waiters.push({ name, n, resolve });
  });
  const push = (name, entry) => {
    bench[name].push(entry);
    bench.waiters = bench.waiters.filter((w) => (w.name === name && bench[name].length > w.n ? (w.resolve(bench[name][w.n]), false) : true));
  };
  const activeKey = () => document.querySelector('[data-testid="inbox-item"][aria-selected="true"]')?.getAttribute('data-inbox-key') ?? null;
  const record = (kind, t0, done) => {
    const observer = new MutationObserver(() => {
      if (!done()) return;
      observer.disconnect();
      const dom = performance.now() - t0;
      requestAnimationFrame(() => push('samples', { kind, dom, frame: performance.now() - t0 }));
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  };
  window.addEventListener('keydown', (e) => {
    const t0 = e.timeStamp;
    if (e.key === 'i' && !location.hash.startsWith('#/inbox'))
      record('open', t0, () => document.querySelector('[data-testid="inbox-item"]') !== null);
    if ((e.key === 'j' || e.key === 'k') && location.hash.startsWith('#/inbox')) {
      const before = activeKey();
      record(e.key, t0, () => activeKey() !== before && activeKey() !== null);
    }
    if (e.key === 'a' && location.hash.startsWith('#/inbox')) {
      // On screen: the decided row leaves the list (the decisions list is below it, off screen).
      const key = activeKey();
      // An approval under a quorum policy may stay listed, marked as decided by the reader.
      record('a', t0, () => {
        const row = document.querySelector('[data-inbox-key="' + CSS.escape(key) + '"]');
        return !row || row.textContent.includes('yours included');
      });
    }
  }, { capture: true });
  bench.watchTitle = (title) => {
    const shows = () => [...document.querySelectorAll('[data-testid="inbox-item"] .inbox-title')].some((t) => t.textContent === title);
    const observer = new MutationObserver(() => {
      if (!shows()) return;
      observer.disconnect();
      const dom = performance.timeOrigin + performance.now();
      requestAnimationFrame(() => push('changes', { title, dom, frame: performance.timeOrigin + performance.now() }));
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  };
})()`;

interface Sample {
  readonly kind: string;
  readonly dom: number;
  readonly frame: number;
}

/** Presses `key` and waits for the page to record its sample; returns it. */
async function pressAndRecord(page: Page, key: string): Promise<Sample> {
  const before = await page.evaluate<number>('window.__inboxBench.samples.length');
  await page.keyboard.press(key);
  return page.evaluate<Sample>(`window.__inboxBench.after('samples', ${before})`);
}

const summary = (list: readonly Sample[]) => ({
  ...percentiles(list.map((s) => s.frame)),
  dom_ms: percentiles(list.map((s) => s.dom)),
  frames_over_16ms: list.filter((s) => s.frame > 16).length,
});

async function openInbox(page: Page): Promise<Sample[]> {
  const out: Sample[] = [];
  for (let i = 0; i < opens; i++) {
    await page.evaluate(`location.hash = '#/'`);
    await page.getByTestId('home-waiting').waitFor({ timeout: LONG });
    await pause(1500);
    await page.keyboard.press('g');
    out.push(await pressAndRecord(page, 'i'));
    await page.getByTestId('inbox-item').first().waitFor();
  }
  return out;
}

async function move(page: Page): Promise<Sample[]> {
  await page.getByTestId('inbox-item').first().click();
  await pause(500);
  const out: Sample[] = [];
  for (let i = 0; i < moves; i++) {
    // Down the list for two thirds of the presses, then back up.
    out.push(await pressAndRecord(page, i < (moves * 2) / 3 ? 'j' : 'k'));
    await pause(60);
  }
  return out;
}

async function decide(page: Page): Promise<Sample[]> {
  const out: Sample[] = [];
  for (let i = 0; i < decisions; i++) {
    out.push(await pressAndRecord(page, 'a'));
    await pause(400);
  }
  return out;
}

interface SyncedChange {
  /** Central UPDATE sent → the new title painted in the list. */
  readonly ms: number;
  /** → the first answer to an approvals shape request (headers, seen by the driver): the network part. */
  readonly approvalsAnsweredMs: number | null;
  /** Shape requests the browser made in between (the multi-shape stream's catch-up of other tables). */
  readonly shapeRequests: number;
}

/** Central UPDATE of a listed approval's title → the new title painted (see SyncedChange). */
async function syncedChanges(page: Page, central: pg.Client): Promise<SyncedChange[]> {
  const out: SyncedChange[] = [];
  for (let i = 0; i < changes; i++) {
    const id = await page.evaluate<string | null>(
      `[...document.querySelectorAll('[data-testid="inbox-item"]')].map((r) => r.getAttribute('data-inbox-key')).filter((k) => k.startsWith('approval:'))[${i % 5}]?.slice('approval:'.length) ?? null`,
    );
    if (!id) throw new Error('no approval listed to change');
    const title = `Bench change ${i} ${Date.now().toString(36)}`;
    await page.evaluate(`window.__inboxBench.watchTitle(${JSON.stringify(title)})`);
    let approvalsAnswered: number | null = null;
    let shapeRequests = 0;
    const onRequest = (request: Request) => {
      if (new URL(request.url()).pathname.endsWith('/v1/shape')) shapeRequests++;
    };
    const onResponse = (response: Response) => {
      const url = new URL(response.url());
      if (
        approvalsAnswered === null &&
        url.pathname.endsWith('/v1/shape') &&
        url.searchParams.get('table') === 'approvals'
      )
        approvalsAnswered = Date.now();
    };
    page.context().on('request', onRequest);
    page.context().on('response', onResponse);
    const sent = Date.now();
    await central.query(`UPDATE approvals SET title = $1, updated_at = now() WHERE id = $2`, [title, id]);
    const seen = await page.evaluate<{ frame: number }>(`window.__inboxBench.after('changes', ${i})`);
    page.context().off('request', onRequest);
    page.context().off('response', onResponse);
    out.push({
      ms: Math.round(seen.frame - sent),
      approvalsAnsweredMs: approvalsAnswered === null ? null : approvalsAnswered - sent,
      shapeRequests,
    });
    await pause(1000);
  }
  return out;
}

async function main(): Promise<void> {
  const stack = await startBrowserStack({
    scale: 1,
    dist,
    prefix: 'bench_inbox',
    prepare: async (central) => {
      step(`inserting ${JSON.stringify(counts)}`);
      await insertInboxRows(central.client, counts);
    },
  });
  const { page } = stack;
  try {
    await fillSignIn(stack, '#/', 'acme', 'approver@acme.test');
    step('signing in (the first sync brings the rows)');
    const signInStart = performance.now();
    await submitSignIn(page);
    await upToDate(page);
    const signInToUpToDate = Math.round(performance.now() - signInStart);
    // Let the first sync's last writes settle.
    await pause(15_000);
    await page.evaluate(RECORDER);

    const open = await phase(page, 'open', () => openInbox(page));
    const listed = await page.getByTestId('inbox-item').count();
    const countText = await page.getByTestId('inbox-count').textContent();
    const moved = await phase(page, 'move', () => move(page));
    const decided = await phase(page, 'decide', () => decide(page));
    const synced = await phase(page, 'synced change', () => syncedChanges(page, stack.central.client));

    console.log(
      JSON.stringify({
        build: path.relative(process.cwd(), dist) || dist,
        rows: counts,
        sign_in_to_up_to_date_ms: signInToUpToDate,
        rows_in_the_list_dom: listed,
        inbox_count_text: countText,
        open_to_first_rows_ms: summary(open),
        move_j_k_to_paint_ms: summary(moved),
        decision_to_optimistic_paint_ms: summary(decided),
        central_change_to_list_paint_ms: {
          ...percentiles(synced.map((c) => c.ms)),
          approvals_shape_answered_ms: percentiles(synced.flatMap((c) => c.approvalsAnsweredMs ?? [])),
          shape_requests_between: percentiles(synced.map((c) => c.shapeRequests)),
        },
        ...(profiling ? { profiles } : {}),
      }),
    );
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
