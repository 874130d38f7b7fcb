/**
 * `log=changes_only`, subset snapshots and `offset=now` with the real @electric-sql/client 1.5 against
 * a real sync server and PostgreSQL 15.
 *
 * The merge test takes subset snapshots before, during and after a writer's concurrent transactions
 * (inserts, updates, deletes): every row reaches the client exactly once (no insert for a key it
 * already holds, unless from a snapshot), and the client's merged view ends equal to the central rows.
 */
import {
  isChangeMessage,
  Shape,
  ShapeStream,
  type Message,
  type Row,
  type ShapeStreamInterface,
} from '@electric-sql/client';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../scripts/testing/eventually.ts';
import { createTestDatabase, type TestDatabase } from '../../scripts/testing/postgres.ts';
import { startTestSyncServer, type TestSyncServer } from '../../scripts/testing/sync-server.ts';

type Item = { id: number; n: number; v: string };

describe('changes_only, subset snapshots and offset=now', () => {
  let db: TestDatabase;
  let client: pg.Client;
  let sync: TestSyncServer;

  beforeAll(async () => {
    db = await createTestDatabase('subsets');
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(`CREATE TABLE items (id int PRIMARY KEY, n int NOT NULL, v text)`);
    await client.query(`INSERT INTO items SELECT g, 0, 'v' || g FROM generate_series(1, 300) g`);
    await client.query(
      `CREATE TABLE typed (id int8 PRIMARY KEY, i2 int2, i4 int4, nm numeric(12,3), f8 float8, t text,
         u uuid, b bool, d date, ts timestamptz)`,
    );
    await client.query(
      `INSERT INTO typed VALUES
         (9007199254740993, 7, 42, 12.5, 0.25, 'it''s', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', true, '2026-12-06', '2026-12-06T10:00:00Z'),
         (9007199254740992, 7, 42, 12.5, 0.25, 'it''s', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', true, '2026-12-06', '2026-12-06T10:00:00Z'),
         (1, 8, 43, 1, 1, 'x', 'b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', false, '2026-12-07', '2026-12-07T10:00:00Z')`,
    );
    sync = await startTestSyncServer(db.url);
  });

  afterAll(async () => {
    await sync?.stop();
    await client?.end();
    await db?.drop();
  });

  const centralItems = async (): Promise<Item[]> =>
    (await client.query<Item>(`SELECT id, n, v FROM items ORDER BY id`)).rows;

  it('merges subsets taken before, during and after concurrent writes: every row once, the view equals the central rows', async () => {
    const stream = new ShapeStream<Row>({
      url: sync.shapeUrl,
      params: { table: 'items' },
      log: 'changes_only',
    });
    const shape = new Shape(stream as unknown as ShapeStreamInterface<Row>);
    const held = new Set<string>();
    const duplicates: string[] = [];
    stream.subscribe((messages: Message<Row>[]) => {
      for (const m of messages) {
        if (!isChangeMessage(m)) continue;
        const fromSnapshot = (m.headers as { snapshot_mark?: number }).snapshot_mark !== undefined;
        if (m.headers.operation === 'insert') {
          if (held.has(m.key) && !fromSnapshot) duplicates.push(m.key);
          held.add(m.key);
        } else if (m.headers.operation === 'delete') held.delete(m.key);
      }
    });
    const writer = new pg.Client({ connectionString: db.url });
    await writer.connect();
    let written = 0;
    const write = async () => {
      for (let i = 0; i < 120; i++) {
        await writer.query('BEGIN');
        await writer.query(`INSERT INTO items VALUES ($1, 0, 'new')`, [1000 + i]);
        await writer.query(`UPDATE items SET n = n + 1 WHERE id IN ($1, $2)`, [
          ((i * 7) % 300) + 1,
          1000 + (i >> 1),
        ]);
        if (i % 5 === 0) await writer.query(`DELETE FROM items WHERE id = $1`, [((i * 13) % 300) + 1]);
        await writer.query('COMMIT');
        written++;
        if (i % 10 === 0) await new Promise((r) => setImmediate(r));
      }
    };
    try {
      expect(await shape.rows).toEqual([]); // changes_only: no initial rows
      await shape.requestSnapshot({ where: 'id <= $1', params: { '1': '150' } });
      expect(shape.currentRows).toHaveLength(150);
      const writing = write();
      await eventually(() => Promise.resolve(written >= 30), 'the writer to be under way', 30_000);
      await shape.requestSnapshot({ where: 'id > $1', params: { '1': 150 }, method: 'POST' });
      await writing;
      await shape.requestSnapshot({ where: 'id >= 1000', orderBy: 'id DESC', limit: 50 });
      const central = await centralItems();
      await eventually(
        () => {
          const rows = [...shape.currentRows].map((r) => ({ id: r['id'], n: r['n'], v: r['v'] }));
          rows.sort((a, b) => Number(a.id) - Number(b.id));
          return Promise.resolve(JSON.stringify(rows) === JSON.stringify(central));
        },
        'the merged view to equal the central rows',
        30_000,
      );
      expect(duplicates).toEqual([]);
    } finally {
      await writer.end();
      shape.unsubscribeAll();
      stream.unsubscribeAll();
    }
  });

  it('answers offset=now with the end of the log only, and the client follows from there', async () => {
    const raw = await fetch(`${sync.shapeUrl}?table=items&offset=now`);
    expect(raw.status).toBe(200);
    const body = (await raw.json()) as { headers: { control: string; global_last_seen_lsn: string } }[];
    expect(body).toHaveLength(1);
    expect(body[0]?.headers.control).toBe('up-to-date');
    expect(raw.headers.get('electric-offset')).toMatch(/^[0-9]+_[0-9]+$/);
    expect(raw.headers.get('electric-up-to-date')).toBe('');
    const stream = new ShapeStream<Row>({ url: sync.shapeUrl, params: { table: 'items' }, offset: 'now' });
    const seen: number[] = [];
    stream.subscribe((messages: Message<Row>[]) => {
      for (const m of messages) if (isChangeMessage(m)) seen.push(Number(m.value['id']));
    });
    try {
      await eventually(() => Promise.resolve(stream.isUpToDate), 'the stream to be up to date', 15_000);
      expect(seen).toEqual([]); // no history
      await client.query(`INSERT INTO items VALUES (5000, 0, 'after now')`);
      await eventually(() => Promise.resolve(seen.includes(5000)), 'the insert after now', 15_000);
      expect(seen).toEqual([5000]);
    } finally {
      stream.unsubscribeAll();
    }
  });

  it('fetches a subset by POST and by GET with parameters of every type, int8 included', async () => {
    const stream = new ShapeStream<Row>({
      url: sync.shapeUrl,
      params: { table: 'typed' },
      log: 'changes_only',
    });
    const where =
      'id = $1 AND i2 = $2 AND i4 = $3 AND nm = $4 AND f8 = $5 AND t = $6 AND u = $7 AND b = $8 AND d = $9 AND ts = $10';
    const params = {
      '1': 9007199254740993n,
      '2': 7,
      '3': '42',
      '4': '12.500',
      '5': 0.25,
      '6': "it's",
      '7': 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      '8': 'true',
      '9': '2026-12-06',
      '10': '2026-12-06 10:00:00+00',
    } as unknown as Record<string, string>;
    try {
      for (const method of ['POST', 'GET'] as const) {
        const { metadata, data } = await stream.fetchSnapshot({ where, params, method });
        expect(data, method).toHaveLength(1);
        expect(data[0]?.value['id']).toBe(9007199254740993n);
        expect(data[0]?.headers).toMatchObject({
          operation: 'insert',
          snapshot_mark: metadata.snapshot_mark,
        });
        expect(metadata).toMatchObject({
          xmin: expect.stringMatching(/^[0-9]+$/) as string,
          xmax: expect.stringMatching(/^[0-9]+$/) as string,
          database_lsn: expect.stringMatching(/^[0-9]+$/) as string,
        });
        expect(Array.isArray(metadata.xip_list)).toBe(true);
      }
      const paged = await stream.fetchSnapshot({ orderBy: 'id DESC', limit: 2, offset: 1 });
      expect(paged.data.map((m) => m.value['id'])).toEqual([9007199254740992n, 1n]);
    } finally {
      stream.unsubscribeAll();
    }
  });

  it('refuses a malformed subset with a 400 naming the subset parameter', async () => {
    for (const [query, param] of [
      ['subset__limit=5', 'subset__order_by'],
      ['subset__where=nope%20%3D%201', 'subset__where'],
      ['subset__where=id%20%3D%20%241', 'subset__where'],
      ['subset__order_by=lower(v)', 'subset__order_by'],
      ['subset__order_by=nope', 'subset__order_by'],
    ] as const) {
      const response = await fetch(`${sync.shapeUrl}?table=items&offset=-1&${query}`);
      expect(response.status, query).toBe(400);
      const body = (await response.json()) as { errors: Record<string, string[]> };
      expect(Object.keys(body.errors), query).toEqual([param]);
    }
  });
});
