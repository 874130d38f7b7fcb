/**
 * core/engine/local-engine.ts: the local-first engine every host runs: one signed-in account at a time,
 * its own local database, the sync of everything it may read, its outbox uploader, and the handlers of
 * the RPC contract (common/rpc/contract.ts) the UI talks to.
 *
 *   signIn / resume ─► session (SessionManager) ─► account key (server, tenant, user)
 *        ─► that account's database (host: a directory, or the browser's OPFS / idb:// per account)
 *        ─► SyncController (every readable table, live) + Uploader (outbox → /v1/mutations)
 *        ─► TableService (explorer queries and writes), local named operations, write states,
 *           the workspace editor's local drafts (core/workspaces/draft-calls.ts)
 *        ─► checkpoints (core/database/checkpoints.ts): a reopen after an unclean end replays little WAL
 *   signOut ─► stop sync and uploads, close the database (kept on disk with its pending writes)
 *
 * Guarantees:
 *   - Accounts never share a database: switching user or tenant closes one account's database and
 *     opens the other's, so no query can return the previous user's rows.
 *   - Writes go through the database (views and INSTEAD OF triggers, or a named operation run
 *     locally with the server's rules); each becomes one outbox mutation, uploaded in order; the
 *     uploader is kicked after every write.
 *   - Subscriptions (sync status, write states, table queries) survive account switches: they follow
 *     the active account; with nobody signed in the status says `signed-out` and queries fail with
 *     `signed_out`.
 *   - signIn / resume return once the account's database is open: sync starts behind them, so what is
 *     on the device shows without waiting for the network.
 *   - close() stops sync and uploads and closes the database cleanly (the host then releases its lock).
 */
import { OutpostError } from '../../common/errors.ts';
import type { MutationActor } from '../../common/mutations/types.ts';
import type { QueryReader } from '../../common/queries/query.ts';
import {
  type CallResult,
  type Session,
  type SyncStatus,
  type WriteState,
} from '../../common/rpc/contract.ts';
import type { RpcPort } from '../../common/rpc/protocol.ts';
import { serveRpc, type CallHandlers, type SubscriptionHandlers } from '../../common/rpc/server.ts';
import { startAuditVerification } from '../audit/verify-subscription.ts';
import { keepCheckpointing } from '../database/checkpoints.ts';
import type { LocalDatabase } from '../database/local-database.ts';
import { runLocalNamedMutation } from '../outbox/local-operation.ts';
import { dismissRejection, withdrawMutation } from '../outbox/outbox.ts';
import { Uploader } from '../outbox/uploader.ts';
import {
  WRITE_COUNTS_SQL,
  WRITE_STATES_SQL,
  writeStateOf,
  type WriteCounts,
  type WriteStateRow,
} from '../outbox/write-states.ts';
import type { AuthClient } from '../session/auth-client.ts';
import { accountKey, SessionManager, type SecretStore } from '../session/session-manager.ts';
import { SIGNED_OUT_STATUS, SyncController, type SyncingPGlite } from '../sync/sync-controller.ts';
import { syncTargets } from '../sync/targets.ts';
import { QueryService } from '../queries/query-service.ts';
import { TableService } from '../tables/table-service.ts';
import { draftCalls } from '../workspaces/draft-calls.ts';

export interface LocalEngineOptions {
  /** Where tokens are kept (Node: a 0600 file; Electron: safeStorage; browser: IndexedDB). */
  readonly store: SecretStore;
  /** Opens (creating and migrating if needed) the local database of an account. */
  readonly openDatabase: (accountKey: string) => Promise<LocalDatabase>;
  /** For shapes and writes; the global fetch by default. */
  readonly fetch?: typeof fetch;
  readonly authClient?: AuthClient;
  readonly statusIntervalMs?: number;
  readonly uploadPollMs?: number;
  readonly uploadRetryBaseMs?: number;
  /** Where internal errors (bugs) are reported. */
  readonly onInternalError?: (error: unknown, where: string) => void;
}

/** The signed-in account's running parts. */
interface Account {
  readonly key: string;
  readonly db: LocalDatabase;
  readonly tables: TableService;
  readonly queries: QueryService;
  readonly sync: SyncController;
  readonly uploader: Uploader;
  writes: WriteState[];
  counts: WriteCounts;
  readonly dispose: (() => void)[];
}

