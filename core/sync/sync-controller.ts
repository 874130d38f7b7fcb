/**
 * core/sync/sync-controller.ts: keeps the local database in sync with everything the signed-in user
 * may read, through @electric-sql/pglite-sync (one multi-shape, transactional subscription), and
 * reports where that stands.
 *
 *   start ─► targets (readable tables, dependency order, where each one's server state lives)
 *         ─► syncShapesToTables({ key, shapes }) with a fresh bearer token on every request
 *         ─► status: connecting ─► initial-sync (per table: waiting / syncing / up-to-date, rows)
 *                    ─► up-to-date ⇄ offline (no stream connected) ; error (a table refused, with the
 *                    server's code) ; sign-in-required (the refresh token was refused)
 *
 * Guarantees: every shape request carries the current access token (a header function evaluated per
 * request); a 401 triggers one refresh and a retry, and a refused refresh stops syncing in the
 * `sign-in-required` state without touching local data; a network failure shows `offline` and holds
 * every shape request until one probe (backoff 0.25 s doubling to 30 s, or the browser's `online` event)
 * reaches the server (network-gate.ts); a 403/400 for a table is an `error` naming it. The subscription
 * key names the account and the table set, so a restart resumes from the stored offsets and a changed
 * table set (new permissions) starts a fresh subscription rather than mixing the two.
 */
import type { PGliteInterface } from '@electric-sql/pglite';
import type { MapColumnsFn, ShapeToTableOptions } from '@electric-sql/pglite-sync';
import type { FetchError, ShapeStreamInterface, Row } from '@electric-sql/client';
import type { SyncStatus } from '../../common/rpc/contract.ts';
import { withArrayLiterals } from '../../common/sync/pg-array-literal.ts';
import { PGLITE_SHAPE_PARSERS } from '../../common/sync/shape-parsers.ts';
import { isOutpostError, OutpostError } from '../../common/errors.ts';
import { accountKey, type SessionManager } from '../session/session-manager.ts';
import { NetworkGate } from './network-gate.ts';

/** A table to sync: its name on the server, and where its server state is stored locally. */
export interface SyncTarget {
  readonly table: string;
  readonly schema: string;
  readonly localTable: string;
  readonly primaryKey: readonly string[];
  /** The row pglite-sync writes for a message (applier-target.ts); array literals by default. */
  readonly mapColumns?: MapColumnsFn;
}

interface SyncApi {
  syncShapesToTables(options: {
    key: string | null;
    shapes: Record<string, ShapeToTableOptions>;
    onInitialSync?: () => void;
    onError?: (error: FetchError | Error) => void;
  }): Promise<{
    unsubscribe(): void;
    readonly isUpToDate: boolean;
    streams: Record<string, ShapeStreamInterface<Row<unknown>>>;
  }>;
}

/** How long message batches are gathered into one status publication (a frame and a half). */
const PUBLISH_COALESCE_MS = 25;

export type SyncingPGlite = PGliteInterface & { sync: SyncApi };

export interface SyncControllerOptions {
  readonly db: SyncingPGlite;
  readonly sessions: SessionManager;
  /** The tables to sync for a session's permissions, parents before children. */
  readonly targets: (
    permissions: ReadonlySet<string>,
  ) => readonly SyncTarget[] | Promise<readonly SyncTarget[]>;
  /** A fetch for shape requests (e.g. HTTP/2 through undici); the global fetch by default. */
  readonly fetchClient?: typeof fetch;
  /** How often the status is re-derived from the streams (connection state has no event). */
  readonly statusIntervalMs?: number;
  /** First and largest wait before a failed table stream is restarted (250 ms and 30 s by default). */
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  /** The first wait before probing an unreachable server (0.25 s by default). */
  readonly networkProbeBaseMs?: number;
  /** Pending and rejected write counts, supplied by the outbox. */
  readonly writeCounts?: () => { pending: number; rejected: number };
}

type TableState = SyncStatus['tables'][number];

/** The status while nobody is signed in. */
export const SIGNED_OUT_STATUS: SyncStatus = {
  state: 'signed-out',
  tables: [],
  pendingWrites: 0,
  rejectedWrites: 0,
  lastSyncedAt: null,
  lastError: null,
};

function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

