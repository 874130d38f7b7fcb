/**
 * Conformance with the real Electric clients: @electric-sql/client's ShapeStream/Shape and
 * @electric-sql/pglite-sync into PGlite, against a real sync server on a real PostgreSQL 15.
 */
import { Shape, ShapeStream, type Row, type ShapeStreamInterface } from '@electric-sql/client';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../scripts/testing/postgres.ts';
import { startTestSyncServer, type TestSyncServer } from '../../scripts/testing/sync-server.ts';

async function until<T>(fn: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Shape API with the real Electric client', () => {
  let db: TestDatabase;
  let client: pg.Client;
  let sync: TestSyncServer;

  beforeAll(async () => {
    db = await createTestDatabase('conformance');
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(
      `CREATE TABLE items (id int PRIMARY KEY, title text NOT NULL, status text, amount numeric(10,2), tags text[], meta jsonb)`,
    );
    await client.query(
      `INSERT INTO items SELECT g, 'item ' || g, CASE WHEN g % 2 = 0 THEN 'open' ELSE 'done' END, g * 1.5, ARRAY['a','b'], '{"n":1}' FROM generate_series(1, 50) g`,
    );
    sync = await startTestSyncServer(db.url);
  });

  afterAll(async () => {
    await sync?.stop();
    await client?.end();
    await db?.drop();
  });

  it('syncs a table and follows live inserts, updates and deletes', async () => {
    const stream = new ShapeStream<Row>({ url: sync.shapeUrl, params: { table: 'items' } });
    const shape = new Shape(stream as unknown as ShapeStreamInterface<Row>);
    try {
      const rows = await shape.rows;
      expect(rows).toHaveLength(50);
      expect(rows.find((r) => r['id'] === 2)).toEqual({
        id: 2,
        title: 'item 2',
        status: 'open',
        amount: '3.00',
        tags: ['a', 'b'],
        meta: { n: 1 },
      });
      await client.query(`INSERT INTO items VALUES (51, 'new', 'open', 1, NULL, NULL)`);
      await client.query(`UPDATE items SET title = 'renamed' WHERE id = 1`);
      await client.query(`DELETE FROM items WHERE id = 3`);
      await until(
        () => shape.currentRows,
        (r) =>
          r.length === 50 &&
          r.some((x) => x['id'] === 51) &&
          r.find((x) => x['id'] === 1)?.['title'] === 'renamed',
      );
    } finally {
      shape.unsubscribeAll();
      stream.unsubscribeAll();
    }
  });

  it('applies where with params, and moves rows into and out of the shape', async () => {
    const stream = new ShapeStream<Row>({
      url: sync.shapeUrl,
      params: {
        table: 'items',
        where: 'status = $1 AND id <= $2',
        params: ['open', '20'],
        columns: ['id', 'status'],
      },
    });
    const shape = new Shape(stream as unknown as ShapeStreamInterface<Row>);
    try {
      const rows = await shape.rows;
      expect(rows.map((r) => r['id']).sort((a, b) => Number(a) - Number(b))).toEqual([
        2, 4, 6, 8, 10, 12, 14, 16, 18, 20,
      ]);
      expect(Object.keys(rows[0] ?? {}).sort()).toEqual(['id', 'status']);
      await client.query(`UPDATE items SET status = 'open' WHERE id = 5`); // moves in
      await client.query(`UPDATE items SET status = 'done' WHERE id = 2`); // moves out
      await until(
        () => shape.currentRows.map((r) => Number(r['id'])).sort((a, b) => a - b),
        (ids) => ids.includes(5) && !ids.includes(2),
      );
    } finally {
      shape.unsubscribeAll();
      stream.unsubscribeAll();
    }
  });
});
