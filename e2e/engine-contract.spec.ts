/**
 * The engine in its Web Worker host, in Chromium, driven through the RPC contract: the scenarios
 * every host must pass (scripts/testing/engine-contract.ts, also run on the Node host by
 * core/host/node-host.pg.test.ts), then what only a browser shows: every live shape stays live over
 * HTTP/2.
 *
 *   test ─► browser context (a device: its own IndexedDB, origin lock and network)
 *        ─► page /harness/engine.html?namespace=<unique> (renderer/harness/engine.ts)
 *        ─► module Web Worker: core/host/web-worker-entry.ts (LocalEngine, PGlite on idb://)
 *        ─► the gated sync server over HTTPS + HTTP/2 (e2e/global-setup.ts; self-signed certificate,
 *           hence `ignoreHTTPSErrors`), central Postgres seeded at scale 1
 *
 * The client handed to the scenarios implements common/rpc/client.ts's RpcClient over the harness:
 * a call is a page.evaluate of `__outpostHarness.call`, whose `{ error: { code } }` is rethrown as an
 * OutpostError with that code; a subscription is a harness id whose events come back through a
 * binding the test exposes on the page (`__outpostHarnessEvent`).
 *
 * Offline: `setOnline(false)` is `context.setOffline(true)`. Checked on this Chromium: Playwright
 * applies the offline emulation to every target of the context, dedicated workers included, so the
 * worker's fetches fail with `TypeError: Failed to fetch` exactly as with the network down, and work
 * again after `setOffline(false)` (a probe that fetched from a worker before, during and after
 * offline emulation saw ok / Failed to fetch / ok). No request routing is needed.
 *
 * HTTP/2: the worker's own Resource Timing entries cannot show the protocol (for a cross-origin
 * response without Timing-Allow-Origin, `nextHopProtocol` is the empty string), so the HTTP/2 test
 * records a HAR of its context: Chromium's network stack reports each response's protocol there
 * (`HTTP/2.0` for h2), and the HAR includes the dedicated worker's requests.
 */
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { BrowserConsole } from './browser-console.ts';
import { OutpostError, type ErrorCode } from '../common/errors.ts';
import type { RpcClient } from '../common/rpc/client.ts';
import type { CallName, CallResult, SubscriptionEvent, SubscriptionName } from '../common/rpc/contract.ts';
import {
  engineContract,
  follow,
  signedInClient,
  type EngineClientHandle,
  type EngineContractEnv,
} from '../scripts/testing/engine-contract.ts';

/** window.__outpostHarness as renderer/harness/engine.ts exposes it. */
interface Harness {
  call(
    method: string,
    params: unknown,
  ): Promise<{ ok: unknown } | { error: { code: string; message: string } }>;
  subscribe(topic: string, params: unknown): number;
  unsubscribe(id: number): void;
}
type HarnessWindow = { __outpostHarness?: Harness };
type Delivery = { event: unknown } | { error: { code: string; message: string } };

const serverUrl = process.env['OUTPOST_E2E_SYNC_URL'] ?? '';
const centralUrl = process.env['OUTPOST_E2E_CENTRAL_URL'] ?? '';

let browser: Browser;
let baseURL = '';
let central: pg.Client;
let opened = 0;
const contexts: BrowserContext[] = [];
/** Console output of every page and worker, attached to a failed test. */
const consoleLog = new BrowserConsole();

interface BrowserClient extends EngineClientHandle {
  readonly context: BrowserContext;
  readonly page: Page;
}

