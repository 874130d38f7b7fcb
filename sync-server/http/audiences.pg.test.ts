/**
 * Idle long-polls of a tenant are answered when a transaction reaches another shape of that tenant
 * (live-audiences.ts): the answer is `up-to-date` with a `global_last_seen_lsn` that covers the
 * transaction, long before the long-poll's timeout; another tenant's long-polls keep waiting. A live
 * request that arrives after such a transaction (it was between two long-polls) is answered at once
 * when its cursor carries an older LSN (live-cursor.ts), and held when it carries the new one.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readShape, signIn, TEST_AUTH_SECRET, type SignedIn } from '../../scripts/testing/gated.ts';
import { createSeededTestDatabase, type SeededTestDatabase } from '../../scripts/testing/seeded.ts';
import { startTestSyncServer, type TestSyncServer } from '../../scripts/testing/sync-server.ts';

interface Message {
  headers: { control?: string; global_last_seen_lsn?: string; lsn?: string; operation?: string };
  value?: Record<string, unknown>;
}

describe('live audiences', () => {
  let seeded: SeededTestDatabase;
  let sync: TestSyncServer;
  let central: pg.Client;
  let acme: SignedIn;
  let globex: SignedIn;

  beforeAll(async () => {
    seeded = await createSeededTestDatabase('audiences', { scale: 1 });
    // A long-poll longer than the test's own timeout: an answer can only come from a wake.
    sync = await startTestSyncServer(seeded.db.url, {
      auth: { secret: TEST_AUTH_SECRET },
      longPollMs: 600_000,
    });
    acme = await signIn(sync.server.url, 'admin@acme.test', 'acme');
    globex = await signIn(sync.server.url, 'admin@globex.test', 'globex');
    central = new pg.Client({ connectionString: seeded.db.url });
    await central.connect();
  }, 120_000);

  afterAll(async () => {
    await central?.end();
    await sync?.stop();
    await seeded?.client.end();
    await seeded?.db.drop();
  });

  /** Starts a live long-poll for `table` from its current end; resolves with the answer. */
  async function longPoll(who: SignedIn, table: string, signal: AbortSignal) {
    const start = await readShape(sync.shapeUrl, who.token, { table });
    expect(start.status).toBe(200);
    const url = new URL(sync.shapeUrl);
    url.searchParams.set('table', table);
    url.searchParams.set('offset', start.offset ?? '');
    url.searchParams.set('handle', start.handle ?? '');
    url.searchParams.set('live', 'true');
    const answer = fetch(url, { headers: { authorization: `Bearer ${who.token}` }, signal }).then(
      async (r) => ({
        status: r.status,
        offset: r.headers.get('electric-offset'),
        body: (await r.json()) as Message[],
      }),
    );
    return { offset: start.offset, answer };
  }

  /** One request for `table` at `offset`/`handle`, live or not, sending `cursor`. */
  async function request(
    who: SignedIn,
    table: string,
    at: { offset: string; handle: string; cursor?: string | null; live?: boolean },
    signal?: AbortSignal,
  ) {
    const url = new URL(sync.shapeUrl);
    url.searchParams.set('table', table);
    url.searchParams.set('offset', at.offset);
    url.searchParams.set('handle', at.handle);
    if (at.live) url.searchParams.set('live', 'true');
    if (at.cursor) url.searchParams.set('cursor', at.cursor);
    const r = await fetch(url, {
      headers: { authorization: `Bearer ${who.token}` },
      ...(signal ? { signal } : {}),
    });
    const body = (await r.json()) as Message[];
    const upToDate = body.find((m) => m.headers.control === 'up-to-date');
    return {
      status: r.status,
      cursor: r.headers.get('electric-cursor'),
      lsn: upToDate ? BigInt(upToDate.headers.global_last_seen_lsn ?? '-1') : null,
    };
  }

  async function untilHeld(n: number): Promise<void> {
    while (sync.server.engine.audiences.holding < n) await new Promise((r) => setTimeout(r, 20));
  }

  it('answers the idle long-polls of the tenant a transaction reached, and only those', async () => {
    const abort = new AbortController();
    try {
      const changed = await longPoll(acme, 'dashboards', abort.signal);
      const other = await longPoll(acme, 'alerts', abort.signal);
      const foreign = await longPoll(globex, 'alerts', abort.signal);
      let foreignSettled = false;
      void foreign.answer.then(
        () => (foreignSettled = true),
        () => undefined,
      );
      await untilHeld(3);

      await central.query(`INSERT INTO dashboards (tenant_id, name) VALUES ($1, 'audience test')`, [
        acme.tenant.id,
      ]);
      const withChange = await changed.answer;
      const insert = withChange.body.find((m) => m.headers.operation === 'insert');
      expect(insert?.value?.['name']).toBe('audience test');
      const lsn = BigInt(insert?.headers.lsn ?? '0');

      const woken = await other.answer;
      expect(woken.status).toBe(200);
      expect(woken.offset).toBe(other.offset); // nothing new for alerts
      const upToDate = woken.body.find((m) => m.headers.control === 'up-to-date');
      expect(BigInt(upToDate?.headers.global_last_seen_lsn ?? '0')).toBeGreaterThanOrEqual(lsn);
      expect(woken.body.filter((m) => m.headers.operation)).toEqual([]);

      // globex's long-poll was not woken by acme's transaction (a wake is synchronous with acme's).
      expect(foreignSettled).toBe(false);
      expect(sync.server.engine.audiences.holding).toBe(1);
    } finally {
      abort.abort();
    }
  }, 120_000);

  it('answers at once a live request that missed the wake, and holds one that heard of it', async () => {
    const abort = new AbortController();
    try {
      const start = await readShape(sync.shapeUrl, acme.token, { table: 'alerts' });
      const at = { offset: start.offset ?? '', handle: start.handle ?? '' };
      // A refresh (non-live, up to date) hands out the cursor with the LSN it told the client.
      const before = await request(acme, 'alerts', at);
      expect(before.cursor).toMatch(/^[0-9]+_[0-9]+$/);
      expect(before.cursor?.endsWith(`_${before.lsn}`)).toBe(true);
      const foreignStart = await readShape(sync.shapeUrl, globex.token, { table: 'alerts' });
      const foreignAt = { offset: foreignStart.offset ?? '', handle: foreignStart.handle ?? '' };
      const foreignBefore = await request(globex, 'alerts', foreignAt);

      // A transaction reaches acme while no acme request is held (nothing to wake).
      const changed = await longPoll(acme, 'dashboards', abort.signal);
      await untilHeld(1);
      await central.query(`INSERT INTO dashboards (tenant_id, name) VALUES ($1, 'missed test')`, [
        acme.tenant.id,
      ]);
      const withChange = await changed.answer;
      const lsn = BigInt(withChange.body.find((m) => m.headers.operation)?.headers.lsn ?? '0');
      expect(sync.server.engine.audiences.holding).toBe(0);

      // The next live request, with the cursor from before: answered at once (the long-poll is 600 s).
      const caught = await request(acme, 'alerts', { ...at, cursor: before.cursor, live: true });
      expect(caught.status).toBe(200);
      expect(caught.lsn).not.toBeNull();
      expect(caught.lsn ?? 0n).toBeGreaterThanOrEqual(lsn);
      expect(caught.cursor?.endsWith(`_${caught.lsn}`)).toBe(true);

      // With the cursor of that answer it has heard of the transaction: held.
      let settled = false;
      void request(acme, 'alerts', { ...at, cursor: caught.cursor, live: true }, abort.signal).then(
        () => (settled = true),
        () => undefined,
      );
      // globex heard of nothing new for its tenant: held too, with its old cursor.
      void request(
        globex,
        'alerts',
        { ...foreignAt, cursor: foreignBefore.cursor, live: true },
        abort.signal,
      ).then(
        () => (settled = true),
        () => undefined,
      );
      await untilHeld(2);
      expect(settled).toBe(false);
    } finally {
      abort.abort();
    }
  }, 120_000);
});
