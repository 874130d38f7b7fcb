/**
 * Smoke test of the central Postgres harness: the throwaway cluster has pgvector and logical
 * replication, and a committed row arrives through a pgoutput slot via pg-logical-replication.
 */
import { LogicalReplicationService, PgoutputPlugin, type Pgoutput } from 'pg-logical-replication';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './postgres.ts';

describe('throwaway central Postgres', () => {
  let db: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    db = await createTestDatabase('smoke');
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('runs PostgreSQL 15 with wal_level=logical', async () => {
    const { rows } = await client.query<{ server_version_num: string; wal_level: string }>(
      `SELECT current_setting('server_version_num') AS server_version_num, current_setting('wal_level') AS wal_level`,
    );
    expect(Number(rows[0]?.server_version_num)).toBeGreaterThanOrEqual(150000);
    expect(rows[0]?.wal_level).toBe('logical');
  });

  it('creates the vector extension and computes a cosine distance', async () => {
    await client.query('CREATE EXTENSION IF NOT EXISTS vector');
    const { rows } = await client.query<{ d: number }>(`SELECT '[1,0,0]'::vector <=> '[0,1,0]'::vector AS d`);
    expect(rows[0]?.d).toBeCloseTo(1);
  });

  it('delivers a committed row through a logical replication slot', async () => {
    await client.query('CREATE TABLE smoke (id int PRIMARY KEY, note text NOT NULL, embedding vector(3))');
    await client.query('ALTER TABLE smoke REPLICA IDENTITY FULL');
    await client.query('CREATE PUBLICATION smoke_pub FOR TABLE smoke');
    await client.query(`SELECT pg_create_logical_replication_slot('smoke_slot', 'pgoutput')`);

    const service = new LogicalReplicationService(
      { connectionString: db.url },
      { acknowledge: { auto: false, timeoutSeconds: 0 } },
    );
    const plugin = new PgoutputPlugin({ protoVersion: 1, publicationNames: ['smoke_pub'] });
    const received = new Promise<Pgoutput.MessageInsert>((resolve) => {
      service.on('data', (_lsn: string, message: Pgoutput.Message) => {
        if (message.tag === 'insert') resolve(message);
      });
    });
    const subscribed = service.subscribe(plugin, 'smoke_slot').catch(() => undefined);
    try {
      await client.query(`INSERT INTO smoke VALUES (1, 'hello from central', '[1,2,3]')`);
      const insert = await received;
      expect(insert.relation.name).toBe('smoke');
      expect(insert.new).toEqual({ id: 1, note: 'hello from central', embedding: '[1,2,3]' });
    } finally {
      await service.stop();
      await subscribed;
    }
  });
});
