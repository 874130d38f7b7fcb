/**
 * bench/browser.ts: what a user of the browser host waits for, measured in Debian's Chromium against the
 * real gated sync server on a seeded throwaway PostgreSQL 15 (the same stack as the end-to-end tests):
 *
 *   npx tsx bench/browser.ts [--scale 1] [--dist dist-web] [--idle-seconds 60] [--write-samples 5]
 *
 *   1. sign-in: from the click on "Sign in" to Home listing what waits (the first data), and to
 *      "Up to date"
 *   2. reload with the data on the device (online): to the first rows, and to "Up to date"
 *   3. reload offline: to the first rows (nothing but the device)
 *   4. write → paint: "Save changes" on a row's name until the page shows the new name, p50 / max
 *   5. requests to the sync server per minute (and by path): while up to date and idle, and while offline
 *
 * `--dist` serves another build of the web app (e.g. an older commit's `vite build --outDir`) with the
 * same stack, for before/after numbers taken the same way. Prints JSON; exits 1 if a step fails.
 */
import type { BrowserContext, Page, Request } from '@playwright/test';
import path from 'node:path';
import { arg, fillSignIn, LONG, startBrowserStack, step, submitSignIn, upToDate } from './browser-stack.ts';

const scale = Number(arg('scale', '1'));
const dist = path.resolve(arg('dist', 'dist-web'));
const idleSeconds = Number(arg('idle-seconds', '60'));
const writeSamples = Number(arg('write-samples', '5'));

const rows = (page: Page) => page.locator('.grid-body [role=row]').first();

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return Math.round(performance.now() - start);
}

/**
 * Requests to `origin` over `seconds`: per minute, how many of them failed (no answer: what a network
 * outage costs), and how many went to each path. Playwright also reports requests the browser answered
 * from its HTTP cache (shape chunks are cacheable), which never reach the network.
 */
async function requestsPerMinute(
  context: BrowserContext,
  origin: string,
  seconds: number,
): Promise<{ per_minute: number; failed_per_minute: number; paths: Record<string, number> }> {
  const paths: Record<string, number> = {};
  let failed = 0;
  const ours = (request: Request) => new URL(request.url()).origin === origin;
  const onRequest = (request: Request) => {
    if (!ours(request)) return;
    const key = `${request.method()} ${new URL(request.url()).pathname}`;
    paths[key] = (paths[key] ?? 0) + 1;
  };
  const onFailed = (request: Request) => {
    if (ours(request)) failed++;
  };
  context.on('request', onRequest);
  context.on('requestfailed', onFailed);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  context.off('request', onRequest);
  context.off('requestfailed', onFailed);
  const count = Object.values(paths).reduce((a, b) => a + b, 0);
  const perMinute = (n: number) => +((n * 60) / seconds).toFixed(1);
  return { per_minute: perMinute(count), failed_per_minute: perMinute(failed), paths };
}

/**
 * From the click on "Save changes" to the page showing the new name as text (the grid row, or the
 * detail pane back in read mode, whichever paints first), measured in the page.
 */
async function writeToPaint(page: Page, name: string): Promise<number> {
  await rows(page).click();
  const detail = page.getByTestId('row-detail');
  await detail.getByRole('button', { name: 'Edit', exact: true }).click();
  await detail.getByLabel('Name', { exact: true }).fill(name);
  const save = detail.getByRole('button', { name: 'Save changes' });
  const painted = page.evaluate<number>(`new Promise((resolve, reject) => {
    let clicked = 0;
    document.addEventListener('click', () => (clicked = performance.now()), { capture: true, once: true });
    const shows = () => document.querySelector('main').textContent.includes(${JSON.stringify(name)});
    const observer = new MutationObserver(() => {
      if (!clicked || !shows()) return;
      observer.disconnect();
      // The frame that shows it: the next animation frame after the DOM change.
      requestAnimationFrame(() => resolve(performance.now() - clicked));
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    setTimeout(() => reject(new Error('the saved name did not show within 60 s')), 60000);
  })`);
  await save.click();
  return Math.round(await painted);
}

async function main(): Promise<void> {
  const stack = await startBrowserStack({ scale, dist, prefix: 'bench_browser' });
  const { page, context, appUrl } = stack;
  try {
    const syncOrigin = new URL(stack.syncUrl).origin;
    await fillSignIn(stack, '#/explorer/workflows', 'acme', 'admin@acme.test');
    step('signing in');
    const signInStart = performance.now();
    await submitSignIn(page);
    // Home lists what waits for the admin as soon as those rows are on the device.
    await page
      .getByTestId('home-waiting')
      .getByText(/\d+ (work items?|approvals?|changesets?) /)
      .first()
      .waitFor({ timeout: LONG });
    const signInToData = Math.round(performance.now() - signInStart);
    await upToDate(page);
    const signInToUpToDate = Math.round(performance.now() - signInStart);
    await page.goto(`${appUrl}#/explorer/workflows`);
    await rows(page).waitFor({ timeout: LONG });

    // Let the first sync's last writes settle (as a user would not reload in the same second).
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    step('reloading');
    const reloadStart = performance.now();
    await page.reload();
    await rows(page).waitFor({ timeout: LONG });
    const reloadToRows = Math.round(performance.now() - reloadStart);
    await upToDate(page);
    const reloadToUpToDate = Math.round(performance.now() - reloadStart);

    step('writing');
    const paints: number[] = [];
    for (let i = 0; i < writeSamples; i++) paints.push(await writeToPaint(page, `bench write ${Date.now()}`));
    paints.sort((a, b) => a - b);

    await upToDate(page);
    step('idle');
    const idle = await requestsPerMinute(context, syncOrigin, idleSeconds);

    step('offline');
    await context.setOffline(true);
    const offline = await requestsPerMinute(context, syncOrigin, idleSeconds);
    const offlineReload = await timed(async () => {
      await page.reload();
      await rows(page).waitFor({ timeout: LONG });
    });
    await context.setOffline(false);

    console.log(
      JSON.stringify({
        build: path.relative(process.cwd(), dist) || dist,
        scale,
        sign_in_to_first_data_ms: signInToData,
        sign_in_to_up_to_date_ms: signInToUpToDate,
        reload_to_first_rows_ms: reloadToRows,
        reload_to_up_to_date_ms: reloadToUpToDate,
        reload_offline_to_first_rows_ms: offlineReload,
        write_to_paint_ms: {
          p50: paints[Math.floor(paints.length / 2)],
          max: paints.at(-1),
          samples: paints,
        },
        idle_requests_per_minute: idle,
        offline_requests_per_minute: offline,
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