/** RpcClient over the harness page (see the header). */
async function harnessClient(page: Page): Promise<RpcClient> {
  type Handler = { onEvent: (v: unknown) => void; onError?: (e: OutpostError) => void };
  const handlers = new Map<number, Handler>();
  const early = new Map<number, Delivery[]>();
  const ended = new Set<number>();
  let closed = false;

  const dispatch = (id: number, delivery: Delivery) => {
    if (ended.has(id)) return;
    const handler = handlers.get(id);
    if (!handler) {
      // The event raced page.evaluate's answer with the id: keep it until the id is known.
      early.set(id, [...(early.get(id) ?? []), delivery]);
      return;
    }
    if ('event' in delivery) handler.onEvent(delivery.event);
    else {
      ended.add(id);
      handlers.delete(id);
      handler.onError?.(new OutpostError(delivery.error.code as ErrorCode, delivery.error.message));
    }
  };
  await page.exposeBinding('__outpostHarnessEvent', (_source, id: number, delivery: Delivery) =>
    dispatch(id, delivery),
  );

  return {
    async call<N extends CallName>(method: N, params: unknown): Promise<CallResult<N>> {
      if (closed) throw new OutpostError('internal', 'The connection to the core is closed.');
      const result = await page.evaluate(
        ([m, p]) => {
          const harness = (globalThis as unknown as HarnessWindow).__outpostHarness;
          if (!harness) throw new Error('the engine harness is not loaded');
          return harness.call(m, p);
        },
        [method, params ?? null] as const,
      );
      if ('error' in result) throw new OutpostError(result.error.code as ErrorCode, result.error.message);
      return result.ok as CallResult<N>;
    },
    subscribe<N extends SubscriptionName>(
      topic: N,
      params: unknown,
      onEvent: (value: SubscriptionEvent<N>) => void,
      onError?: (error: OutpostError) => void,
    ): () => void {
      let id: number | null = null;
      let disposed = false;
      const handler: Handler = {
        onEvent: onEvent as (v: unknown) => void,
        ...(onError ? { onError } : {}),
      };
      page
        .evaluate(
          ([t, p]) => {
            const harness = (globalThis as unknown as HarnessWindow).__outpostHarness;
            if (!harness) throw new Error('the engine harness is not loaded');
            return harness.subscribe(t, p);
          },
          [topic, params ?? null] as const,
        )
        .then((harnessId) => {
          id = harnessId;
          if (disposed) return void unsubscribe(harnessId);
          handlers.set(harnessId, handler);
          const pending = early.get(harnessId) ?? [];
          early.delete(harnessId);
          for (const delivery of pending) dispatch(harnessId, delivery);
        })
        .catch((error: unknown) => onError?.(new OutpostError('internal', String(error))));
      const unsubscribe = (harnessId: number) => {
        ended.add(harnessId);
        handlers.delete(harnessId);
        early.delete(harnessId);
        if (!page.isClosed())
          void page
            .evaluate(
              (i) => (globalThis as unknown as HarnessWindow).__outpostHarness?.unsubscribe(i),
              harnessId,
            )
            .catch(() => undefined);
      };
      return () => {
        if (disposed) return;
        disposed = true;
        if (id !== null) unsubscribe(id);
      };
    },
    close() {
      closed = true;
      handlers.clear();
    },
  };
}

/** A new device: its own browser context (storage, lock, network) and harness page. */
async function openBrowserClient(options: { recordHar?: string } = {}): Promise<BrowserClient> {
  const context = await browser.newContext({
    baseURL,
    ignoreHTTPSErrors: true,
    ...(options.recordHar
      ? { recordHar: { path: options.recordHar, content: 'omit' as const, urlFilter: `${serverUrl}/**` } }
      : {}),
  });
  contexts.push(context);
  const page = await context.newPage();
  const name = `e2e-${process.pid}-${++opened}`;
  consoleLog.follow(page, name);
  const client = await harnessClient(page);
  await page.goto(`/harness/engine.html?namespace=${name}`);
  return { client, context, page, setOnline: (online) => context.setOffline(!online) };
}

const env: EngineContractEnv = {
  get central() {
    return central;
  },
  serverUrl,
  openClient: () => openBrowserClient(),
};

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser: shared }) => {
  expect(serverUrl, 'e2e/global-setup.ts sets OUTPOST_E2E_SYNC_URL').toMatch(/^https:\/\//);
  browser = shared;
  baseURL = String(test.info().project.use.baseURL ?? '');
  central = new pg.Client({ connectionString: centralUrl });
  await central.connect();
});

test.afterEach(() => consoleLog.attachIfFailed());

test.afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await central?.end().catch(() => undefined);
});