export class SyncController {
  private subscription: Awaited<ReturnType<SyncApi['syncShapesToTables']>> | null = null;
  private tables = new Map<string, TableState>();
  private status: SyncStatus = SIGNED_OUT_STATUS;
  private readonly listeners = new Set<(status: SyncStatus) => void>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private publishTimer: ReturnType<typeof setTimeout> | null = null;
  private initialDone = false;
  private lastError: SyncStatus['lastError'] = null;
  private fatal = false;
  private lastSyncedAt: string | null = null;
  private generation = 0;
  /** Consecutive failed attempts per table, reset when the table's stream delivers messages. */
  private readonly attempts = new Map<string, number>();
  /**
   * Whether the server can be reached (core/sync/network-gate.ts): while it cannot, the shapes' requests
   * wait and one probe at a time checks, with backoff. "Offline" is shown only then, never merely
   * because the first answers are slow. One gate per start (it knows the server's URL).
   */
  private gate: NetworkGate | null = null;
  /** Tables waiting out their backoff (retryDelay): retry() wakes them. */
  private readonly waiting = new Set<() => void>();

  constructor(private readonly options: SyncControllerOptions) {}

  /** A gate for `serverUrl` that publishes the status when it goes down or up. */
  private openGate(serverUrl: string): NetworkGate {
    const raw = this.options.fetchClient ?? fetch;
    const health = new URL('/v1/health', serverUrl).toString();
    // The gate also follows the runtime's online / offline events (a worker gets them too).
    return new NetworkGate({
      fetch: raw,
      probe: async () => {
        await raw(health);
        return true;
      },
      onChange: () => this.publish(),
      ...(this.options.networkProbeBaseMs ? { baseMs: this.options.networkProbeBaseMs } : {}),
    });
  }

  /** Probes now when the network was down (a user's retry). */
  nudge(): void {
    this.gate?.nudge();
  }

  /**
   * Sync now (the network is back, or the user asked). A running subscription is kept: pglite-sync
   * holds a shape's changes in memory until every shape has reached them, and a restart throws that
   * work away (unpatched pglite-sync also saved offsets past those changes, so a restart lost them for
   * good: a decision that arrived while other shapes were offline never reached the local tables; our
   * patch fixes that, core/sync/pglite-sync-offsets.pglite.test.ts). Instead the gate probes at once and
   * every table waiting out its backoff goes now. Only a controller that stopped on a fatal error, or
   * never started, starts again.
   */
  async retry(): Promise<void> {
    if (this.subscription && !this.fatal) {
      this.nudge();
      for (const wake of [...this.waiting]) wake();
      return;
    }
    await this.start();
  }

  get current(): SyncStatus {
    return this.status;
  }

  subscribe(listener: (status: SyncStatus) => void): () => void {
    this.listeners.add(listener);
    listener(this.status);
    return () => this.listeners.delete(listener);
  }

