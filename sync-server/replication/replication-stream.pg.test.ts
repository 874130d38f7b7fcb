/**
 * What the shape engine is promised about content: whole transactions in commit order, every value
 * exactly as PostgreSQL prints it with Electric's display settings, and schema changes flagged.
 */
import type pg from 'pg';

const RAW_TEXT = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../scripts/testing/postgres.ts';
import type { ReplicationStream } from './replication-stream.ts';
import { RecordingConsumer, startStream, waitFor, withClient } from './replication.testkit.ts';
import type { ReplicatedChange } from './types.ts';

let db: TestDatabase;
const streams: ReplicationStream[] = [];

async function open(consumer: RecordingConsumer, options: Parameters<typeof startStream>[2] = {}) {
  const stream = await startStream(db.url, consumer, options);
  streams.push(stream);
  return stream;
}

const sql = (text: string, values: unknown[] = []) => withClient(db.url, (c) => c.query(text, values));

beforeAll(async () => {
  db = await createTestDatabase('replication');
  await sql(`
    CREATE EXTENSION IF NOT EXISTS vector;
    CREATE TABLE items (id int PRIMARY KEY, title text NOT NULL, body text, done bool NOT NULL DEFAULT false);
    ALTER TABLE items REPLICA IDENTITY FULL;
    CREATE TABLE plain (id int PRIMARY KEY, title text, body text);
    CREATE TABLE bulk (id int PRIMARY KEY, note text);
    CREATE TABLE interleaved (id int PRIMARY KEY, who text NOT NULL);
    CREATE TABLE evolving (id int PRIMARY KEY, a text);
    CREATE TABLE typed (
      id int PRIMARY KEY, ts timestamptz, f8 float8, iv interval, by bytea, d date, n numeric,
      j jsonb, arr text[], u uuid, v vector(3), b bool,
      ip inet, net cidr, ch char(5), c1 "char", i8 int8, f4 float4, tsl timestamp, tm time, tz timetz,
      m money, ba bool[], rng int4range, big text
    );
    -- Database defaults unlike Electric's: the walsender must override them with its own options.
    ALTER DATABASE ${db.name} SET DateStyle = 'SQL, MDY';
    ALTER DATABASE ${db.name} SET TimeZone = 'America/New_York';
    ALTER DATABASE ${db.name} SET IntervalStyle = 'postgres_verbose';
    ALTER DATABASE ${db.name} SET bytea_output = 'escape';
    ALTER DATABASE ${db.name} SET extra_float_digits = 0;
    CREATE PUBLICATION outpost_test FOR TABLE items, plain, bulk, interleaved, evolving, typed;
  `);
});

afterAll(async () => {
  await Promise.all(streams.map((s) => s.stop()));
  await db?.drop();
});

describe('ReplicationStream setup', () => {
  it('creates an empty publication (publish_via_partition_root) and a permanent pgoutput slot', async () => {
    const stream = await open(new RecordingConsumer(), { publicationName: 'outpost_setup' });
    const publication = await sql(
      `SELECT pubviaroot, (SELECT count(*)::int FROM pg_publication_tables WHERE pubname = p.pubname) AS tables
         FROM pg_publication p WHERE pubname = 'outpost_setup'`,
    );
    expect(publication.rows).toEqual([{ pubviaroot: true, tables: 0 }]);
    const slot = await sql(
      `SELECT plugin, slot_type, temporary, database FROM pg_replication_slots WHERE slot_name = $1`,
      [(stream as unknown as { options: { slotName: string } }).options.slotName],
    );
    expect(slot.rows).toEqual([
      { plugin: 'pgoutput', slot_type: 'logical', temporary: false, database: db.name },
    ]);
    // Tables are added by others later; starting again with an existing publication and slot is fine.
    await sql('ALTER PUBLICATION outpost_setup ADD TABLE items');
    await stream.stop();
    await stream.start();
    await waitFor('reconnect', () => stream.status.connected);
  });
});

