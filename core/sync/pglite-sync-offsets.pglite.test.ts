/**
 * The fixes patches/@electric-sql+pglite-sync+0.6.1.patch makes to pglite-sync's multi-shape
 * subscription (syncShapesToTables with a key), against a scripted Shape API stand-in with two tables
 * `a` and `b`, so that one shape can be made to stall while the other receives a change:
 *  1. The offset saved for a shape at a commit never lies past a change that commit did not apply.
 *     Unpatched, every commit saved each stream's current offset, so a change buffered while another
 *     shape lagged was skipped after a restart and never applied (lost for good).
 *  2. A commit runs only when the LSN every shape has reached moves past the last one committed.
 *     Unpatched, the committed LSN was never advanced after start, so every batch of every shape
 *     (each long-poll answer) ran a transaction rewriting the subscription's metadata.
 *  3. Resuming with nothing new since the last commit still reports the initial sync as done.
 *     Unpatched, `onInitialSync` waited for a commit that had nothing to commit.
 * Messages up to the committed LSN that a resumed stream delivers again are skipped, not re-applied.
 */
import { PGlite } from '@electric-sql/pglite';
import { electricSync } from '@electric-sql/pglite-sync';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

interface Subscription {
  unsubscribe(): void;
}
interface SyncApi {
  syncShapesToTables(o: unknown): Promise<Subscription>;
}

const SCHEMA = JSON.stringify({ id: { type: 'int4', pk_index: 0 } });
const upToDate = (lsn: number) => ({ headers: { control: 'up-to-date', global_last_seen_lsn: String(lsn) } });
const insertA = {
  key: '"public"."a"/"1"',
  value: { id: 1 },
  headers: { operation: 'insert', lsn: '20', op_position: 0, last: true },
};

