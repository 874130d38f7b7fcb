/**
 * bench/browser-stack.ts: the set-up the browser benchmarks share (bench/browser.ts, bench/inbox.ts):
 * a throwaway PostgreSQL 15 cluster with a migrated, seeded central database, the gated sync server on
 * it over HTTPS (scripts/testing/central-stack.ts, the stack of the end-to-end tests), `vite preview`
 * of a web build, and Debian's Chromium in a fresh persistent profile, driven with Playwright.
 *
 *   startBrowserStack({ scale, dist, prefix, prepare })
 *     cluster ─► central database (migrations + seed) ─► prepare(central) ─► sync server ─► vite preview
 *     ─► Chromium (1440×900) ─► { page, context, central, appUrl, syncUrl, stop() }
 *   fillSignIn(stack, route, tenant, email)  the sign-in form at `route`, filled (not yet submitted)
 *   submitSignIn(page)                       the click on "Sign in"
 *   upToDate(page)                until the status bar says "Up to date"
 *
 * Guarantees: stop() undoes whatever was started, in reverse order, also after a failed start (the
 * profile directory, the preview server, the sync server, the database and the cluster).
 */
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { preview } from 'vite';
import { PostgresCluster } from '../scripts/postgres/cluster.ts';
import {
  createSeededCentralDatabase,
  startGatedTlsSyncServer,
  type SeededCentralDatabase,
} from '../scripts/testing/central-stack.ts';

/** Long enough for a first sync of a large tenant on a busy 2-core machine. */
export const LONG = 600_000;
export const PASSWORD = 'outpost-demo';

export interface BrowserStack {
  readonly central: SeededCentralDatabase;
  readonly appUrl: string;
  /** The sync server's base URL (https://127.0.0.1:<port>). */
  readonly syncUrl: string;
  readonly context: BrowserContext;
  readonly page: Page;
  stop(): Promise<void>;
}

/** Progress on stderr (the benchmarks' JSON result goes to stdout). */
export const step = (what: string) => console.error(`${new Date().toISOString()} ${what}`);

/** `--name value` from the command line, or `fallback`. */
export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

export async function startBrowserStack(options: {
  readonly scale: number;
  /** The web build to serve (vite build's outDir). */
  readonly dist: string;
  /** Names the throwaway database. */
  readonly prefix: string;
  /** Runs on the seeded database before the sync server starts (extra rows for a benchmark). */
  readonly prepare?: (central: SeededCentralDatabase) => Promise<void>;
}): Promise<BrowserStack> {
  const undo: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const u of undo.reverse()) await u().catch((e: unknown) => console.error('bench teardown:', e));
  };
  try {
    const cluster = await PostgresCluster.start();
    undo.push(() => cluster.stop());
    const central = await createSeededCentralDatabase(cluster.url(), options.prefix, {
      scale: options.scale,
    });
    undo.push(() => central.drop());
    await options.prepare?.(central);
    const sync = await startGatedTlsSyncServer(central.url);
    undo.push(() => sync.stop());
    const server = await preview({
      configFile: false,
      root: options.dist,
      logLevel: 'error',
      preview: { host: '127.0.0.1', port: 0 },
      build: { outDir: options.dist },
    });
    undo.push(() => new Promise<void>((resolve) => server.httpServer.close(() => resolve())));
    const appUrl = server.resolvedUrls?.local[0];
    if (!appUrl) throw new Error('vite preview did not say where it listens');
    const profile = await mkdtemp(path.join(tmpdir(), 'outpost-bench-chromium-'));
    undo.push(() => rm(profile, { recursive: true, force: true }));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env['OUTPOST_CHROMIUM'] ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic'],
      ignoreHTTPSErrors: true,
      viewport: { width: 1440, height: 900 },
    });
    undo.push(() => context.close());
    const page = context.pages()[0] ?? (await context.newPage());
    return { central, appUrl, syncUrl: sync.server.url, context, page, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Opens `route` and fills the sign-in form for `email` with the seed's password. */
export async function fillSignIn(
  stack: BrowserStack,
  route: string,
  tenant: string,
  email: string,
): Promise<void> {
  const { page } = stack;
  await page.goto(`${stack.appUrl}${route}`);
  await page.getByLabel('Server').fill(stack.syncUrl);
  await page.getByLabel('Tenant').fill(tenant);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
}

export async function submitSignIn(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Until the status bar says "Up to date". */
export async function upToDate(page: Page): Promise<void> {
  await page
    .getByTestId('sync-status')
    .and(page.locator('[data-state="up-to-date"]'))
    .waitFor({ timeout: LONG });
}

/** p50, p95 and max of `samples` (ms, rounded to 0.1), with their count. */
export function percentiles(samples: readonly number[]): {
  p50: number;
  p95: number;
  max: number;
  n: number;
} {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  const round = (x: number) => Math.round(x * 10) / 10;
  return { p50: round(at(0.5)), p95: round(at(0.95)), max: round(sorted.at(-1) ?? NaN), n: sorted.length };
}