export class LocalEngine {
  readonly sessions: SessionManager;
  private account: Account | null = null;
  /** Serialises account switches (sign-in, resume, sign-out, close). */
  private switching: Promise<unknown> = Promise.resolve();
  private status: SyncStatus = SIGNED_OUT_STATUS;
  private readonly statusListeners = new Set<(s: SyncStatus) => void>();
  private readonly writesListeners = new Set<(w: WriteState[]) => void>();
  private readonly accountListeners = new Set<() => void>();
  private closed = false;

  constructor(private readonly options: LocalEngineOptions) {
    this.sessions = new SessionManager({
      store: options.store,
      ...(options.authClient ? { client: options.authClient } : {}),
    });
    // A refresh after sign-in-required (or any session change) may restart what was stopped.
    this.sessions.subscribe((state) => {
      if (this.account && state.session && !state.signInRequired) this.account.uploader.retryNow();
    });
  }

  /** The active account's database (tests, backups, tools); null when nobody is signed in. */
  get database(): LocalDatabase | null {
    return this.account?.db ?? null;
  }

  get syncStatus(): SyncStatus {
    return this.status;
  }

  async signIn(serverUrl: string, credentials: { email: string; password: string; tenant: string }) {
    return this.exclusive(() => this.opening(() => this.sessions.signIn(serverUrl, credentials)));
  }

  /** Continues with the account saved on this device (works offline). */
  async resume(): Promise<Session> {
    return this.exclusive(() => this.opening(() => this.sessions.resume()));
  }

  /**
   * Signs in or resumes, then opens the account: the status says `opening` meanwhile (never "signed
   * out" or "offline" while the user waits for their data), and goes back to what it was if it fails.
   */
  private async opening(session: () => Promise<Session>): Promise<Session> {
    const previous = this.status;
    if (!this.account) this.publishStatus({ ...SIGNED_OUT_STATUS, state: 'opening' });
    try {
      const opened = await session();
      await this.activate(opened);
      return opened;
    } catch (error) {
      if (!this.account) this.publishStatus(previous.state === 'opening' ? SIGNED_OUT_STATUS : previous);
      throw error;
    }
  }

  async signOut(): Promise<void> {
    await this.exclusive(async () => {
      await this.deactivate();
      await this.sessions.signOut();
    });
  }

  /** Sync and upload now (the network is back, after an error, or when the user asks). */
  async retry(): Promise<void> {
    const account = this.account;
    if (!account) throw new OutpostError('signed_out', 'Nobody is signed in; sign in first.');
    account.uploader.retryNow();
    await account.sync.retry();
  }

  /** A gzipped copy of the active account's data directory, consistent at one point in time. */
  async backup(): Promise<CallResult<'database.backup'>> {
    const account = this.requireAccount();
    const blob = await account.db.dumpDataDir('gzip');
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    return {
      fileName: `outpost-${account.key.replace(/[^a-zA-Z0-9-]+/g, '_')}-${stamp}.tar.gz`,
      bytes: new Uint8Array(await blob.arrayBuffer()),
    };
  }

  async close(): Promise<void> {
    await this.exclusive(async () => {
      this.closed = true;
      await this.deactivate();
    });
  }

  /** Serves the contract on a port; returns the server (close it when the port goes away). */
  serve(port: RpcPort): { close(): void } {
    return serveRpc(port, this.calls, this.subscriptions, {
      ...(this.options.onInternalError ? { onInternalError: this.options.onInternalError } : {}),
    });
  }

