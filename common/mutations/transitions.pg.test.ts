/**
 * The lifecycle transition operations on PostgreSQL 15 with the full central schema: the contract of
 * transitions.testkit.ts, as on PGlite.
 */
import pg from 'pg';
import { describe } from 'vitest';
import { createMigratedTestDatabase } from '../../scripts/testing/migrated.ts';
import { transitionsContract } from './transitions.testkit.ts';

describe('lifecycle transitions on PostgreSQL', () => {
  transitionsContract(async () => {
    const database = await createMigratedTestDatabase('transitions');
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
