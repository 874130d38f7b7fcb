/**
 * The write operations on PostgreSQL 15 with the full central schema, as the superuser (row-level
 * security is the sync server's tests' subject): the same contract as on PGlite (operations.testkit.ts).
 */
import pg from 'pg';
import { describe } from 'vitest';
import { createMigratedTestDatabase } from '../../scripts/testing/migrated.ts';
import { writeOperationsContract } from './operations.testkit.ts';

describe('write operations on PostgreSQL', () => {
  writeOperationsContract(async () => {
    const database = await createMigratedTestDatabase('operations');
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    return {
      sql: client,
      exec: async (sql) => {
        await client.query(sql);
      },
      close: async () => {
        await client.end();
        await database.drop();
      },
    };
  });
});
