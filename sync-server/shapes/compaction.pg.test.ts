/**
 * Shape log compaction against a real PostgreSQL 15 and the real clients (@electric-sql/client's
 * ShapeStream, @electric-sql/pglite-sync into PGlite). Every client must end with exactly the central
 * rows, and between two must-refetches must see no anomaly (an insert of a row it has, an update or
 * delete of one it has not, a message twice):
 *
 *   - automatic compaction (small thresholds) while a writer keeps updating, inserting, deleting and
 *     changing primary keys: live clients of two shapes (one with a `where` rows move in and out of,
 *     replica=full) and a pglite-sync client converge;
 *   - a stale handle gets 409 must-refetch with the new handle, also while it is held in a live poll,
 *     and offset -1 of the new handle serves the folded rows;
 *   - transactions that commit while a compaction runs (held open at each step) are carried over to
 *     the new shape: nothing lost, nothing twice;
 *   - a restart after compaction resumes the new shape, and the old handle still gets 409;
 *   - a crash at each step of a compaction (the data directory copied at that moment, with a copy of
 *     the replication slot as it was acknowledged then, and a server started on the copy) leaves the
 *     old shape (before `prepared`) or the new one (from `prepared` on), and clients resuming from
 *     where they were converge.
 */
import { PGlite } from '@electric-sql/pglite';
import { electricSync } from '@electric-sql/pglite-sync';
import { ShapeStream, type Message, type Row } from '@electric-sql/client';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../scripts/testing/postgres.ts';
import { SyncServer } from '../server.ts';
import type { CompactionSettings, CompactionStep } from './compaction.ts';

