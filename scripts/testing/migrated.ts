/**
 * scripts/testing/migrated.ts: databases with the full schema, fast.
 *
 * - `createMigratedPGlite()`: the local target (shared + client migrations) applied once, dumped to a
 *   tarball in the temp directory keyed by the migrations' checksum and PGlite's version, and loaded
 *   from there by every later instance.
 * - `createMigratedTestDatabase()`: the central target (shared + server) applied once per run into a
 *   template database keyed by the migrations' checksum; each test database is a `CREATE DATABASE
 *   ... TEMPLATE` copy of it (tens of milliseconds).
 * An edited migration changes the key, so a stale template is never used.
 */
import { PGlite } from '@electric-sql/pglite';
import { live } from '@electric-sql/pglite/live';
import { vector } from '@electric-sql/pglite-pgvector';
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pgExecutor, pgliteExecutor } from '../../common/migrations/executors.ts';
import { migrationChecksum, runMigrations, type MigrationTarget } from '../../common/migrations/runner.ts';
import { loadMigrationFiles } from '../db/migration-files.ts';
import { createTestPGlite, pgliteVersion } from './pglite.ts';
import { adminUrl, createTestDatabase, withDatabase, type TestDatabase } from './postgres.ts';

async function migrationsKey(target: MigrationTarget): Promise<string> {
  const files = await loadMigrationFiles();
  const all = files.map((f) => `${f.folder}/${f.name}\n${f.sql}`).join('\n\u0000\n');
  return (await migrationChecksum(`${target}\n${all}`)).slice(0, 16);
}

export async function createMigratedPGlite(): Promise<PGlite> {
  const file = path.join(
    tmpdir(),
    `outpost-pglite-migrated-${pgliteVersion()}-${await migrationsKey('local')}.tar`,
  );
  if (!existsSync(file)) {
    const db = await createTestPGlite();
    await runMigrations(pgliteExecutor(db), await loadMigrationFiles(), 'local');
    const dump = await db.dumpDataDir('none');
    await db.close();
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, Buffer.from(await dump.arrayBuffer()));
    await rename(tmp, file);
  }
  return PGlite.create({ extensions: { vector, live }, loadDataDir: new Blob([await readFile(file)]) });
}

async function ensureTemplate(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    // One worker builds the template; the others wait on the lock and then find it.
    await admin.query(`SELECT pg_advisory_lock(hashtext($1))`, [name]);
    const { rows } = await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name]);
    if (rows.length === 0) {
      await admin.query(`CREATE DATABASE ${name}_building`);
      const client = new pg.Client({ connectionString: withDatabase(adminUrl(), `${name}_building`) });
      await client.connect();
      try {
        await runMigrations(pgExecutor(client), await loadMigrationFiles(), 'central');
      } finally {
        await client.end();
      }
      await admin.query(`ALTER DATABASE ${name}_building RENAME TO ${name}`);
    }
  } finally {
    await admin.query(`SELECT pg_advisory_unlock(hashtext($1))`, [name]);
    await admin.end();
  }
}

export async function createMigratedTestDatabase(prefix = 'schema'): Promise<TestDatabase> {
  const template = `outpost_template_${await migrationsKey('central')}`;
  await ensureTemplate(template);
  return createTestDatabase(prefix, template);
}