  readonly calls: CallHandlers = {
    'session.get': () => this.sessions.state.session,
    'session.signIn': ({ serverUrl, ...credentials }) => this.signIn(serverUrl, credentials),
    'session.resume': () => this.resume(),
    'session.saved': () => this.sessions.savedAccount(),
    'session.signOut': async () => {
      await this.signOut();
      return null;
    },
    'sync.retry': async () => {
      await this.retry();
      return null;
    },
    'catalog.tables': () => this.requireAccount().tables.tables(this.permissions()),
    'table.query': (query) => this.requireAccount().tables.query(this.permissions(), query),
    'table.get': ({ table, key }) => this.requireAccount().tables.get(this.permissions(), table, key),
    'table.write': async (write) => {
      const account = this.requireAccount();
      const result = await account.tables.write(this.permissions(), this.actor(), write);
      account.uploader.kick();
      return result;
    },
    'mutation.run': async ({ name, key, values, holdMs }) => {
      const account = this.requireAccount();
      const { id, result } = await runLocalNamedMutation(account.db, this.actor(), {
        name,
        ...(key ? { key } : {}),
        ...(values ? { values } : {}),
        ...(holdMs ? { holdMs } : {}),
      });
      account.uploader.kick();
      // A held write is sent when its undo window closes (the uploader's poll would be later).
      if (holdMs) {
        const timer = setTimeout(() => account.uploader.kick(), holdMs + 20);
        account.dispose.push(() => clearTimeout(timer));
      }
      return { mutationId: id, result };
    },
    'query.run': (request) => this.requireAccount().queries.run(this.reader(), request),
    'writes.dismiss': async ({ id }) => {
      await dismissRejection(this.requireAccount().db, id);
      return null;
    },
    'writes.withdraw': async ({ id }) => {
      const outcome = await withdrawMutation(this.requireAccount().db, id);
      if (outcome === 'sent')
        throw new OutpostError(
          'conflict',
          'This change has already been sent to the server, so it can no longer be taken back here.',
        );
      if (outcome === 'unknown')
        throw new OutpostError('not_found', 'This change is no longer waiting on this device.');
      return null;
    },
    'database.backup': () => this.backup(),
    ...draftCalls({
      db: () => this.requireAccount().db,
      actor: () => this.actor(),
      afterWrite: () => this.account?.uploader.kick(),
    }),
  };

  readonly subscriptions: SubscriptionHandlers = {
    'sync.status': (_params, emit) => {
      emit(this.status);
      this.statusListeners.add(emit);
      return () => this.statusListeners.delete(emit);
    },
    'session.current': (_params, emit) => this.sessions.subscribe((state) => emit(state.session)),
    'writes.list': (_params, emit) => {
      emit(this.account?.writes ?? []);
      this.writesListeners.add(emit);
      return () => this.writesListeners.delete(emit);
    },
    'table.query': (query, emit, fail) =>
      this.followAccount((account) => account.tables.liveQuery(this.permissions(), query, emit, fail), fail),
    'query.live': (request, emit, fail) =>
      this.followAccount((account) => account.queries.live(this.reader(), request, emit, fail), fail),
    'audit.verify': ({ tenantId }, emit, fail) =>
      startAuditVerification(this.requireAccount().db, this.reader(), tenantId, emit, fail),
  };

  /**
   * A live query that follows the active account: started on the account there is now, and again on
   * every account switch (the previous one's stopped first); while an account is opening it waits for
   * it; with nobody signed in it fails `signed_out`.
   */
  private followAccount(
    start: (account: Account) => Promise<() => void>,
    fail: (error: unknown) => void,
  ): () => void {
    let stopLive: (() => void) | null = null;
    let ended = false;
    const attach = () => {
      stopLive?.();
      stopLive = null;
      const account = this.account;
      if (!account) {
        // While an account is being opened (a sign-in, a resume, a switch), wait for it: this runs
        // again once it is active. Signed out, the subscription fails.
        if (this.status.state !== 'opening')
          fail(new OutpostError('signed_out', 'Nobody is signed in; sign in first.'));
        return;
      }
      start(account)
        .then((stop) => {
          if (ended || this.account !== account) stop();
          else stopLive = stop;
        })
        .catch(fail);
    };
    attach();
    this.accountListeners.add(attach);
    return () => {
      ended = true;
      this.accountListeners.delete(attach);
      stopLive?.();
    };
  }

