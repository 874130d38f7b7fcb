import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigratedTestDatabase } from '../../scripts/testing/migrated.ts';
import { createTestDatabase, type TestDatabase } from '../../scripts/testing/postgres.ts';
import { keepAuditPartitions } from './audit-partitions.ts';

describe('audit partitions kept ahead by the sync server', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  beforeAll(async () => {
    db = await createMigratedTestDatabase('partitions');
    pool = new pg.Pool({ connectionString: db.url });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('re-creates a missing future month partition, and does nothing when all exist', async () => {
    const { rows } = await pool.query<{ name: string }>(
      `SELECT 'audit_logs_' || to_char(date_trunc('month', now() AT TIME ZONE 'UTC') + interval '3 months', 'YYYY_MM') AS name`,
    );
    const furthest = rows[0]!.name;
    await pool.query(`DROP TABLE ${furthest}`);
    const keeper = keepAuditPartitions(pool, { intervalMs: 3_600_000 });
    try {
      expect(await keeper.runOnce()).toBe(1);
      const exists = await pool.query(`SELECT to_regclass($1) IS NOT NULL AS ok`, [furthest]);
      expect(exists.rows[0]).toEqual({ ok: true });
      expect(await keeper.runOnce()).toBe(0);
    } finally {
      keeper.stop();
    }
  });

  it('leaves a database without the audit schema alone', async () => {
    const other = await createTestDatabase('plain');
    const otherPool = new pg.Pool({ connectionString: other.url });
    const keeper = keepAuditPartitions(otherPool);
    try {
      expect(await keeper.runOnce()).toBeNull();
    } finally {
      keeper.stop();
      await otherPool.end();
      await other.drop();
    }
  });
});
