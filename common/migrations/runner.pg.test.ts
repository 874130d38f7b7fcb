import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../scripts/testing/postgres.ts';
import { pgExecutor } from './executors.ts';
import { runMigrations, type MigrationFile } from './runner.ts';
import { migrationRunnerContract } from './runner.testkit.ts';

async function openDatabase() {
  const database = await createTestDatabase('migrate');
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  return {
    database,
    client,
    db: pgExecutor(client),
    close: async () => {
      await client.end();
      await database.drop();
    },
  };
}

describe('migration runner on PostgreSQL', () => {
  migrationRunnerContract(openDatabase);

  it('applies each migration exactly once when two runners race', async () => {
    const first = await openDatabase();
    const second = new pg.Client({ connectionString: first.database.url });
    await second.connect();
    try {
      const files: MigrationFile[] = Array.from({ length: 8 }, (_, i) => ({
        folder: 'shared',
        name: `${String(i + 1).padStart(4, '0')}_t${i}.sql`,
        sql: `CREATE TABLE t${i} (id int); SELECT pg_sleep(0.02);`,
      }));
      const [a, b] = await Promise.all([
        runMigrations(first.db, files, 'central'),
        runMigrations(pgExecutor(second), files, 'central'),
      ]);
      expect([...a.applied, ...b.applied].sort()).toEqual(files.map((f) => f.name));
      const { rows } = await first.client.query<{ n: string }>('SELECT count(*) AS n FROM schema_migrations');
      expect(Number(rows[0]?.n)).toBe(8);
    } finally {
      await second.end();
      await first.close();
    }
  });
});
