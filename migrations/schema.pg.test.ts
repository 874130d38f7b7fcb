/**
 * Schema on PostgreSQL 15, and parity: the local database (PGlite, local target) has exactly the
 * same tables, views, columns, column types, nullability and defaults as the central one, apart
 * from what server-only migrations add.
 */
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgExecutor, pgliteExecutor } from '../common/migrations/executors.ts';
import type { SqlExecutor } from '../common/migrations/runner.ts';
import { createMigratedPGlite, createMigratedTestDatabase } from '../scripts/testing/migrated.ts';
import type { TestDatabase } from '../scripts/testing/postgres.ts';
import { seedTablesContract } from './schema.testkit.ts';

const CATALOG = `
  SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
         || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
         || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '') AS line
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
   WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v') AND NOT c.relispartition
   ORDER BY 1`;

const INDEXES = `
  SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = 'public' AND c.relkind IN ('i', 'I') ORDER BY 1`;

describe('schema on PostgreSQL', () => {
  let testDb: TestDatabase;
  let client: pg.Client;
  let db: SqlExecutor;
  let pglite: PGlite;
  beforeAll(async () => {
    testDb = await createMigratedTestDatabase('schema');
    client = new pg.Client({ connectionString: testDb.url });
    await client.connect();
    db = pgExecutor(client);
    pglite = await createMigratedPGlite();
  });
  afterAll(async () => {
    await client?.end();
    await testDb?.drop();
    await pglite?.close();
  });

  seedTablesContract(() => db);

  it('has the same relations, columns, types, nullability and defaults as the local PGlite schema', async () => {
    const central = (await db.query<{ line: string }>(CATALOG)).rows.map((r) => r.line);
    const local = (await pgliteExecutor(pglite).query<{ line: string }>(CATALOG)).rows.map((r) => r.line);
    expect(local.length).toBeGreaterThan(1000);
    expect(local).toEqual(central);
  });

  it('has the same indexes as the local PGlite schema', async () => {
    const central = (await db.query<{ name: string }>(INDEXES)).rows.map((r) => r.name);
    const local = (await pgliteExecutor(pglite).query<{ name: string }>(INDEXES)).rows.map((r) => r.name);
    expect(local).toEqual(central);
  });
});