for (const scenario of engineContract(env)) {
  test(scenario.name, async () => {
    test.setTimeout(scenario.timeoutMs);
    await scenario.run();
  });
}

/** Tables of the last sync domain (KPIs), inserted with their required columns only. */
const LATE_TABLES: readonly { table: string; insert: string }[] = [
  {
    table: 'client_kpis',
    insert: `INSERT INTO client_kpis (tenant_id, client_id, client_name) VALUES ($1, $2, $2)`,
  },
  { table: 'alerts', insert: `INSERT INTO alerts (tenant_id, name, metric_name) VALUES ($1, $2, 'revenue')` },
  { table: 'dashboards', insert: `INSERT INTO dashboards (tenant_id, name) VALUES ($1, $2)` },
];

interface HarEntry {
  request: { url: string };
  response: { status: number; httpVersion: string; _failureText?: string };
}

// How fast a central commit reaches the screen is bench/engine.ts's number (central_commit_to_live_query);
// this test proves every shape stays live over one multiplexed HTTP/2 connection (over HTTP/1.1 the
// browser's six connections per origin would hold the changes of the later tables back for minutes).
test('keeps every shape live over HTTP/2: changes to the last synced tables arrive', async () => {
  const testInfo = test.info();
  test.setTimeout(300_000);
  // The contract's clients are done; free the CPU for this device's initial sync.
  for (const context of contexts.splice(0)) await context.close().catch(() => undefined);
  const har = testInfo.outputPath('sync.har');
  const device = await signedInClient(
    { ...env, openClient: () => openBrowserClient({ recordHar: har }) },
    'admin@acme.test',
    'acme',
  );
  const { context, page } = device as BrowserClient;
  const tables = (await device.client.call('catalog.tables', undefined)).map((t) => t.table);
  for (const { table } of LATE_TABLES) expect(tables).toContain(table);
  expect(tables.length, 'far more live shapes than the six HTTP/1.1 connections per origin').toBeGreaterThan(
    6,
  );
  const { rows } = await central.query<{ id: string }>(`SELECT id FROM tenants WHERE slug = 'acme'`);
  const acmeId = rows[0]?.id ?? '';

  const stamp = `live-${Date.now()}`;
  const column = (table: string) => (table === 'client_kpis' ? 'client_name' : 'name');
  const live = LATE_TABLES.map(({ table }) =>
    follow(device.client, 'table.query', {
      table,
      filters: [{ column: column(table), op: 'eq', value: stamp }],
    }),
  );
  try {
    for (const query of live) await query.until((p) => p.total === 0, 30_000);
    const written = Date.now();
    for (const { insert } of LATE_TABLES) await central.query(insert, [acmeId, stamp]);
    for (const query of live) await query.until((p) => p.total === 1, 120_000);
    const elapsed = Date.now() - written;
    testInfo.annotations.push({ type: 'live latency', description: `${elapsed} ms for all three tables` });
  } finally {
    for (const query of live) query.stop();
  }

  await page.getByText('up-to-date').first().waitFor();
  const screenshot = testInfo.outputPath('engine-harness.png');
  await page.screenshot({ path: screenshot, fullPage: true });
  await testInfo.attach('engine-harness', { path: screenshot, contentType: 'image/png' });

  // The HAR is written when its context closes.
  contexts.splice(contexts.indexOf(context), 1);
  await context.close();
  const entries = (JSON.parse(await readFile(har, 'utf8')) as { log: { entries: HarEntry[] } }).log.entries;
  // A request aborted after its headers arrived (the client's refresh of a lagging shape) has a status
  // but no protocol: Chromium's HAR then says HTTP/1.1 by default. Only completed responses count.
  const answered = entries.filter((e) => e.response.status > 0 && !e.response._failureText);
  const shapes = answered.filter((e) => new URL(e.request.url).pathname === '/v1/shape');
  const shapeTables = new Set(shapes.map((e) => new URL(e.request.url).searchParams.get('table')));
  expect(shapeTables.size).toBeGreaterThan(6);
  const versions = new Set(answered.map((e) => e.response.httpVersion));
  expect([...versions]).toEqual(['HTTP/2.0']);
});
