/**
 * Shape handles as Electric treats them: a handle the server does not know (malformed, from another
 * server, or expired) is a 409 must-refetch carrying the current handle, never a 400, so the real
 * @electric-sql/client 1.5 recovers by itself and syncs the shape.
 */
import { Shape, ShapeStream, type Row, type ShapeStreamInterface } from '@electric-sql/client';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../scripts/testing/postgres.ts';
import { startTestSyncServer, type TestSyncServer } from '../../scripts/testing/sync-server.ts';

describe('unknown and malformed shape handles', () => {
  let db: TestDatabase;
  let client: pg.Client;
  let sync: TestSyncServer;

  beforeAll(async () => {
    db = await createTestDatabase('handles');
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(`CREATE TABLE items (id int PRIMARY KEY, title text NOT NULL)`);
    await client.query(`INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 20) g`);
    sync = await startTestSyncServer(db.url);
  });

  afterAll(async () => {
    await sync?.stop();
    await client?.end();
    await db?.drop();
  });

  it.each([
    ['malformed', 'not a handle at all'],
    ['well-formed but unknown', '0123456789abcdef0123-1700000000000000'],
    ['empty', ''],
  ])('answers a %s handle with 409 and the current handle', async (_kind, handle) => {
    const response = await fetch(
      `${sync.shapeUrl}?table=items&offset=0_0&handle=${encodeURIComponent(handle)}`,
    );
    expect(response.status).toBe(409);
    expect(response.headers.get('electric-handle')).toMatch(/^[0-9a-f]{20}-[0-9]+$/);
    expect(await response.json()).toEqual([{ headers: { control: 'must-refetch' } }]);
  });

  it.each([
    ['malformed', 'garbage/../handle'],
    ['well-formed but unknown', 'ffffffffffffffffffff-1700000000000000'],
  ])('the real client recovers from a %s handle by itself', async (_kind, handle) => {
    const errors: unknown[] = [];
    const stream = new ShapeStream<Row>({
      url: sync.shapeUrl,
      params: { table: 'items' },
      handle,
      offset: '0_0',
      onError: (error) => {
        errors.push(error);
      },
    });
    const shape = new Shape(stream as unknown as ShapeStreamInterface<Row>);
    try {
      const rows = await shape.rows;
      expect(rows).toHaveLength(20);
      expect(stream.shapeHandle).not.toBe(handle);
      expect(errors).toEqual([]);
    } finally {
      shape.unsubscribeAll();
      stream.unsubscribeAll();
    }
  });
});