  /** Starts (or restarts) syncing for the current session. */
  async start(): Promise<void> {
    await this.stop();
    const generation = ++this.generation;
    const session = this.options.sessions.state.session;
    if (!session) {
      this.publish();
      return;
    }
    const targets = await this.options.targets(new Set(session.user.permissions));
    if (generation !== this.generation) return;
    const key = `outpost-${fnv1a(`${session.serverUrl}|${session.tenant.id}|${session.user.id}|${targets.map((t) => t.table).join(',')}`)}`;
    // The rows already on the device when the subscription resumes (each shape continues from where it
    // was, so its messages count only what changed since); a fresh one counts what it receives.
    const held = await this.rowsHeld(key, targets);
    if (generation !== this.generation) return;
    this.tables = new Map(
      targets.map((t) => [t.table, { table: t.table, state: 'waiting', rows: held.get(t.table) ?? 0 }]),
    );
    this.initialDone = false;
    this.fatal = false;
    this.attempts.clear();
    this.lastError = null;
    const gate = this.openGate(session.serverUrl);
    this.gate = gate;
    const url = new URL('/v1/shape', session.serverUrl).toString();
    const sessions = this.options.sessions;
    const account = accountKey(session);
    // Never another account's token on this database's shapes (a sign-in as someone else stops them).
    const bearer = async () => {
      const current = sessions.state.session;
      if (!current || accountKey(current) !== account)
        throw new OutpostError('signed_out', 'Another account is signed in; this sync stopped.');
      // While the server cannot be reached the request waits in the gate, so no refresh is tried for it
      // (one per shape retry was 350 failed requests a minute offline); a 401 after it refreshes then.
      return `Bearer ${await sessions.accessToken({ refresh: !gate.isDown })}`;
    };
    const shapes: Record<string, ShapeToTableOptions> = {};
    for (const target of targets) {
      shapes[target.table] = {
        shape: {
          url,
          params: { table: target.table },
          headers: { authorization: () => bearer() },
          // pglite-sync bundles its own @electric-sql/client, whose Parser type cannot name Uint8Array.
          parser: PGLITE_SHAPE_PARSERS as unknown as NonNullable<ShapeToTableOptions['shape']['parser']>,
          fetchClient: gate.fetch,
          onError: async (error: Error) => this.onShapeError(generation, target.table, error),
        },
        table: target.localTable,
        schema: target.schema,
        primaryKey: [...target.primaryKey],
        mapColumns:
          target.mapColumns ?? ((message) => withArrayLiterals(message.value as Record<string, unknown>)),
      };
    }
    this.publish();
    const subscription = await this.options.db.sync.syncShapesToTables({
      key,
      shapes,
      onInitialSync: () => {
        this.initialDone = true;
        this.publish();
      },
      onError: (error) => this.recordError(null, error),
    });
    if (generation !== this.generation) {
      subscription.unsubscribe();
      return;
    }
    this.subscription = subscription;
    for (const [table, stream] of Object.entries(subscription.streams)) {
      stream.subscribe(
        (messages) => {
          const entry = this.tables.get(table);
          if (!entry) return;
          this.attempts.delete(table);
          let rows = entry.rows;
          for (const m of messages) {
            const op = (m.headers as { operation?: string }).operation;
            if (op === 'insert') rows++;
            else if (op === 'delete') rows--;
          }
          this.tables.set(table, { table, state: stream.isUpToDate ? 'up-to-date' : 'syncing', rows });
          if (stream.isUpToDate) this.lastSyncedAt = new Date().toISOString();
          this.publishSoon();
        },
        (error) => this.recordError(table, error),
      );
    }
    this.timer = setInterval(() => this.publish(), this.options.statusIntervalMs ?? 1_000);
    this.publish();
  }

  async stop(): Promise<void> {
    this.generation++;
    for (const wake of [...this.waiting]) wake();
    this.gate?.stop();
    this.gate = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.subscription?.unsubscribe();
    this.subscription = null;
    this.publish();
    await Promise.resolve();
  }

  /**
   * How many rows each target holds on this device now, in one statement, if subscription `key` resumes
   * (pglite-sync keeps its shapes' offsets in electric.subscriptions_metadata); empty for a fresh one,
   * whose rows (reference rows a migration prefilled included) all arrive as messages.
   */
  private async rowsHeld(key: string, targets: readonly SyncTarget[]): Promise<Map<string, number>> {
    if (targets.length === 0) return new Map();
    const { rows: resumed } = await this.options.db.query<{ resumes: boolean }>(
      `SELECT to_regclass('electric.subscriptions_metadata') IS NOT NULL AS resumes`,
    );
    if (!resumed[0]?.resumes) return new Map();
    const { rows: found } = await this.options.db.query(
      `SELECT 1 FROM electric.subscriptions_metadata WHERE key = $1`,
      [key],
    );
    if (found.length === 0) return new Map();
    const parts = targets.map(
      (t, i) =>
        `SELECT ${i} AS i, count(*)::int AS n FROM "${t.schema.replace(/"/g, '""')}"."${t.localTable.replace(/"/g, '""')}"`,
    );
    try {
      const { rows } = await this.options.db.query<{ i: number; n: number }>(parts.join(' UNION ALL '));
      return new Map(rows.map((r) => [targets[r.i]?.table ?? '', r.n]));
    } catch {
      // A count is a nicety of the status; a table that cannot be counted shows what sync brings.
      return new Map();
    }
  }

  /** Re-derives and publishes the status (also after the outbox changed its counts). */
  /**
   * Publishes once for the message batches of one moment: a central commit answers every live shape
   * (98 batches), and a status per batch (compared and sent as JSON) was the client's largest cost per
   * change (bench/engine.ts --profile).
   */
  private publishSoon(): void {
    if (this.publishTimer) return;
    this.publishTimer = setTimeout(() => {
      this.publishTimer = null;
      this.publish();
    }, PUBLISH_COALESCE_MS);
  }

