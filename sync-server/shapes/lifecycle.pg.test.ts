/**
 * Shape lifecycle against the real client: resuming after a server restart loses and repeats
 * nothing; TRUNCATE and schema changes force a refetch that the client recovers from; handles
 * are bound to their shape; concurrent writers are all delivered; bad requests get clear 400s.
 */
import { Shape, ShapeStream, type Row, type ShapeStreamInterface } from '@electric-sql/client';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../scripts/testing/postgres.ts';
import { startTestSyncServer, type TestSyncServer } from '../../scripts/testing/sync-server.ts';

async function until<T>(fn: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() - started > timeoutMs)
      throw new Error(`timed out; last value: ${JSON.stringify(v)?.slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const shapeOf = (stream: ShapeStream<Row>) => new Shape(stream as unknown as ShapeStreamInterface<Row>);

describe('shape lifecycle', () => {
  let db: TestDatabase;
  let client: pg.Client;
  let sync: TestSyncServer;

  beforeAll(async () => {
    db = await createTestDatabase('lifecycle');
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(`CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)`);
    await client.query(`CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL)`);
    await client.query(`INSERT INTO notes SELECT g, 'note ' || g FROM generate_series(1, 10) g`);
    sync = await startTestSyncServer(db.url);
  });

  afterAll(async () => {
    await sync?.stop();
    await client?.end();
    await db?.drop();
  });

  it('resumes from any offset after a server restart, with no gap and no duplicate', async () => {
    const first = new ShapeStream<Row>({ url: sync.shapeUrl, params: { table: 'notes' } });
    const seen: string[] = [];
    const unsubscribe = first.subscribe((messages) => {
      for (const m of messages) if ('key' in m) seen.push(`${m.headers.operation}:${m.key}`);
    });
    await until(() => first.isUpToDate, Boolean);
    unsubscribe();
    first.unsubscribeAll();
    const handle = first.shapeHandle;
    const offset = first.lastOffset;
    expect(handle).toBeTruthy();

    await sync.restart();
    await client.query(`INSERT INTO notes VALUES (11, 'while restarting')`);
    await client.query(`UPDATE notes SET body = 'edited' WHERE id = 1`);

    const resumed = new ShapeStream<Row>({
      url: sync.shapeUrl,
      params: { table: 'notes' },
      ...(handle ? { handle } : {}),
      offset,
    });
    const later: string[] = [];
    resumed.subscribe((messages) => {
      for (const m of messages) if ('key' in m) later.push(`${m.headers.operation}:${m.key}`);
    });
    try {
      await until(
        () => later,
        (l) => l.length >= 2,
      );
      await new Promise((r) => setTimeout(r, 300));
      expect(resumed.shapeHandle).toBe(handle);
      expect(later).toEqual(['insert:"public"."notes"/"11"', 'update:"public"."notes"/"1"']);
      expect(seen.filter((s) => s.startsWith('insert'))).toHaveLength(10);
    } finally {
      resumed.unsubscribeAll();
    }
  });

  it('forces a refetch on TRUNCATE and on a schema change, and the client recovers', async () => {
    const stream = new ShapeStream<Row>({ url: sync.shapeUrl, params: { table: 'counters' } });
    const shape = shapeOf(stream);
    const refetches: number[] = [];
    stream.subscribe((messages) => {
      for (const m of messages)
        if ('headers' in m && m.headers['control'] === 'must-refetch') refetches.push(Date.now());
    });
    try {
      await client.query(`INSERT INTO counters VALUES (1, 1), (2, 2)`);
      await until(
        () => shape.currentRows.length,
        (n) => n === 2,
      );
      const before = stream.shapeHandle;
      await client.query(`TRUNCATE counters`);
      await client.query(`INSERT INTO counters VALUES (3, 3)`);
      await until(
        () => shape.currentRows.map((r) => r['id']),
        (ids) => ids.length === 1 && ids[0] === 3,
      );
      expect(refetches.length).toBeGreaterThanOrEqual(1);
      expect(stream.shapeHandle).not.toBe(before);

      await client.query(`ALTER TABLE counters ADD COLUMN label text`);
      await client.query(`UPDATE counters SET label = 'three' WHERE id = 3`);
      await until(
        () => shape.currentRows,
        (rows) => rows.length === 1 && rows[0]?.['label'] === 'three',
      );
      expect(refetches.length).toBeGreaterThanOrEqual(2);
    } finally {
      shape.unsubscribeAll();
      stream.unsubscribeAll();
    }
  });

  it('delivers every change of two concurrent writers', async () => {
    const stream = new ShapeStream<Row>({
      url: sync.shapeUrl,
      params: { table: 'notes', where: 'id > 100' },
    });
    const shape = shapeOf(stream);
    const a = new pg.Client({ connectionString: db.url });
    const b = new pg.Client({ connectionString: db.url });
    await Promise.all([a.connect(), b.connect()]);
    try {
      await shape.rows;
      await Promise.all([
        (async () => {
          for (let i = 0; i < 100; i++) await a.query(`INSERT INTO notes VALUES ($1, 'a')`, [1000 + i]);
        })(),
        (async () => {
          for (let i = 0; i < 100; i++) await b.query(`INSERT INTO notes VALUES ($1, 'b')`, [2000 + i]);
        })(),
      ]);
      const rows = await until(
        () => shape.currentRows,
        (r) => r.length === 200,
      );
      expect(new Set(rows.map((r) => r['id'])).size).toBe(200);
    } finally {
      await Promise.all([a.end(), b.end()]);
      shape.unsubscribeAll();
      stream.unsubscribeAll();
    }
  });

  it('binds a handle to its shape: another definition answers 409 with its own handle', async () => {
    const notes = await fetch(`${sync.shapeUrl}?table=notes&offset=-1`);
    const notesHandle = notes.headers.get('electric-handle');
    await notes.arrayBuffer();
    const counters = await fetch(`${sync.shapeUrl}?table=counters&offset=-1`);
    const countersHandle = counters.headers.get('electric-handle');
    await counters.arrayBuffer();
    const wrong = await fetch(`${sync.shapeUrl}?table=counters&offset=0_0&handle=${notesHandle}`);
    expect(wrong.status).toBe(409);
    expect(wrong.headers.get('electric-handle')).toBe(countersHandle);
    expect(await wrong.json()).toEqual([{ headers: { control: 'must-refetch' } }]);
  });

  it.each([
    ['', 400, 'table'],
    ['table=nope&offset=-1', 400, 'does not exist'],
    ['table=notes', 400, 'offset'],
    ['table=notes&offset=abc', 400, 'Invalid offset'],
    ['table=notes&offset=0_0', 400, 'handle'],
    ['table=notes&offset=-1&live=true', 400, 'live'],
    ['table=notes&offset=-1&where=id%3D1)%20OR%20(1%3D1', 400, 'Invalid where'],
    ['table=notes&offset=-1&columns=body', 400, 'primary key'],
    ['table=notes&offset=-1&columns=id,secret', 400, 'secret'],
    ['table=notes&offset=-1&replica=half', 400, 'replica'],
    ['table=notes&offset=-1&where=id%20%3D%20%242', 400, 'has no value'],
  ])('GET /v1/shape?%s is a %d naming %s', async (query, status, text) => {
    const response = await fetch(`${sync.shapeUrl}?${query}`);
    expect(response.status).toBe(status);
    const body = (await response.json()) as { message: string };
    expect(body.message).toContain(text);
    expect(response.headers.get('access-control-allow-origin')).toBeTruthy();
  });

  it('serves offsets beyond the log as a 400, and answers 404 for other paths', async () => {
    const first = await fetch(`${sync.shapeUrl}?table=notes&offset=-1`);
    const handle = first.headers.get('electric-handle');
    await first.arrayBuffer();
    const ahead = await fetch(`${sync.shapeUrl}?table=notes&offset=99999999999_0&handle=${handle}`);
    expect(ahead.status).toBe(400);
    for (const path of ['/v1/shape/', '/v1//shape', '/v1/%73hape', '/v2/shape']) {
      expect((await fetch(`${sync.server.url}${path}?table=notes&offset=-1`)).status, path).toBe(404);
    }
  });

  it('reports health with the replication lag', async () => {
    const response = await fetch(`${sync.server.url}/v1/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'active', replication: 'streaming' });
  });
});