  private async activate(session: Session): Promise<void> {
    if (this.closed) throw new OutpostError('signed_out', 'The engine is closed.');
    const key = accountKey(session);
    if (this.account?.key === key) {
      await this.account.sync.start();
      this.account.uploader.retryNow();
      return;
    }
    await this.deactivate({ ...SIGNED_OUT_STATUS, state: 'opening' });
    const db = await this.options.openDatabase(key);
    const account: Account = {
      key,
      db,
      tables: new TableService({ db }),
      queries: new QueryService(db),
      sync: new SyncController({
        db: db as unknown as SyncingPGlite,
        sessions: this.sessions,
        targets: (permissions) => syncTargets(db, permissions),
        writeCounts: () => account.counts,
        ...(this.options.fetch ? { fetchClient: this.options.fetch } : {}),
        ...(this.options.statusIntervalMs ? { statusIntervalMs: this.options.statusIntervalMs } : {}),
      }),
      uploader: new Uploader({
        db,
        sessions: this.sessions,
        accountKey: key,
        ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
        ...(this.options.uploadPollMs ? { pollMs: this.options.uploadPollMs } : {}),
        ...(this.options.uploadRetryBaseMs ? { retryBaseMs: this.options.uploadRetryBaseMs } : {}),
      }),
      writes: [],
      counts: { pending: 0, rejected: 0 },
      dispose: [],
    };
    const live = await db.live.query<WriteStateRow>(WRITE_STATES_SQL, [], (result) => {
      account.writes = result.rows.map(writeStateOf);
      // The status carries only the counts, which the query below follows.
      if (this.account === account) for (const listener of this.writesListeners) listener(account.writes);
    });
    account.writes = live.initialResults.rows.map(writeStateOf);
    account.dispose.push(() => void live.unsubscribe());
    const counts = await db.live.query<WriteCounts>(WRITE_COUNTS_SQL, [], (result) => {
      account.counts = result.rows[0] ?? { pending: 0, rejected: 0 };
      if (this.account === account) account.sync.publish();
    });
    account.counts = counts.initialResults.rows[0] ?? { pending: 0, rejected: 0 };
    account.dispose.push(() => void counts.unsubscribe());
    const checkpoints = keepCheckpointing(db, {
      onError: (error) => this.options.onInternalError?.(error, 'checkpoint'),
    });
    account.dispose.push(() => checkpoints.stop());
    account.dispose.push(
      account.sync.subscribe((status) => {
        if (this.account === account) this.publishStatus(status);
      }),
    );
    this.account = account;
    for (const listener of this.writesListeners) listener(account.writes);
    for (const listener of this.accountListeners) listener();
    account.uploader.start();
    // The data on this device is usable now; sync catches up behind it, so neither the network nor the
    // subscription's setup (2 to 3.5 s in Chromium) delays the first paint.
    account.sync.start().catch((error: unknown) => {
      if (this.account === account) this.options.onInternalError?.(error, 'sync.start');
    });
  }

  /** Closes the active account; the status becomes `next` (signed out, or opening the next account). */
  private async deactivate(next: SyncStatus = SIGNED_OUT_STATUS): Promise<void> {
    const account = this.account;
    if (!account) return;
    this.account = null;
    await account.sync.stop();
    await account.uploader.stop();
    for (const dispose of account.dispose) dispose();
    this.publishStatus(next);
    for (const listener of this.writesListeners) listener([]);
    for (const listener of this.accountListeners) listener();
    await account.db.close();
  }

  private publishStatus(status: SyncStatus): void {
    this.status = status;
    for (const listener of this.statusListeners) listener(status);
  }

  private requireAccount(): Account {
    if (!this.account) throw new OutpostError('signed_out', 'Nobody is signed in; sign in first.');
    return this.account;
  }

  private permissions(): ReadonlySet<string> {
    return new Set(this.sessions.state.session?.user.permissions ?? []);
  }

  private actor(): MutationActor {
    const session = this.sessions.state.session;
    if (!session) throw new OutpostError('signed_out', 'Nobody is signed in; sign in first.');
    return {
      userId: session.user.id,
      tenantId: session.tenant.id,
      permissions: new Set(session.user.permissions),
      visibleTenantIds: session.tenant.visibleTenantIds,
    };
  }

  private reader(): QueryReader {
    const { userId, tenantId, permissions, visibleTenantIds } = this.actor();
    return { userId, tenantId, permissions, visibleTenantIds };
  }

  private exclusive<T>(run: () => Promise<T>): Promise<T> {
    const next = this.switching.then(run, run);
    this.switching = next.catch(() => undefined);
    return next;
  }
}