const ITEMS_DDL = `CREATE TABLE items (id int PRIMARY KEY, n int NOT NULL, note text)`;
const SEEDED = 300;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(
  check: () => boolean | Promise<boolean>,
  what: string | (() => string),
  timeoutMs = 30_000,
) {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`,
      );
    await sleep(50);
  }
}

function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ItemWriter {
  readonly committed: number;
  commits(n: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Commits transactions of several statements to `items` until stopped: updates of existing rows
 * (n cycles 0..9, so rows move in and out of `n >= 5`), inserts, deletes and primary key changes.
 */
function startItemWriter(url: string, seed: number, firstId: number, pauseMs = 0): ItemWriter {
  const random = prng(seed);
  let nextId = firstId;
  let committed = 0;
  let stopping = false;
  let failure: Error | null = null;
  const waiters: { target: number; resolve: () => void }[] = [];
  const loop = (async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('SET synchronous_commit = on');
    try {
      const ids = (await client.query<{ id: number }>('SELECT id FROM items')).rows.map((r) => r.id);
      const pick = () => {
        const i = Math.floor(random() * ids.length);
        return { i, id: ids[i] as number };
      };
      while (!stopping) {
        await client.query('BEGIN');
        for (let k = 0; k < 3 && ids.length > 0; k++) {
          await client.query(`UPDATE items SET n = (n + 1) % 10, note = $2 WHERE id = $1`, [
            pick().id,
            `u${committed}.${k}`,
          ]);
        }
        const r = random();
        if (r < 0.35 || ids.length < 50) {
          const id = nextId++;
          await client.query(`INSERT INTO items VALUES ($1, $2, $3)`, [
            id,
            Math.floor(random() * 10),
            random() < 0.2 ? null : `new ${id}`,
          ]);
          ids.push(id);
        } else if (r < 0.55) {
          const { i, id } = pick();
          await client.query(`DELETE FROM items WHERE id = $1`, [id]);
          ids.splice(i, 1);
        } else if (r < 0.65) {
          const { i, id } = pick();
          const to = nextId++;
          await client.query(`UPDATE items SET id = $2 WHERE id = $1`, [id, to]);
          ids[i] = to;
        }
        await client.query('COMMIT');
        committed++;
        for (const w of waiters.filter((x) => committed >= x.target)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
        if (pauseMs) await sleep(pauseMs);
      }
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
    } finally {
      await client.end();
    }
  })();
  return {
    get committed() {
      return committed;
    },
    commits: (n) => new Promise<void>((resolve) => waiters.push({ target: committed + n, resolve })),
    async stop() {
      stopping = true;
      await loop;
      for (const w of waiters.splice(0)) w.resolve();
      if (failure) throw failure;
    },
  };
}

/** The central rows matching `where`, canonical: sorted by id, every value as text. */
async function centralRows(url: string, where = 'true'): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string; n: string; note: string | null }>(
      `SELECT id::text AS id, n::text AS n, note FROM items WHERE ${where} ORDER BY items.id`,
    );
    return JSON.stringify(rows);
  } finally {
    await client.end();
  }
}

const canonical = (rows: Iterable<Row>): string =>
  JSON.stringify(
    [...rows]
      .map((r) => ({
        id: String(r['id'] as number | string),
        n: String(r['n'] as number | string),
        note: (r['note'] as string | null) ?? null,
      }))
      .sort((a, b) => Number(a.id) - Number(b.id)),
  );

/** What `actual` has that `expected` has not, and the other way round (canonical row lists). */
function difference(actual: string, expected: string): string {
  const a = new Set((JSON.parse(actual) as unknown[]).map((r) => JSON.stringify(r)));
  const e = new Set((JSON.parse(expected) as unknown[]).map((r) => JSON.stringify(r)));
  const extra = [...a].filter((r) => !e.has(r));
  const missing = [...e].filter((r) => !a.has(r));
  return `${extra.length} extra ${extra.slice(0, 3).join(' ')}, ${missing.length} missing ${missing.slice(0, 3).join(' ')}`;
}

/**
 * A strict materialiser that allows must-refetch: it then starts over (as a client must) and checks
 * the refetched stream with the same strictness.
 */
class Materialised {
  rows = new Map<string, Row>();
  readonly anomalies: string[] = [];
  refetches = 0;
  messages = 0;
  private seen = new Set<string>();

  clone(): Materialised {
    const copy = new Materialised();
    copy.rows = new Map(this.rows);
    copy.seen = new Set(this.seen);
    return copy;
  }

  apply(messages: readonly Message<Row>[]): void {
    for (const m of messages) {
      if (!('key' in m)) {
        if (m.headers.control === 'must-refetch') {
          this.refetches++;
          this.rows.clear();
          this.seen.clear();
        }
        continue;
      }
      this.messages++;
      const lsn = typeof m.headers['lsn'] === 'string' ? m.headers['lsn'] : 'snapshot';
      const op = m.headers['op_position'];
      const id = `${m.headers.operation} ${m.key} @${lsn}/${typeof op === 'number' ? op : ''}`;
      if (this.seen.has(id)) this.anomalies.push(`twice: ${id}`);
      this.seen.add(id);
      const present = this.rows.get(m.key);
      switch (m.headers.operation) {
        case 'insert':
          if (present) this.anomalies.push(`insert of a present row: ${id}`);
          this.rows.set(m.key, { ...m.value });
          break;
        case 'update':
          if (present) this.rows.set(m.key, { ...present, ...m.value });
          else this.anomalies.push(`update of a missing row: ${id}`);
          break;
        case 'delete':
          if (!present) this.anomalies.push(`delete of a missing row: ${id}`);
          this.rows.delete(m.key);
          break;
      }
    }
  }

  canonical(): string {
    return canonical(this.rows.values());
  }
}

interface Checkpoint {
  readonly handle: string;
  readonly offset: string;
  readonly state: Materialised;
}

/**
 * A live ShapeStream feeding a Materialised. With `checkpoints`, `checkpoint()` is where it was after
 * the last batch it applied (handle, offset, rows), recorded in the subscriber: the stream moves its
 * offset before it hands the batch to subscribers, so reading it at any other moment can be ahead.
 */
function follow(shapeUrl: string, params: Record<string, string>, resume?: Checkpoint, checkpoints = false) {
  const recorder = resume ? resume.state.clone() : new Materialised();
  const stream = new ShapeStream<Row>({
    url: shapeUrl,
    params: { table: 'items', ...params },
    ...(resume ? { handle: resume.handle, offset: resume.offset as `${number}_${number}` } : {}),
  });
  let last: Checkpoint | null = null;
  stream.subscribe((messages) => {
    recorder.apply(messages);
    if (checkpoints)
      last = { handle: stream.shapeHandle ?? '', offset: stream.lastOffset, state: recorder.clone() };
  });
  return {
    stream,
    recorder,
    checkpoint: (): Checkpoint => {
      if (!last) throw new Error('no checkpoint yet');
      return last;
    },
  };
}

async function startServer(
  url: string,
  dataDir: string,
  slotName: string,
  compaction: CompactionSettings | false,
  port?: number,
): Promise<SyncServer> {
  return SyncServer.start({
    databaseUrl: url,
    dataDir,
    slotName,
    longPollMs: 3_000,
    heartbeatIntervalMs: 1_000,
    log: () => undefined,
    compaction,
    ...(port === undefined ? {} : { port }),
  });
}

async function createItems(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(ITEMS_DDL);
    await client.query(
      `INSERT INTO items SELECT g, g % 10, 'seeded ' || g FROM generate_series(1, ${SEEDED}) g`,
    );
  } finally {
    await client.end();
  }
}

/** The handle the server gives a new client of `params`. */
async function activeHandle(shapeUrl: string, params = 'table=items'): Promise<string> {
  const response = await fetch(`${shapeUrl}?${params}&offset=-1`);
  await response.arrayBuffer();
  expect(response.status).toBe(200);
  return response.headers.get('electric-handle') ?? '';
}

/** Reads a shape from offset -1 to up-to-date with plain requests: its messages, in order. */
async function readWhole(shapeUrl: string, params = 'table=items'): Promise<Record<string, unknown>[]> {
  let offset = '-1';
  let handle = '';
  const out: Record<string, unknown>[] = [];
  for (;;) {
    const response = await fetch(
      `${shapeUrl}?${params}&offset=${offset}${handle ? `&handle=${handle}` : ''}`,
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>[];
    handle = response.headers.get('electric-handle') ?? '';
    offset = response.headers.get('electric-offset') ?? '';
    out.push(...body);
    if (response.headers.has('electric-up-to-date')) return out;
  }
}

function materialise(messages: Record<string, unknown>[]): Materialised {
  const m = new Materialised();
  m.apply(messages as unknown as Message<Row>[]);
  return m;
}

describe('automatic compaction while a writer keeps going', () => {
  let db: TestDatabase;
  let dataDir: string;
  let server: SyncServer;
  const swaps: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('compaction_auto');
    await createItems(db.url);
    dataDir = mkdtempSync(path.join(tmpdir(), 'outpost-compaction-auto-'));
    server = await startServer(db.url, dataDir, `slot_${db.name}`.slice(0, 63), {
      minLogBytes: 64 * 1024,
      ratio: 2,
      onStep: (step, handles) => {
        if (step === 'swapped') swaps.push(`${handles.old} -> ${handles.next}`);
      },
    });
  });

  afterAll(async () => {
    await server?.stop();
    await db?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('compacts by itself, and live ShapeStream and pglite-sync clients keep converging to the central rows', async () => {
    const shapeUrl = `${server.url}/v1/shape`;
    const all = follow(shapeUrl, {});
    const moving = follow(shapeUrl, { where: 'n >= 5', replica: 'full' });
    const local = (await PGlite.create({ extensions: { sync: electricSync() } })) as PGlite & {
      sync: { syncShapeToTable: (o: unknown) => Promise<{ unsubscribe(): void }> };
    };
    await local.exec(ITEMS_DDL);
    const subscription = await local.sync.syncShapeToTable({
      shape: { url: shapeUrl, params: { table: 'items' } },
      table: 'items',
      primaryKey: ['id'],
      shapeKey: null,
    });
    const localRows = async () =>
      JSON.stringify(
        (
          await local.query<{ id: string; n: string; note: string | null }>(
            `SELECT id::text AS id, n::text AS n, note FROM items ORDER BY items.id`,
          )
        ).rows,
      );
    const writer = startItemWriter(db.url, 1, 10_000, 2);
    try {
      await until(() => all.stream.isUpToDate && moving.stream.isUpToDate, 'the clients to be up to date');
      await until(
        () => swaps.length >= 3,
        () => `three compactions (${swaps.length} so far, ${writer.committed} transactions)`,
        60_000,
      );
      await writer.stop();
      const [expectedAll, expectedMoving] = [await centralRows(db.url), await centralRows(db.url, 'n >= 5')];
      await until(
        async () =>
          all.recorder.canonical() === expectedAll &&
          moving.recorder.canonical() === expectedMoving &&
          (await localRows()) === expectedAll,
        () =>
          `the clients to reach the central rows (${all.recorder.rows.size}, ${moving.recorder.rows.size})`,
      );
      await sleep(500); // a late duplicate would arrive now
      expect(all.recorder.canonical()).toBe(expectedAll);
      expect(moving.recorder.canonical()).toBe(expectedMoving);
      expect(await localRows()).toBe(expectedAll);
      expect(all.recorder.anomalies).toEqual([]);
      expect(moving.recorder.anomalies).toEqual([]);
      // (two compactions of one shape close together may cost a client one refetch, not two)
      expect(all.recorder.refetches + moving.recorder.refetches).toBeGreaterThanOrEqual(2);
      expect(all.stream.shapeHandle).toBe(await activeHandle(shapeUrl));
      // only the active shapes are left on disk
      await until(
        () => readdirSync(path.join(dataDir, 'shapes')).length === 2,
        'retired shapes to be removed',
      );
      console.log(
        `automatic compaction: ${swaps.length} compactions in ${writer.committed} transactions; ` +
          `${all.recorder.refetches} + ${moving.recorder.refetches} refetches; ${all.recorder.rows.size} rows`,
      );
    } finally {
      await writer.stop().catch(() => undefined);
      subscription.unsubscribe();
      all.stream.unsubscribeAll();
      moving.stream.unsubscribeAll();
      await local.close();
    }
  });
});

describe('compaction on demand', () => {
  let db: TestDatabase;
  let dataDir: string;
  let slot: string;
  let server: SyncServer;
  let onStep: CompactionSettings['onStep'];
  const shapeUrl = () => `${server.url}/v1/shape`;

  beforeAll(async () => {
    db = await createTestDatabase('compaction');
    await createItems(db.url);
    dataDir = mkdtempSync(path.join(tmpdir(), 'outpost-compaction-'));
    slot = `slot_${db.name}`.slice(0, 63);
    server = await startServer(db.url, dataDir, slot, {
      minLogBytes: Number.POSITIVE_INFINITY, // only when asked
      onStep: (step, handles) => onStep?.(step, handles),
    });
  });

  afterAll(async () => {
    await server?.stop();
    await db?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const compact = async (handle: string) => {
    const shape = server.engine.lookup(handle);
    if (!shape) throw new Error(`no shape ${handle}`);
    const outcome = await server.engine.compact(shape, { force: true });
    if (!outcome.compacted) throw new Error(`not compacted: ${outcome.reason}`);
    return outcome;
  };

  it('answers a stale handle with 409 and the new handle, also in a live poll; offset -1 serves the folded rows', async () => {
    const client = follow(shapeUrl(), {});
    const writer = startItemWriter(db.url, 2, 100_000);
    try {
      await writer.commits(200);
      await writer.stop();
      const central = await centralRows(db.url);
      await until(
        () => client.recorder.canonical() === central && client.stream.isUpToDate,
        () => `the client to catch up: ${difference(client.recorder.canonical(), central)}`,
      );
      const old = client.stream.shapeHandle ?? '';
      const offset = client.stream.lastOffset;
      const oldBytes = server.engine.lookup(old)?.log.byteLength ?? 0;

      const live = fetch(`${shapeUrl()}?table=items&handle=${old}&offset=${offset}&live=true&cursor=`);
      await sleep(200); // held by the server
      const outcome = await compact(old);
      expect(outcome.handle).not.toBe(old);
      expect(outcome.bytes).toBeLessThan(oldBytes / 2);

      const held = await live;
      expect(held.status).toBe(409);
      expect(held.headers.get('electric-handle')).toBe(outcome.handle);
      expect(await held.json()).toEqual([{ headers: { control: 'must-refetch' } }]);
      const stale = await fetch(`${shapeUrl()}?table=items&handle=${old}&offset=${offset}`);
      expect(stale.status).toBe(409);
      expect(stale.headers.get('electric-handle')).toBe(outcome.handle);
      await stale.arrayBuffer();

      expect(await activeHandle(shapeUrl())).toBe(outcome.handle);
      const whole = await readWhole(shapeUrl());
      // one insert per row, then snapshot-end: no update, no delete, nothing twice
      expect(
        whole.slice(0, -2).every((m) => (m['headers'] as { operation?: string }).operation === 'insert'),
      ).toBe(true);
      expect(whole.at(-2)?.['headers']).toMatchObject({ control: 'snapshot-end' });
      expect(whole.at(-1)?.['headers']).toMatchObject({ control: 'up-to-date' });
      const folded = materialise(whole);
      expect(folded.anomalies).toEqual([]);
      expect(folded.canonical()).toBe(central);

      await until(
        () => client.stream.shapeHandle === outcome.handle && client.recorder.canonical() === central,
        'the client to refetch',
      );
      expect(client.recorder.refetches).toBe(1);
      expect(client.recorder.anomalies).toEqual([]);
      await until(
        () => !existsSync(path.join(dataDir, 'shapes', old)),
        'the old shape to be removed from disk',
      );
    } finally {
      await writer.stop().catch(() => undefined);
      client.stream.unsubscribeAll();
    }
  });

  it('carries over every transaction that commits while it runs: nothing lost, nothing twice', async () => {
    const all = follow(shapeUrl(), {});
    const moving = follow(shapeUrl(), { where: 'n >= 5', replica: 'full' });
    const boundaries: { step: CompactionStep; lsn: bigint }[] = [];
    onStep = async (step, handles) => {
      const shape = server.engine.lookup(step === 'swapped' ? handles.next : handles.old);
      boundaries.push({ step, lsn: shape?.lastLsn ?? -1n });
      if (step !== 'swapped') await sleep(300); // transactions keep arriving meanwhile
    };
    const writer = startItemWriter(db.url, 3, 200_000);
    try {
      await until(() => all.stream.isUpToDate && moving.stream.isUpToDate, 'the clients to be up to date');
      for (let round = 0; round < 3; round++) {
        await writer.commits(30);
        const [a, m] = [
          await compact(all.stream.shapeHandle ?? ''),
          await compact(moving.stream.shapeHandle ?? ''),
        ];
        await until(
          () => all.stream.shapeHandle === a.handle && moving.stream.shapeHandle === m.handle,
          'the clients to move to the new shapes',
        );
      }
      await writer.stop();
      const [expectedAll, expectedMoving] = [await centralRows(db.url), await centralRows(db.url, 'n >= 5')];
      await until(
        () => all.recorder.canonical() === expectedAll && moving.recorder.canonical() === expectedMoving,
        () =>
          `the clients to reach the central rows (${all.recorder.rows.size}, ${moving.recorder.rows.size})`,
      );
      await sleep(500);
      expect(all.recorder.canonical()).toBe(expectedAll);
      expect(moving.recorder.canonical()).toBe(expectedMoving);
      expect(all.recorder.anomalies).toEqual([]);
      expect(moving.recorder.anomalies).toEqual([]);
      expect(all.recorder.refetches).toBeGreaterThanOrEqual(3);
      expect(moving.recorder.refetches).toBeGreaterThanOrEqual(3);
      // Transactions did arrive between the fold and the swap, and the new shape has them.
      for (let i = 0; i < boundaries.length; i += 3) {
        const [folded, prepared, swapped] = boundaries.slice(i, i + 3);
        expect([folded?.step, prepared?.step, swapped?.step]).toEqual(['folded', 'prepared', 'swapped']);
        expect(swapped?.lsn).toBeGreaterThan(folded?.lsn ?? 0n);
      }
      // And a new client reads the same rows from scratch, strictly.
      for (const [params, expected] of [
        ['table=items', expectedAll],
        ['table=items&where=n%20%3E%3D%205&replica=full', expectedMoving],
      ] as const) {
        const fresh = materialise(await readWhole(shapeUrl(), params));
        expect(fresh.anomalies).toEqual([]);
        expect(fresh.canonical()).toBe(expected);
      }
    } finally {
      onStep = undefined;
      await writer.stop().catch(() => undefined);
      all.stream.unsubscribeAll();
      moving.stream.unsubscribeAll();
    }
  });

  it('resumes the new shape after a restart; the old handle still gets 409 with the new one', async () => {
    const client = follow(shapeUrl(), {}, undefined, true);
    const writer = startItemWriter(db.url, 4, 300_000);
    try {
      await until(() => client.stream.isUpToDate, 'the client to be up to date');
      await writer.commits(50);
      const old = client.stream.shapeHandle ?? '';
      const { handle } = await compact(old);
      await writer.commits(50);
      await until(
        () => client.stream.shapeHandle === handle && client.stream.isUpToDate,
        'the client to move',
      );
      const lastLsn = server.engine.lookup(handle)?.lastLsn ?? 0n;
      await writer.stop();
      client.stream.unsubscribeAll();
      const at = client.checkpoint();

      const port = Number(new URL(server.url).port);
      await server.stop();
      const more = new pg.Client({ connectionString: db.url });
      await more.connect();
      await more.query(
        `UPDATE items SET note = 'while down' WHERE id IN (SELECT id FROM items ORDER BY id LIMIT 5)`,
      );
      await more.end();
      server = await startServer(
        db.url,
        dataDir,
        slot,
        { minLogBytes: Number.POSITIVE_INFINITY, onStep: (s, h) => onStep?.(s, h) },
        port,
      );
      expect(server.engine.lookup(handle)?.lastLsn).toBeGreaterThanOrEqual(lastLsn);
      expect(server.engine.lookup(old)).toBeUndefined();

      const resumed = follow(shapeUrl(), {}, at);
      const writer2 = startItemWriter(db.url, 5, 400_000);
      try {
        await writer2.commits(50);
      } finally {
        await writer2.stop();
      }
      const expected = await centralRows(db.url);
      const fresh = follow(shapeUrl(), {});
      try {
        await until(
          () => resumed.recorder.canonical() === expected && fresh.recorder.canonical() === expected,
          'the clients to reach the central rows',
        );
        await sleep(300);
        expect(resumed.recorder.refetches).toBe(0);
        expect(resumed.recorder.anomalies).toEqual([]);
        expect(fresh.recorder.anomalies).toEqual([]);
        expect(resumed.stream.shapeHandle).toBe(handle);
        expect(fresh.stream.shapeHandle).toBe(handle);
        const stale = await fetch(`${shapeUrl()}?table=items&handle=${old}&offset=0_0`);
        expect(stale.status).toBe(409);
        expect(stale.headers.get('electric-handle')).toBe(handle);
        await stale.arrayBuffer();
      } finally {
        resumed.stream.unsubscribeAll();
        fresh.stream.unsubscribeAll();
      }
    } finally {
      await writer.stop().catch(() => undefined);
      client.stream.unsubscribeAll();
    }
  });
});

describe('a crash in the middle of a compaction', () => {
  let db: TestDatabase;
  let admin: pg.Client;
  const dirs: string[] = [];
  let server: SyncServer | undefined;

  beforeAll(async () => {
    db = await createTestDatabase('compaction_crash');
    await createItems(db.url);
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
  });

  afterAll(async () => {
    await server?.stop();
    await admin?.end();
    await db?.drop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('leaves the old shape before it is prepared and the new one after, and every client converges', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'outpost-compaction-crash-'));
    dirs.push(dataDir);
    const slot = `slot_${db.name}`.slice(0, 63);
    /** A crash image: the data directory and the slot as they were at one step. */
    const images = new Map<CompactionStep, { dir: string; slot: string; client: Checkpoint }>();
    const live: { client?: ReturnType<typeof follow> } = {};
    server = await startServer(db.url, dataDir, slot, {
      minLogBytes: Number.POSITIVE_INFINITY,
      onStep: async (step) => {
        // Transactions keep arriving (and are acknowledged) while the compaction waits here: at
        // `prepared` the old log is then ahead of the new one, which start() must make up for.
        await sleep(300);
        // The slot first (what was acknowledged then), then the files at once (cpSync blocks the
        // event loop, so nothing changes them while they are copied): the files hold at least
        // everything acknowledged, as after a real crash.
        const copy = `${slot.slice(0, 50)}_${step}`;
        await admin.query(`SELECT pg_copy_logical_replication_slot($1, $2)`, [slot, copy]);
        const dir = mkdtempSync(path.join(tmpdir(), `outpost-compaction-${step}-`));
        dirs.push(dir);
        cpSync(dataDir, dir, { recursive: true });
        images.set(step, { dir, slot: copy, client: live.client?.checkpoint() as Checkpoint });
      },
    });
    const client = follow(`${server.url}/v1/shape`, {}, undefined, true);
    live.client = client;
    const writer = startItemWriter(db.url, 6, 500_000);
    const { old, next } = await (async () => {
      try {
        await until(() => client.stream.isUpToDate, 'the client to be up to date');
        await writer.commits(100);
        const shape = server?.engine.lookup(client.stream.shapeHandle ?? '');
        if (!shape) throw new Error('no shape');
        const outcome = await server.engine.compact(shape, { force: true });
        if (!outcome.compacted) throw new Error(`not compacted: ${outcome.reason}`);
        await writer.commits(50);
        return { old: shape.handle, next: outcome.handle };
      } finally {
        await writer.stop();
        client.stream.unsubscribeAll();
        await server?.stop();
        server = undefined;
      }
    })();
    expect([...images.keys()]).toEqual(['folded', 'prepared', 'swapped']);
    const expected = await centralRows(db.url);

    for (const [step, image] of images) {
      server = await startServer(db.url, image.dir, image.slot, { minLogBytes: Number.POSITIVE_INFINITY });
      const survivor = step === 'folded' ? old : next;
      try {
        expect(readdirSync(path.join(image.dir, 'shapes')), step).toEqual([survivor]);
        expect(await activeHandle(`${server.url}/v1/shape`), step).toBe(survivor);
        const resumed = follow(`${server.url}/v1/shape`, {}, image.client);
        const fresh = follow(`${server.url}/v1/shape`, {});
        try {
          await until(
            () => resumed.recorder.canonical() === expected && fresh.recorder.canonical() === expected,
            () =>
              `${step}: the clients to reach the central rows: resumed ${difference(resumed.recorder.canonical(), expected)} ` +
              `(${resumed.recorder.anomalies.slice(0, 3).join('; ')}), fresh ${difference(fresh.recorder.canonical(), expected)}`,
          );
          await sleep(300);
          expect(resumed.recorder.anomalies, step).toEqual([]);
          expect(fresh.recorder.anomalies, step).toEqual([]);
          expect(resumed.recorder.refetches, step).toBe(image.client.handle === survivor ? 0 : 1);
          expect(resumed.stream.shapeHandle, step).toBe(survivor);
        } finally {
          resumed.stream.unsubscribeAll();
          fresh.stream.unsubscribeAll();
        }
      } finally {
        await server.stop();
        server = undefined;
      }
    }
  });
});