/** The stand-in: `a` gets a change at LSN 20 once released; `b` answers nothing while stalled. */
class StandIn {
  readonly requests: string[] = [];
  released = false;
  stalled = true;
  /** The LSN `b` reports being up to date with once it answers. */
  bLsn = 20;
  private readonly held = new Set<ServerResponse>();
  private readonly server = createServer((req, res) => this.answer(req, res));

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1/shape`;
  }

  /** Releases `a`'s change: a held request for it is answered now. */
  releaseChange(): void {
    this.released = true;
    for (const res of [...this.held]) res.emit('release');
  }

  async stop(): Promise<void> {
    for (const res of this.held) res.end();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const table = url.searchParams.get('table') ?? '';
    const offset = url.searchParams.get('offset') ?? '';
    const live = url.searchParams.get('live') === 'true';
    this.requests.push(`${table} ${offset}${live ? ' live' : ''}`);
    const send = (nextOffset: string, messages: unknown[]): void => {
      res
        .writeHead(200, {
          'content-type': 'application/json',
          'electric-handle': `h-${table}`,
          'electric-offset': nextOffset,
          'electric-schema': SCHEMA,
          'electric-cursor': String(this.requests.length),
          'electric-up-to-date': '',
        })
        .end(JSON.stringify(messages));
    };
    const hold = (then?: () => void) => {
      this.held.add(res);
      res.on('close', () => this.held.delete(res));
      if (then) res.once('release', then);
    };
    if (offset === '-1') return send('0_inf', [upToDate(10)]);
    if (table === 'a' && offset === '0_inf') {
      const change = () => send('20_0', [insertA, upToDate(20)]);
      if (this.released) return change();
      return live ? hold(change) : send('0_inf', [upToDate(10)]);
    }
    if (table === 'a') return live ? hold() : send(offset, [upToDate(20)]);
    if (this.stalled || live) return hold();
    return send(offset, [upToDate(this.bLsn)]);
  }
}

describe('pglite-sync subscription offsets and commits', () => {
  let standIn: StandIn;
  let url: string;
  let db: PGlite;
  let commits: number;

  beforeEach(async () => {
    standIn = new StandIn();
    url = await standIn.start();
    db = await PGlite.create({ extensions: { sync: electricSync() } });
    await db.exec(`CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int PRIMARY KEY);`);
    commits = 0;
    const transaction = db.transaction.bind(db);
    db.transaction = ((fn: Parameters<typeof transaction>[0]) => {
      commits++;
      return transaction(fn);
    }) as typeof db.transaction;
  });

  afterEach(async () => {
    await standIn.stop();
    await db.close();
  });

  const subscribe = (onInitialSync?: () => void) =>
    (db as unknown as { sync: SyncApi }).sync.syncShapesToTables({
      key: 'account',
      shapes: Object.fromEntries(
        ['a', 'b'].map((t) => [t, { shape: { url, params: { table: t } }, table: t, primaryKey: ['id'] }]),
      ),
      ...(onInitialSync ? { onInitialSync } : {}),
    });

  const until = async (what: string, ok: () => boolean | Promise<boolean>) => {
    while (!(await ok())) {
      if (standIn.requests.length > 500) throw new Error(`${what}: never happened`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const saved = async () =>
    (
      await db.query<{ shape_metadata: Record<string, { offset: string }>; last_lsn: string }>(
        `SELECT shape_metadata, last_lsn FROM electric.subscriptions_metadata WHERE key = 'account'`,
      )
    ).rows[0];
  const rowsOfA = async () => (await db.query<{ id: number }>(`SELECT id FROM a`)).rows.map((r) => r.id);

  /** Both shapes synced and committed at LSN 10; then `a` receives its change while `b` lags. */
  async function changeWhileBLags(): Promise<Subscription> {
    const subscription = await subscribe();
    await until('the first commit', async () => (await saved()) !== undefined);
    expect((await saved())?.last_lsn).toBe('10');
    standIn.releaseChange();
    // `a` asks again from 20_0 only after pglite-sync has taken the change; a query then waits for any
    // commit that batch started (PGlite runs one statement or transaction at a time).
    await until('a asks past its change', () => standIn.requests.includes('a 20_0 live'));
    await until('b is asked to catch up', () =>
      standIn.requests.some((r) => r.startsWith('b 0_inf') && !r.endsWith('live')),
    );
    await db.query('SELECT 1');
    return subscription;
  }

  it('never saves an offset past a change it has not applied, so a restart still applies it', async () => {
    const first = await changeWhileBLags();
    expect(await rowsOfA()).toEqual([]); // held back: b has not caught up with LSN 20
    first.unsubscribe();
    expect((await saved())?.shape_metadata['a']?.offset).toBe('0_inf');

    standIn.stalled = false;
    const second = await subscribe();
    await until('the change is applied after the restart', async () => (await rowsOfA()).length > 0);
    expect(await rowsOfA()).toEqual([1]);
    expect((await saved())?.last_lsn).toBe('20');
    second.unsubscribe();
  }, 60_000);

  it('commits only when the LSN every shape has reached moves', async () => {
    const subscription = await changeWhileBLags();
    // One commit (LSN 10); the batches after it (a's change, answers at LSN 10) brought nothing to commit.
    expect(commits).toBe(1);
    subscription.unsubscribe();
  }, 60_000);

  it('reports the initial sync on a resume that has nothing new to commit', async () => {
    standIn.stalled = false;
    standIn.bLsn = 10;
    const first = await subscribe();
    await until('the first commit', async () => (await saved()) !== undefined);
    first.unsubscribe();
    const before = standIn.requests.length;
    // Every shape now answers at LSN 10 at most (a is not released, b has nothing new): nothing to commit.
    let initialSync = false;
    const second = await subscribe(() => (initialSync = true));
    await until('the resumed shapes are asked', () => standIn.requests.length >= before + 2);
    await until('the initial sync is reported', () => initialSync);
    expect(commits).toBe(1);
    second.unsubscribe();
  }, 60_000);
});
