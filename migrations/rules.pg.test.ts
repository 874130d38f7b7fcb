import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgExecutor } from '../common/migrations/executors.ts';
import { createMigratedTestDatabase } from '../scripts/testing/migrated.ts';
import type { TestDatabase } from '../scripts/testing/postgres.ts';
import { businessRulesContract, type RulesDatabase } from './rules.testkit.ts';

describe('business rules on PostgreSQL', () => {
  let testDb: TestDatabase;
  let client: pg.Client;
  let database: RulesDatabase;
  beforeAll(async () => {
    testDb = await createMigratedTestDatabase('rules');
    client = new pg.Client({ connectionString: testDb.url });
    await client.connect();
    const db = pgExecutor(client);
    database = {
      db,
      asSuperuserWithoutTriggers: (sql, params = []) =>
        db.transaction(async (tx) => {
          await tx.exec(`SET LOCAL session_replication_role = replica`);
          await tx.query(sql, params);
        }),
    };
  });
  afterAll(async () => {
    await client?.end();
    await testDb?.drop();
  });
  businessRulesContract(() => database);

  it('keeps one unbroken chain when 40 audit events of one tenant are written concurrently', async () => {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO tenants (name, slug) VALUES ('Burst', 'burst-' || md5(random()::text)) RETURNING id`,
    );
    const tenant = rows[0]!.id;
    const pool = new pg.Pool({ connectionString: testDb.url, max: 10 });
    try {
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          pool.query(
            `INSERT INTO audit_logs (tenant_id, actor_type, action, entity_type, metadata) VALUES ($1, 'system', 'burst', 'job', $2)`,
            [tenant, JSON.stringify({ i })],
          ),
        ),
      );
    } finally {
      await pool.end();
    }
    const verdict = await client.query<{ ok: boolean; checked: string }>(
      `SELECT ok, checked::text FROM verify_audit_chain($1)`,
      [tenant],
    );
    expect(verdict.rows[0]).toEqual({ ok: true, checked: '40' });
  });
});
