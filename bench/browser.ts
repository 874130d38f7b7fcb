/**
 * bench/browser.ts: what a user of the browser host waits for, measured in Debian's Chromium against the
 * real gated sync server on a seeded throwaway PostgreSQL 15 (the same stack as the end-to-end tests):
 *
 *   npx tsx bench/browser.ts [--scale 1] [--dist dist-web] [--idle-seconds 60] [--write-samples 5]
 *
 *   1. sign-in: from the click on "Sign in" to the first explorer rows, and to "Up to date"
 *   2. reload with the data on the device (online): to the first rows, and to "Up to date"
 *   3. reload offline: to the first rows (nothing but the device)
 *   4. write → paint: "Save changes" on a row's name until the grid shows the new name, p50 / max
 *   5. requests to the sync server per minute: while up to date and idle, and while offline
 *
 * `--dist` serves another build of the web app (e.g. an older commit's `vite build --outDir`) with the
 * same stack, for before/after numbers taken the same way. Prints JSON; exits 1 if a step fails.
 */
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { preview } from 'vite';
import { PostgresCluster } from '../scripts/postgres/cluster.ts';
import { createSeededCentralDatabase, startGatedTlsSyncServer } from '../scripts/testing/central-stack.ts';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const scale = Number(arg('scale', '1'));
const dist = path.resolve(arg('dist', 'dist-web'));
const idleSeconds = Number(arg('idle-seconds', '60'));
const writeSamples = Number(arg('write-samples', '5'));
const LONG = 600_000;

const rows = (page: Page) => page.locator('.grid-body [role=row]').first();
const status = (page: Page) => page.getByTestId('sync-status');

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return Math.round(performance.now() - start);
}

/** Requests to `origin` made while `during` runs, per minute. */
async function requestsPerMinute(context: BrowserContext, origin: string, seconds: number): Promise<number> {
  let count = 0;
  const onRequest = (request: { url(): string }) => {
    if (request.url().startsWith(origin)) count++;
  };
  context.on('request', onRequest);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  context.off('request', onRequest);
  return +((count * 60) / seconds).toFixed(1);
}

/** From the click on "Save changes" to the grid showing the new name, measured in the page. */
async function writeToPaint(page: Page, name: string): Promise<number> {
  await rows(page).click();
  const detail = page.getByTestId('row-detail');
  await detail.getByRole('button', { name: 'Edit', exact: true }).click();
  await detail.getByLabel('Name', { exact: true }).fill(name);
  const save = detail.getByRole('button', { name: 'Save changes' });
  const painted = page.evaluate<number>(`new Promise((resolve) => {
    let clicked = 0;
    document.addEventListener('click', () => (clicked = performance.now()), { capture: true, once: true });
    const grid = document.querySelector('.grid-body');
    new MutationObserver((_, observer) => {
      if (clicked && grid.textContent.includes(${JSON.stringify(name)})) {
        observer.disconnect();
        // The frame that shows it: the next animation frame after the DOM change.
        requestAnimationFrame(() => resolve(performance.now() - clicked));
      }
    }).observe(grid, { subtree: true, childList: true, characterData: true });
  })`);
  await save.click();
  return Math.round(await painted);
}

async function main(): Promise<void> {
  const cluster = await PostgresCluster.start();
  const central = await createSeededCentralDatabase(cluster.url(), 'bench_browser', { scale });
  const sync = await startGatedTlsSyncServer(central.url);
  const server = await preview({
    configFile: false,
    root: dist,
    logLevel: 'error',
    preview: { host: '127.0.0.1', port: 0 },
    build: { outDir: dist },
  });
  const appUrl = server.resolvedUrls?.local[0];
  const profile = await mkdtemp(path.join(tmpdir(), 'outpost-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env['OUTPOST_CHROMIUM'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic'],
    ignoreHTTPSErrors: true,
    viewport: { width: 1440, height: 900 },
  });
  try {
    if (!appUrl) throw new Error('vite preview did not say where it listens');
    const syncOrigin = new URL(sync.server.url).origin;
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${appUrl}#/explorer/workflows`);
    await page.getByLabel('Server').fill(sync.server.url);
    await page.getByLabel('Tenant').fill('acme');
    await page.getByLabel('Email').fill('admin@acme.test');
    await page.getByLabel('Password').fill('outpost-demo');
    const signInStart = performance.now();
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await rows(page).waitFor({ timeout: LONG });
    const signInToRows = Math.round(performance.now() - signInStart);
    await status(page).and(page.locator('[data-state="up-to-date"]')).waitFor({ timeout: LONG });
    const signInToUpToDate = Math.round(performance.now() - signInStart);

    // Let the first sync's last writes settle (as a user would not reload in the same second).
    await new Promise((resolve) => setTimeout(resolve, 15_000));
    const reloadStart = performance.now();
    await page.reload();
    await rows(page).waitFor({ timeout: LONG });
    const reloadToRows = Math.round(performance.now() - reloadStart);
    await status(page).and(page.locator('[data-state="up-to-date"]')).waitFor({ timeout: LONG });
    const reloadToUpToDate = Math.round(performance.now() - reloadStart);

    const paints: number[] = [];
    for (let i = 0; i < writeSamples; i++) paints.push(await writeToPaint(page, `bench write ${Date.now()}`));
    paints.sort((a, b) => a - b);

    await status(page).and(page.locator('[data-state="up-to-date"]')).waitFor({ timeout: LONG });
    const idle = await requestsPerMinute(context, syncOrigin, idleSeconds);

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
        sign_in_to_first_rows_ms: signInToRows,
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
    await context.close();
    await rm(profile, { recursive: true, force: true });
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    await sync.stop();
    await central.drop();
    await cluster.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
