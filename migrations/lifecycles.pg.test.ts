import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { pgExecutor } from '../common/migrations/executors.ts';
import type { SqlExecutor } from '../common/migrations/runner.ts';
import { createMigratedTestDatabase } from '../scripts/testing/migrated.ts';
import type { TestDatabase } from '../scripts/testing/postgres.ts';
import { lifecyclesContract } from './lifecycles.testkit.ts';

describe('lifecycles on PostgreSQL', () => {
  let testDb: TestDatabase;
  let client: pg.Client;
  let db: SqlExecutor;
  beforeAll(async () => {
    testDb = await createMigratedTestDatabase('lifecycles');
    client = new pg.Client({ connectionString: testDb.url });
    await client.connect();
    db = pgExecutor(client);
  });
  afterAll(async () => {
    await client?.end();
    await testDb?.drop();
  });
  lifecyclesContract(() => db);
});
