/**
 * renderer/harness/engine.ts: a page of the harness build (harness/engine.html, vite.harness.config.ts;
 * never in the app's builds) that starts the core in a module Web Worker and lets the end-to-end
 * tests drive it through the RPC contract, exactly as the UI would (e2e/engine-contract.spec.ts).
 *
 *   test ──page.evaluate──► window.__outpostHarness.call / subscribe / unsubscribe
 *        ──createRpcClient(portFromEventTarget(worker))──► core/host/web-worker-entry.ts (LocalEngine)
 *   worker ──events──► harness ──window.__outpostHarnessEvent(id, { event } | { error })──► test
 *                                 (a function the test exposes with page.exposeBinding)
 *
 * The page URL's `?namespace=` (validated, [a-z0-9-]{1,40}) becomes the worker's name, which the core
 * uses as the prefix of its IndexedDB databases and of its origin lock, so tests can run several
 * engines side by side. Nothing is exposed but the three functions: every request still goes through
 * the contract's validation in the core. Errors come back as `{ error: { code, message } }` (the code
 * of an OutpostError, `internal` for anything else), never as exceptions, so they survive
 * page.evaluate's serialisation. A small status panel shows what the core is doing (for screenshots).
 */
import { OutpostError } from '../../common/errors.ts';
import { createRpcClient } from '../../common/rpc/client.ts';
import type {
  CallName,
  CallParams,
  SubscriptionName,
  SubscriptionParams,
  SyncStatus,
  WriteState,
} from '../../common/rpc/contract.ts';
import { portFromEventTarget } from '../../common/rpc/protocol.ts';

export type HarnessError = { readonly code: string; readonly message: string };
export type HarnessCallResult = { readonly ok: unknown } | { readonly error: HarnessError };
export type HarnessDelivery = { readonly event: unknown } | { readonly error: HarnessError };

export interface OutpostHarness {
  call(method: string, params: unknown): Promise<HarnessCallResult>;
  /** Starts a subscription; its events go to `window.__outpostHarnessEvent(id, delivery)`. */
  subscribe(topic: string, params: unknown): number;
  unsubscribe(id: number): void;
}

declare global {
  interface Window {
    __outpostHarness?: OutpostHarness;
    /** Exposed by the test (page.exposeBinding) before the page loads. */
    __outpostHarnessEvent?: (id: number, delivery: HarnessDelivery) => unknown;
  }
}

const NAMESPACE = /^[a-z0-9-]{1,40}$/;
const PROBE_MS = 500;

function text(id: string, value: string): void {
  const element = document.getElementById(id);
  if (element) element.textContent = value;
}

function logLine(line: string): void {
  const list = document.getElementById('log');
  if (!list) return;
  const item = document.createElement('li');
  item.textContent = `${new Date().toISOString().slice(11, 23)} ${line}`;
  list.prepend(item);
  while (list.children.length > 14) list.lastElementChild?.remove();
}

function toHarnessError(error: unknown): HarnessError {
  if (error instanceof OutpostError) return { code: error.code, message: error.message };
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}

const requested = new URLSearchParams(window.location.search).get('namespace') ?? 'outpost';
if (!NAMESPACE.test(requested)) throw new Error(`harness: invalid namespace ${JSON.stringify(requested)}`);
text('namespace', requested);

const worker = new Worker(new URL('../../core/host/web-worker-entry.ts', import.meta.url), {
  type: 'module',
  name: requested,
});
worker.addEventListener('error', (event) => {
  text('core', `failed to start: ${event.message}`);
  logLine(`worker error: ${event.message}`);
});
const client = createRpcClient(portFromEventTarget(worker));

/**
 * Resolves once the core answers (with a result or an error such as `locked`). The worker only
 * listens after it has taken its origin lock, so a message sent earlier can go unanswered: probe
 * until one is answered.
 */
async function coreAnswers(): Promise<void> {
  for (;;) {
    const answered = await Promise.race([
      client.call('session.get', undefined).then(
        () => true,
        () => true,
      ),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), PROBE_MS)),
    ]);
    if (answered) return;
  }
}

const ready = coreAnswers();

function showStatus(status: SyncStatus): void {
  text(
    'sync',
    `${status.state}${status.lastError ? ` (${status.lastError.code}: ${status.lastError.message})` : ''}`,
  );
  const done = status.tables.filter((t) => t.state === 'up-to-date').length;
  const rows = status.tables.reduce((sum, t) => sum + t.rows, 0);
  text('tables', status.tables.length ? `${done}/${status.tables.length} up to date, ${rows} rows` : '-');
}

function showWrites(writes: WriteState[]): void {
  const rejected = writes.filter((w) => w.status === 'rejected').length;
  text('writes', `${writes.length - rejected} pending, ${rejected} rejected`);
}

void ready.then(() => {
  text('core', 'ready');
  client.subscribe('sync.status', undefined, showStatus, (e) => text('sync', `ended: ${e.code}`));
  client.subscribe('writes.list', undefined, showWrites, (e) => text('writes', `ended: ${e.code}`));
});

let nextSubscription = 1;
const subscriptions = new Map<number, () => void>();

function deliver(id: number, delivery: HarnessDelivery): void {
  void Promise.resolve(window.__outpostHarnessEvent?.(id, delivery)).catch(() => undefined);
}

window.__outpostHarness = {
  async call(method, params) {
    await ready;
    try {
      const ok = await client.call(method as CallName, params as CallParams<CallName>);
      logLine(`${method} ok`);
      return { ok };
    } catch (error) {
      const failure = toHarnessError(error);
      logLine(`${method} ${failure.code}`);
      return { error: failure };
    }
  },
  subscribe(topic, params) {
    const id = nextSubscription++;
    let stop: (() => void) | null = null;
    let ended = false;
    subscriptions.set(id, () => {
      ended = true;
      stop?.();
    });
    void ready.then(() => {
      if (ended) return;
      stop = client.subscribe(
        topic as SubscriptionName,
        params as SubscriptionParams<SubscriptionName>,
        (event) => deliver(id, { event }),
        (error) => {
          subscriptions.delete(id);
          deliver(id, { error: toHarnessError(error) });
        },
      );
    });
    logLine(`subscribe ${topic} #${id}`);
    return id;
  },
  unsubscribe(id) {
    subscriptions.get(id)?.();
    subscriptions.delete(id);
  },
};
