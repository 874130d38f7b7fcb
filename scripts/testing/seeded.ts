/**
 * scripts/testing/seeded.ts: a migrated central test database filled by the demo seed
 * (scripts/db/seed), for tests that need every table populated.
 */
import pg from 'pg';
import { seedDatabase, type SeedOptions, type SeedSummary } from '../db/seed/index.ts';
import { createMigratedTestDatabase } from './migrated.ts';
import type { TestDatabase } from './postgres.ts';

export interface SeededTestDatabase {
  readonly db: TestDatabase;
  /** An open superuser connection to it (close it before `db.drop()`). */
  readonly client: pg.Client;
  readonly summary: SeedSummary;
}

export async function createSeededTestDatabase(
  prefix: string,
  options: SeedOptions,
): Promise<SeededTestDatabase> {
  const db = await createMigratedTestDatabase(prefix);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return { db, client, summary: await seedDatabase(client, options) };
  } catch (error) {
    await client.end().catch(() => undefined);
    await db.drop().catch(() => undefined);
    throw error;
  }
}