describe('ReplicationStream delivery', () => {
  it('delivers insert, update, delete and truncate as whole transactions with text values', async () => {
    const consumer = new RecordingConsumer();
    await open(consumer);
    await sql(`
      BEGIN;
      INSERT INTO items (id, title, body) VALUES (1, 'one', NULL), (2, 'two', 'b');
      UPDATE items SET title = 'uno', done = true WHERE id = 1;
      DELETE FROM items WHERE id = 2;
      COMMIT;
    `);
    await sql('TRUNCATE items');
    await waitFor('two transactions', () => consumer.transactions.length >= 2);
    const [tx, truncate] = consumer.transactions;
    expect(consumer.transactions).toHaveLength(2);
    const changes = tx!.changes.map(summarise);
    expect(changes).toEqual([
      { op: 'insert', table: 'items', new: { id: '1', title: 'one', body: null, done: 'f' } },
      { op: 'insert', table: 'items', new: { id: '2', title: 'two', body: 'b', done: 'f' } },
      {
        op: 'update',
        table: 'items',
        old: { id: '1', title: 'one', body: null, done: 'f' },
        new: { id: '1', title: 'uno', body: null, done: 't' },
      },
      { op: 'delete', table: 'items', old: { id: '2', title: 'two', body: 'b', done: 'f' } },
    ]);
    expect(truncate!.changes.map(summarise)).toEqual([{ op: 'truncate', tables: ['items'] }]);
    expect(tx!.commitLsn < truncate!.commitLsn).toBe(true);
    expect(tx!.commitTime).toBeInstanceOf(Date);
    expect(Math.abs(tx!.commitTime.getTime() - Date.now())).toBeLessThan(60_000);
    expect(tx!.changedRelations).toEqual([]);
    const relation = (tx!.changes[0] as Extract<ReplicatedChange, { op: 'insert' }>).relation;
    expect(relation).toMatchObject({ schema: 'public', name: 'items', replicaIdentity: 'full' });
    expect(relation.columns.map((c) => [c.name, c.isKey])).toEqual([
      ['id', true],
      ['title', true],
      ['body', true],
      ['done', true],
    ]);
  });

  it('fills unchanged TOAST values from the old row under REPLICA IDENTITY FULL, and leaves them out otherwise', async () => {
    const consumer = new RecordingConsumer();
    await open(consumer);
    // 12.8 kB of hex digits: stored out of line (TOAST); the REPLICA IDENTITY DEFAULT case below proves it.
    const generated = await sql(`SELECT string_agg(md5(i::text), '') AS s FROM generate_series(1, 400) i`);
    const big = (generated.rows[0] as { s: string }).s;
    await sql(`INSERT INTO items (id, title, body) VALUES (10, 'big', $1)`, [big]);
    await sql(`INSERT INTO plain (id, title, body) VALUES (10, 'big', $1)`, [big]);
    await sql(`UPDATE items SET title = 'still big' WHERE id = 10`);
    await sql(`UPDATE plain SET title = 'still big' WHERE id = 10`);
    await sql(`DELETE FROM plain WHERE id = 10`);
    await waitFor('five transactions', () => consumer.transactions.length >= 5);
    const [, , full, plain, plainDelete] = consumer.transactions.map((t) => t.changes[0]!);
    expect(full).toMatchObject({ op: 'update', new: { id: '10', title: 'still big', body: big } });
    expect((full as { old: unknown }).old).toMatchObject({ title: 'big', body: big });
    // REPLICA IDENTITY DEFAULT: no old row, and the unchanged TOASTed value is unknown.
    expect(plain).toMatchObject({ op: 'update', old: null });
    expect({ ...(plain as { new: object }).new }).toEqual({ id: '10', title: 'still big' });
    expect({ ...(plainDelete as { old: object }).old }).toEqual({ id: '10' });
  });

  it('delivers a 10,000-row transaction as one transaction', async () => {
    const consumer = new RecordingConsumer();
    await open(consumer);
    await sql(`INSERT INTO bulk SELECT i, 'row ' || i FROM generate_series(1, 10000) i`);
    await waitFor('the bulk transaction', () => consumer.transactions.length >= 1);
    expect(consumer.transactions).toHaveLength(1);
    const rows = consumer.rows('bulk');
    expect(rows).toHaveLength(10_000);
    expect(rows[0]).toEqual({ id: '1', note: 'row 1' });
    expect(rows[9_999]).toEqual({ id: '10000', note: 'row 10000' });
  });

  it('delivers interleaved concurrent transactions in commit order, each whole', async () => {
    const consumer = new RecordingConsumer();
    await open(consumer);
    await withClient(db.url, (a) =>
      withClient(db.url, async (b) => {
        await a.query('BEGIN');
        const xidA = (await a.query<{ x: string }>('SELECT txid_current()::text AS x')).rows[0]!.x;
        await a.query(`INSERT INTO interleaved VALUES (1, 'a')`);
        await b.query('BEGIN');
        const xidB = (await b.query<{ x: string }>('SELECT txid_current()::text AS x')).rows[0]!.x;
        await b.query(`INSERT INTO interleaved VALUES (2, 'b')`);
        await a.query(`INSERT INTO interleaved VALUES (3, 'a')`);
        await b.query(`INSERT INTO interleaved VALUES (4, 'b')`);
        await b.query('COMMIT');
        await a.query(`INSERT INTO interleaved VALUES (5, 'a')`);
        await a.query('COMMIT');
        await waitFor('both transactions', () => consumer.transactions.length >= 2);
        const [first, second] = consumer.transactions;
        expect(String(first!.xid)).toBe(xidB);
        expect(String(second!.xid)).toBe(xidA);
      }),
    );
    const [first, second] = consumer.transactions;
    expect(first!.changes.map((c) => summarise(c).new)).toEqual([
      { id: '2', who: 'b' },
      { id: '4', who: 'b' },
    ]);
    expect(second!.changes.map((c) => summarise(c).new)).toEqual([
      { id: '1', who: 'a' },
      { id: '3', who: 'a' },
      { id: '5', who: 'a' },
    ]);
    expect(first!.commitLsn < second!.commitLsn).toBe(true);
  });

  it('sends every value exactly as its output function prints it with Electric display settings (as snapshots read it)', async () => {
    const consumer = new RecordingConsumer();
    await open(consumer);
    await sql(`
      INSERT INTO typed VALUES
        (1, '2024-02-29 23:59:58.123456+05:30', 0.1, '1 year 2 months 3 days 04:05:06.789', '\\xdeadbeef00',
         '2024-02-29', 123.4500, '{"b": 1, "a": [1, 2.50, "x"]}', '{plain,"with space",NULL,"quote\\"d"}',
         'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '[1,2.5,-3e-7]', true,
         '192.168.1.5', '10.0.0.0/8', 'ab', 'x', 9007199254740993, 0.1, '2024-02-29 23:59:58.5', '04:05:06.789',
         '04:05:06+02', 12.34, '{t,f,NULL}', '[1,10)', repeat('x', 5000)),
        (2, '0044-03-15 12:00:00 BC', 1e100, '-5 minutes', '', '0001-01-01', 'NaN', '"just a string"', '{}',
         '00000000-0000-0000-0000-000000000000', '[0,0,0]', false,
         '2001:db8::1', '2001:db8::/32', 'abcde', ' ', -9223372036854775808, 'Infinity', 'infinity', '24:00', '00:00+14',
         -0.01, '{}', 'empty', ''),
        (3, 'infinity', 'NaN', '0', NULL, '-infinity', 0.000000000000000001, 'null', '{{a,b},{c,d}}', NULL, NULL, NULL,
         '10.1.2.3/24', NULL, ' a  ', NULL, 0, -0.0, NULL, NULL, NULL, NULL, NULL, '(,5]', NULL),
        (4, '2000-01-01 00:00:00+00', 1.0000000000000002, '1 mon -1 days', '\\x00ff', '1999-12-31', -1.5e-10,
         '{"nested": {"deep": [true, false, null]}, "unicode": "\u00e9\u4e2d"}', '{"ünï","a,b"}', gen_random_uuid(),
         '[0.1,0.2,0.3]', NULL, '::ffff:1.2.3.4', NULL, NULL, NULL, NULL, 3.4028235e38, NULL, NULL, NULL, NULL, NULL,
         NULL, NULL);
    `);
    await waitFor('the typed rows', () => consumer.transactions.length >= 1);
    const replicated = consumer.rows('typed');
    const expected = await withClient(
      `${db.url}?options=${encodeURIComponent('-c DateStyle=ISO,DMY -c TimeZone=UTC -c extra_float_digits=1 -c IntervalStyle=iso_8601 -c bytea_output=hex')}`,
      async (c) =>
        (
          await c.query<Record<string, string | null>>({
            text: `SELECT id, ts, f8, iv, "by", d, n, j, arr, u, v, b, ip, net, ch, c1, i8, f4, tsl, tm, tz, m, ba, rng, big
                     FROM typed ORDER BY id`,
            types: RAW_TEXT,
          })
        ).rows,
    );
    expect(replicated.map((row) => ({ ...row }))).toEqual(expected);
    // The settings mattered: the database's own defaults print differently.
    const defaults = (await sql(`SELECT ts::text, iv::text, "by"::text FROM typed WHERE id = 1`))
      .rows[0] as Record<string, string>;
    expect(defaults['ts']).not.toBe(expected[0]!['ts']);
    expect(defaults['iv']).not.toBe(expected[0]!['iv']);
    expect(defaults['by']).not.toBe(expected[0]!['by']);
    expect(expected[0]).toMatchObject({
      ts: '2024-02-29 18:29:58.123456+00',
      f8: '0.1',
      iv: 'P1Y2M3DT4H5M6.789S',
      by: '\\xdeadbeef00',
      j: '{"a": [1, 2.50, "x"], "b": 1}',
      arr: '{plain,"with space",NULL,"quote\\"d"}',
      v: '[1,2.5,-3e-07]',
      b: 't',
      ch: 'ab   ',
    });
  });

  it('flags a relation whose definition changed (ALTER TABLE ADD COLUMN)', async () => {
    const consumer = new RecordingConsumer();
    await open(consumer);
    await sql(`INSERT INTO evolving VALUES (1, 'x')`);
    await sql(`ALTER TABLE evolving ADD COLUMN b int`);
    await sql(`INSERT INTO evolving VALUES (2, 'y', 7)`);
    await sql(`INSERT INTO evolving VALUES (3, 'z', 8)`);
    await waitFor('three transactions', () => consumer.transactions.length >= 3);
    const [before, altered, after] = consumer.transactions;
    expect(before!.changedRelations).toEqual([]);
    expect(altered!.changedRelations.map((r) => [r.name, r.columns.map((c) => c.name)])).toEqual([
      ['evolving', ['id', 'a', 'b']],
    ]);
    expect(after!.changedRelations).toEqual([]);
    expect(consumer.rows('evolving').map((r) => ({ ...r }))).toEqual([
      { id: '1', a: 'x' },
      { id: '2', a: 'y', b: '7' },
      { id: '3', a: 'z', b: '8' },
    ]);
  });
});

function summarise(change: ReplicatedChange): {
  op: string;
  table?: string;
  tables?: string[];
  old?: object | null;
  new?: object;
} {
  switch (change.op) {
    case 'insert':
      return { op: change.op, table: change.relation.name, new: { ...change.new } };
    case 'update':
      return {
        op: change.op,
        table: change.relation.name,
        old: change.old && { ...change.old },
        new: { ...change.new },
      };
    case 'delete':
      return { op: change.op, table: change.relation.name, old: { ...change.old } };
    case 'truncate':
      return { op: change.op, tables: change.relations.map((r) => r.name) };
  }
}