  publish(): void {
    if (this.publishTimer) clearTimeout(this.publishTimer);
    this.publishTimer = null;
    const counts = this.options.writeCounts?.() ?? { pending: 0, rejected: 0 };
    const session = this.options.sessions.state;
    let state: SyncStatus['state'];
    const streams = this.subscription ? Object.values(this.subscription.streams) : [];
    if (!session.session) state = 'signed-out';
    else if (session.signInRequired) state = 'sign-in-required';
    else if (this.fatal) state = 'error';
    else if (this.gate?.isDown) state = 'offline';
    else if (!this.subscription) state = 'connecting';
    else if (!this.initialDone) state = streams.some((s) => s.hasStarted()) ? 'initial-sync' : 'connecting';
    else state = this.subscription.isUpToDate ? 'up-to-date' : 'initial-sync';
    const next: SyncStatus = {
      state,
      tables: [...this.tables.values()],
      pendingWrites: counts.pending,
      rejectedWrites: counts.rejected,
      lastSyncedAt: this.lastSyncedAt,
      lastError: this.lastError,
    };
    if (JSON.stringify(next) === JSON.stringify(this.status)) return;
    this.status = next;
    for (const listener of this.listeners) listener(next);
  }

  /**
   * Decides whether a table's stream restarts after an error (`{}`) or stops (`undefined`). The client
   * restarts at once when told to, so every retry here waits first (exponential, capped): an error that
   * recurs without any network round trip (a header function that throws) must not spin the CPU.
   */
  private async onShapeError(
    generation: number,
    table: string,
    error: Error,
  ): Promise<void | Record<string, never>> {
    if (generation !== this.generation) return;
    const status = (error as { status?: number }).status;
    if (isOutpostError(error, 'signed_out') || isOutpostError(error, 'unauthenticated')) {
      // From the header function: nobody is signed in, or the session already ended on the server.
      this.recordError(table, error);
      return;
    }
    if (status === 401) {
      try {
        await this.options.sessions.tokenRejected();
      } catch (refreshError) {
        const offline = isOutpostError(refreshError, 'offline');
        this.recordError(table, refreshError, offline);
        if (!offline) return;
      }
      return (await this.retryDelay(generation, table)) ? {} : undefined;
    }
    if (status === undefined || status >= 500 || status === 429) {
      this.recordError(table, error, true);
      return (await this.retryDelay(generation, table)) ? {} : undefined;
    }
    this.fatal = true;
    this.recordError(table, error);
    return;
  }

  /** Waits before a table's next attempt; false when the controller stopped or restarted meanwhile. */
  private async retryDelay(generation: number, table: string): Promise<boolean> {
    const attempt = (this.attempts.get(table) ?? 0) + 1;
    this.attempts.set(table, attempt);
    const base = this.options.retryBaseMs ?? 250;
    const delay = Math.min(base * 2 ** (attempt - 1), this.options.retryMaxMs ?? 30_000);
    await new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiting.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, delay);
      this.waiting.add(wake);
    });
    return generation === this.generation;
  }

  /** Records the latest error; a transient one (to be retried) leaves the table's state as it was. */
  private recordError(table: string | null, error: unknown, transient = false): void {
    const body = (error as { json?: { code?: unknown; message?: unknown } }).json;
    // The server's stable code: the `outpost-error-code` header (FetchError keeps every header), or
    // the body's `code` member.
    const header = (error as { headers?: Record<string, string> }).headers?.['outpost-error-code'];
    const code = isOutpostError(error)
      ? error.code
      : typeof header === 'string'
        ? header
        : typeof body?.code === 'string'
          ? body.code
          : 'internal';
    const message =
      typeof body?.message === 'string'
        ? body.message
        : error instanceof Error
          ? error.message
          : String(error);
    this.lastError = {
      code,
      message: table ? `${table}: ${message}` : message,
      at: new Date().toISOString(),
    };
    if (table && !transient) {
      const entry = this.tables.get(table);
      if (entry) this.tables.set(table, { ...entry, state: 'error' });
    }
    this.publish();
  }
}
