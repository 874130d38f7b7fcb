/**
 * How the sync controller treats errors that happen before any request reaches the server (the
 * header function that supplies the bearer token throws): a session that ended stops every table at
 * once, and any other such error is retried with a growing wait. Both without spinning the event
 * loop: @electric-sql/client restarts a stream as soon as onError asks it to, so a retry that does not
 * wait would loop on microtasks forever (timers, tests and the UI would freeze).
 */
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { electricSync } from '@electric-sql/pglite-sync';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OutpostError } from '../../common/errors.ts';
import { migratedPGliteDump } from '../../scripts/testing/migrated.ts';
import { AuthClient, type Tokens } from '../session/auth-client.ts';
import { SessionManager, type SecretStore } from '../session/session-manager.ts';
import { SyncController, type SyncingPGlite } from './sync-controller.ts';

const memoryStore = (): SecretStore => {
  const values = new Map<string, string>();
  return {
    get: (k) => Promise.resolve(values.get(k) ?? null),
    set: (k, v) => Promise.resolve(void values.set(k, v)),
    delete: (k) => Promise.resolve(void values.delete(k)),
  };
};

// Already expired, so every request's header function goes through a refresh.
const TOKENS: Tokens = {
  token: 'a.b.c',
  refresh_token: 'tenant.secret',
  expires_at: new Date(0).toISOString(),
  user: { id: 'u1', email: 'a@b.test', full_name: null, role: 'admin', roles: ['admin'], permissions: [] },
  tenant: { id: 't1', slug: 't', name: 'T', type: 'standalone', visible_tenant_ids: ['t1'] },
};

/** An auth client whose sign-in works and whose refresh fails with the given error, counting calls. */
class FailingRefresh extends AuthClient {
  refreshes = 0;
  constructor(private readonly failure: () => Error) {
    super();
  }
  override login(): Promise<Tokens> {
    return Promise.resolve(TOKENS);
  }
  override refresh(): Promise<Tokens> {
    this.refreshes++;
    return Promise.reject(this.failure());
  }
}

/** The largest lateness of a 20 ms timer over `ms`: large when the event loop is starved. */
async function timerLateness(ms: number): Promise<number> {
  let worst = 0;
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const started = Date.now();
    await new Promise((r) => setTimeout(r, 20));
    worst = Math.max(worst, Date.now() - started - 20);
  }
  return worst;
}

const TABLES = ['dashboards', 'workflows', 'documents'];

describe('sync controller errors before a request', () => {
  let db: SyncingPGlite;
  let controller: SyncController | null = null;

  beforeAll(async () => {
    db = (await PGlite.create({
      extensions: { vector, sync: electricSync() },
      loadDataDir: await migratedPGliteDump('local'),
    })) as unknown as SyncingPGlite;
  });
  afterEach(async () => {
    await controller?.stop();
    controller = null;
  });
  afterAll(async () => {
    await db.close();
  });

  async function start(client: FailingRefresh, retryBaseMs = 100): Promise<SyncController> {
    const sessions = new SessionManager({ store: memoryStore(), client });
    // Nothing listens here: the header function fails before any request is made.
    await sessions.signIn('http://127.0.0.1:9', { email: 'a@b.test', password: 'x', tenant: 't' });
    controller = new SyncController({
      db,
      sessions,
      targets: () =>
        TABLES.map((table) => ({ table, schema: 'synced', localTable: table, primaryKey: ['id'] })),
      retryBaseMs,
      retryMaxMs: 400,
    });
    await controller.start();
    return controller;
  }

  it('stops every table when the session has ended, without spinning', async () => {
    const client = new FailingRefresh(() => new OutpostError('unauthenticated', 'revoked'));
    const sync = await start(client);
    const lateness = await timerLateness(1_000);
    expect(sync.current.state).toBe('sign-in-required');
    expect(sync.current.lastError?.code).toBe('unauthenticated');
    // One refresh is shared by the streams that asked at once; nobody asks again afterwards.
    expect(client.refreshes).toBeLessThanOrEqual(TABLES.length);
    const settled = client.refreshes;
    await timerLateness(300);
    expect(client.refreshes).toBe(settled);
    expect(lateness).toBeLessThan(500);
  });

  it('retries any other failure with a growing wait, and keeps the event loop free', async () => {
    const client = new FailingRefresh(() => new OutpostError('internal', 'the token store is locked'));
    const sync = await start(client, 100);
    const lateness = await timerLateness(1_500);
    // Waits of 100, 200, 400, 400 ms: a handful of attempts per table in 1.5 s, not thousands.
    expect(client.refreshes).toBeGreaterThan(TABLES.length);
    expect(client.refreshes).toBeLessThanOrEqual(TABLES.length * 7);
    expect(sync.current.lastError?.code).toBe('internal');
    expect(sync.current.state).not.toBe('error');
    expect(lateness).toBeLessThan(500);
    // Stopping ends the retries.
    await sync.stop();
    const stopped = client.refreshes;
    await timerLateness(600);
    expect(client.refreshes).toBeLessThanOrEqual(stopped + TABLES.length);
  });

  it('retry keeps the running subscription (its buffered changes) and ends the waits at once', async () => {
    const client = new FailingRefresh(() => new OutpostError('internal', 'the token store is locked'));
    let subscriptions = 0;
    const subscribe = db.sync.syncShapesToTables.bind(db.sync);
    db.sync.syncShapesToTables = (options) => {
      subscriptions++;
      return subscribe(options);
    };
    try {
      const sync = await start(client, 2_000);
      // Every table is now waiting out a 2 s backoff.
      await timerLateness(300);
      const before = client.refreshes;
      await sync.retry();
      await timerLateness(300);
      // Without the retry the next attempts would come 2 s after the first (one refresh is shared).
      expect(client.refreshes).toBeGreaterThan(before);
      expect(subscriptions).toBe(1);
    } finally {
      db.sync.syncShapesToTables = subscribe;
    }
  });
});
