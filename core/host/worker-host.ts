/**
 * core/host/worker-host.ts: the engine in a browser Web Worker (`npm run web`, the end-to-end tests),
 * serving the RPC contract to the page over the worker's message channel.
 *
 *   page ──postMessage──► worker: Web Lock `outpost-core` (one engine per origin) ─► LocalEngine
 *        databases: OPFS directory outpost-<sha256(account)> (core/host/opfs-storage.ts; else idb://):
 *                   one database per account, a new one started from the local template
 *        tokens:    IndexedDB `outpost-secrets`
 *
 * Guarantees: only one worker per origin runs an engine (a second tab gets `locked` for every call,
 * instead of a second PGlite on the same database; a reload waits for the old worker to let go); each account's data lives in its own
 * IndexedDB database named by a digest of its key; the page can only reach the engine through the
 * contract (serveRpc validates every payload). Browser APIs are declared here, not imported: the
 * core compiles without DOM libraries.
 */
import { OutpostError } from '../../common/errors.ts';
import type { MigrationFile } from '../../common/migrations/runner.ts';
import { CALLS, SUBSCRIPTIONS } from '../../common/rpc/contract.ts';
import { portFromEventTarget, type RpcMessage, type RpcPort } from '../../common/rpc/protocol.ts';
import { serveRpc, type CallHandlers, type SubscriptionHandlers } from '../../common/rpc/server.ts';
import { openLocalDatabase } from '../database/local-database.ts';
import { LocalEngine, type LocalEngineOptions } from '../engine/local-engine.ts';
import { IndexedDbSecretStore } from './idb-secret-store.ts';
import { opfsCreateDatabase, opfsDatabaseState, opfsFilesystem } from './opfs-storage.ts';

/** The part of a DedicatedWorkerGlobalScope this host uses. */
export type WorkerScope = Parameters<typeof portFromEventTarget>[0];

interface LockManager {
  request(
    name: string,
    options: { signal: unknown },
    callback: (lock: unknown) => Promise<unknown>,
  ): Promise<unknown>;
}

/**
 * How long a new worker waits for the origin lock. A reloaded page starts its worker while the old
 * page's worker is still being torn down (it holds the lock and PGlite's OPFS handles until then); a
 * second tab that keeps the engine open is told `locked` after this wait.
 */
const LOCK_WAIT_MS = 5_000;

export interface WorkerHostOptions extends Omit<LocalEngineOptions, 'store' | 'openDatabase'> {
  readonly scope: WorkerScope;
  readonly migrations: readonly MigrationFile[];
  /** Prefix of the IndexedDB database names (tests use their own). */
  readonly namespace?: string;
  /**
   * The local template (scripts/build/local-template.ts) a new account's database starts from;
   * without it (or when it answers null) the database is created and migrated here, which is slow.
   */
  readonly template?: () => Promise<Blob | null>;
}

async function digest(text: string): Promise<string> {
  const bytes = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(bytes)]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
    .slice(0, 32);
}

/**
 * Whether PGlite can keep an account's database in the Origin Private File System
 * (core/host/opfs-storage.ts: the data directory in memory, every commit's changed files and WAL
 * written to OPFS before the commit returns, through synchronous access handles, so workers only);
 * where it cannot, IndexedDB (`idb://`). Both are durable per commit. IndexedDB writes the changed files back on every commit
 * (150-200 ms each in Chromium), too slow for the stream of small transactions that keeping a hundred
 * shapes live produces: queries queued behind them for tens of seconds. PGlite 0.5.16's `opfs-ahp://`
 * failed here with `ERRORDATA_STACK_SIZE exceeded` while migrating a new database.
 */
function hasOpfs(): boolean {
  const scope = globalThis as unknown as {
    FileSystemSyncAccessHandle?: unknown;
    navigator?: { storage?: { getDirectory?: unknown } };
  };
  return (
    typeof scope.FileSystemSyncAccessHandle === 'function' &&
    typeof scope.navigator?.storage?.getDirectory === 'function'
  );
}

/**
 * Holds the origin-wide lock until `release` is called; null when another worker still holds it after
 * `LOCK_WAIT_MS`.
 */
async function acquireOriginLock(name: string): Promise<{ release(): void } | null> {
  const scope = globalThis as unknown as {
    navigator?: { locks?: LockManager };
    AbortSignal: { timeout(ms: number): unknown };
  };
  const locks = scope.navigator?.locks;
  if (!locks) return { release: () => undefined };
  return new Promise((resolve) => {
    locks
      .request(name, { signal: scope.AbortSignal.timeout(LOCK_WAIT_MS) }, async () => {
        await new Promise<void>((release) => resolve({ release }));
      })
      .catch(() => resolve(null)); // the wait timed out: another worker keeps the lock
  });
}

/**
 * The page may send before the engine serves (while the lock and the engine start): hold those
 * messages and hand them to the first listener, so no early call is lost.
 */
function bufferedUntilServed(base: RpcPort): RpcPort {
  const early: RpcMessage[] = [];
  const stopBuffering = base.onMessage((message) => early.push(message));
  return {
    postMessage: (message) => base.postMessage(message),
    onMessage(listener) {
      stopBuffering();
      const off = base.onMessage(listener);
      for (const message of early.splice(0)) listener(message);
      return off;
    },
  };
}

/** Serves `locked` for everything: another tab runs the engine. */
function serveLocked(port: RpcPort): void {
  const refuse = () => {
    throw new OutpostError(
      'locked',
      'Outpost is already open in another tab or window of this browser; use that one.',
    );
  };
  const calls = Object.fromEntries(
    Object.keys(CALLS).map((name) => [name, refuse]),
  ) as unknown as CallHandlers;
  const subscriptions = Object.fromEntries(
    Object.keys(SUBSCRIPTIONS).map((name) => [name, refuse]),
  ) as unknown as SubscriptionHandlers;
  serveRpc(port, calls, subscriptions);
}

export async function startWorkerHost(options: WorkerHostOptions): Promise<LocalEngine | null> {
  const { scope, migrations, namespace = 'outpost', template, ...engineOptions } = options;
  const port = bufferedUntilServed(portFromEventTarget(scope));
  const lock = await acquireOriginLock(`${namespace}-core`);
  if (!lock) {
    serveLocked(port);
    return null;
  }
  const engine = new LocalEngine({
    ...engineOptions,
    store: new IndexedDbSecretStore(`${namespace}-secrets`),
    openDatabase: async (accountKey) => {
      const name = `${namespace}-${await digest(accountKey)}`;
      if (!hasOpfs()) return (await openLocalDatabase({ dataDir: `idb://${name}`, migrations })).db;
      if ((await opfsDatabaseState(name)) === 'ready')
        return (await openLocalDatabase({ fs: opfsFilesystem(name), migrations })).db;
      const loadDataDir = (await template?.()) ?? undefined;
      return opfsCreateDatabase(name, async () => {
        const { db } = await openLocalDatabase({
          fs: opfsFilesystem(name),
          migrations,
          ...(loadDataDir ? { loadDataDir } : {}),
        });
        await db.syncToFs();
        return db;
      });
    },
  });
  engine.serve(port);
  return engine;
}
