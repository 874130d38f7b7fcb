/**
 * scripts/testing/migrated.ts: databases with the full schema, fast.
 *
 * - `createMigratedPGlite()`: the shared migrations only (the schema exactly as central has it, on
 *   PGlite), for tests of the shared schema and of code that must behave the same on both engines.
 * - `createLocalPGlite()`: the local target (shared + client migrations, then the write rules of
 *   common/sync/rules.ts as the core applies them at open): what a client's PGlite holds
 *   (synced/local/outbox schemas, writable tables behind views; docs/local-schema.md).
 *   Both are applied once, dumped to a tarball in the temp directory keyed by the migrations' checksum
 *   and PGlite's version, and loaded from there by every later instance (`migratedPGliteDump()`).
 * - `createMigratedTestDatabase()`: the central target (shared + server) applied once per run into a
 *   template database keyed by the migrations' checksum; each test database is a `CREATE DATABASE
 *   ... TEMPLATE` copy of it (tens of milliseconds).
 * An edited migration changes the key, so a stale template is never used.
 */
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { live } from '@electric-sql/pglite/live';
import { vector } from '@electric-sql/pglite-pgvector';
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pgExecutor, pgliteExecutor } from '../../common/migrations/executors.ts';
import {
  migrationChecksum,
  runMigrations,
  type MigrationFile,
  type MigrationTarget,
} from '../../common/migrations/runner.ts';
import { NAMED_MUTATIONS } from '../../common/mutations/named.ts';
import { SYNC_RULES } from '../../common/sync/rules.ts';
import { applyWriteRules } from '../../core/database/write-rules.ts';
import { loadMigrationFiles } from '../db/migration-files.ts';
import { createTestPGlite, pgliteVersion } from './pglite.ts';
import { adminUrl, createTestDatabase, withDatabase, type TestDatabase } from './postgres.ts';

/** Which migrations a PGlite gets: the shared ones only (as central), or the whole local target. */
export type PGliteSchema = 'shared' | 'local';

async function filesFor(schema: PGliteSchema): Promise<MigrationFile[]> {
  const files = await loadMigrationFiles();
  return schema === 'local' ? files : files.filter((f) => f.folder === 'shared');
}

async function migrationsKey(
  target: MigrationTarget | PGliteSchema,
  files?: MigrationFile[],
): Promise<string> {
  const all = (files ?? (await loadMigrationFiles()))
    .map((f) => `${f.folder}/${f.name}\n${f.sql}`)
    .join('\n\u0000\n');
  // The local target also depends on the write rules applyWriteRules installs (rules.ts and the
  // tables named operations write), so a change there builds a new dump too.
  const rules = target === 'local' ? `\n${localRulesFingerprint()}` : '';
  return (await migrationChecksum(`${target}\n${all}${rules}`)).slice(0, 16);
}

function localRulesFingerprint(): string {
  return JSON.stringify({
    rules: [...SYNC_RULES.values()].map((r) => [r.table, r.write]),
    named: [...NAMED_MUTATIONS.values()].map((op) => [op.name, op.writes]),
  });
}

/** A tarball of a PGlite data directory with `schema` applied (built once per migrations checksum). */
export async function migratedPGliteDump(schema: PGliteSchema): Promise<Blob> {
  const files = await filesFor(schema);
  const file = path.join(
    tmpdir(),
    `outpost-pglite-${schema}-${pgliteVersion()}-${await migrationsKey(schema, files)}.tar`,
  );
  if (!existsSync(file)) {
    const db = await createTestPGlite();
    await runMigrations(pgliteExecutor(db), files, 'local');
    if (schema === 'local') await applyWriteRules(db);
    const dump = await db.dumpDataDir('none');
    await db.close();
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, Buffer.from(await dump.arrayBuffer()));
    await rename(tmp, file);
  }
  return new Blob([await readFile(file)]);
}

/** An in-memory PGlite with the shared schema (as central has it), pgvector and live queries. */
export async function createMigratedPGlite(): Promise<PGlite> {
  return PGlite.create({ extensions: { vector, live }, loadDataDir: await migratedPGliteDump('shared') });
}

/** An in-memory PGlite with the local schema (shared + client migrations), pgvector and live queries. */
export async function createLocalPGlite(): Promise<PGlite> {
  const db = await PGlite.create({
    extensions: { vector, live },
    loadDataDir: await migratedPGliteDump('local'),
  });
  // As the core does at every open: the dump may predate a change of the rules (it is keyed by the
  // migrations only); with the rules unchanged this changes nothing.
  await applyWriteRules(db);
  return db;
}

/** Every migration file (shared, server, client) as the runner takes them. */
export async function migrationFiles(): Promise<MigrationFile[]> {
  return loadMigrationFiles();
}

interface TransactionalPGlite {
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
}

/**
 * Runs `fn` in one transaction as the sync applier does (`electric.syncing = true`): on the local
 * schema, writes through the public views then store server state (synced.<t>), and the applier-only
 * tables accept writes. For fixtures; a test of the local write path writes outside it.
 */
export async function asServerState<T>(
  db: TransactionalPGlite,
  fn: (tx: Transaction) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.exec(`SET LOCAL electric.syncing = true`);
    const result = await fn(tx);
    await tx.exec(`SET LOCAL electric.syncing = false`);
    return result;
  });
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
