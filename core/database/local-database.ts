/**
 * core/database/local-database.ts: opens the client's local database: PGlite with pgvector, live
 * queries and pglite-sync, brought to the local schema (migrations/shared + migrations/client).
 *
 *   openLocalDatabase({ dataDir, migrations })
 *     ─► PGlite.create(dataDir: a directory (Node), idb://name or opfs-ahp://name (browser), or none
 *        for memory; extensions vector, live, sync)
 *     ─► runMigrations(target 'local'): refused if an applied file changed or is unknown
 *     ─► applyWriteRules: the local write rules brought to common/sync/rules.ts (write-rules.ts)
 *     ─► the database, with `db.sync` (pglite-sync) and `db.live`
 *
 * Guarantees: the database is returned only once every local migration is applied (a failure closes
 * it and rethrows the runner's OutpostError); the migration files come from the caller (Node reads
 * them from disk, a browser build bundles them), so this module touches neither the filesystem nor
 * the DOM. The core owns the instance: one process per data directory (the host takes the lock).
 */
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { live } from '@electric-sql/pglite/live';
import { vector } from '@electric-sql/pglite-pgvector';
import { electricSync } from '@electric-sql/pglite-sync';
import { pgliteExecutor } from '../../common/migrations/executors.ts';
import { runMigrations, type MigrationFile, type MigrationReport } from '../../common/migrations/runner.ts';
import { applyWriteRules } from './write-rules.ts';

export interface LocalDatabaseOptions {
  /** Where the data lives: a directory path, `idb://<name>`, `opfs-ahp://<name>`; omitted: memory. */
  readonly dataDir?: string;
  /** Every migration file (shared, server and client; the runner picks shared + client). */
  readonly migrations: readonly MigrationFile[];
  /** A data directory tarball to start from when `dataDir` is empty (tests, backups). */
  readonly loadDataDir?: Blob;
  /** The filesystem to keep the data directory in, instead of the one `dataDir`'s scheme names. */
  readonly fs?: NonNullable<PGliteOptions['fs']>;
}

function createPGlite(options: LocalDatabaseOptions) {
  return PGlite.create({
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    ...(options.loadDataDir === undefined ? {} : { loadDataDir: options.loadDataDir }),
    ...(options.fs === undefined ? {} : { fs: options.fs }),
    extensions: { vector, live, sync: electricSync() },
  });
}

export type LocalDatabase = Awaited<ReturnType<typeof createPGlite>>;

export interface OpenedLocalDatabase {
  readonly db: LocalDatabase;
  readonly migrations: MigrationReport;
}

export async function openLocalDatabase(options: LocalDatabaseOptions): Promise<OpenedLocalDatabase> {
  const db = await createPGlite(options);
  try {
    const migrations = await runMigrations(pgliteExecutor(db), options.migrations, 'local');
    await applyWriteRules(db);
    return { db, migrations };
  } catch (error) {
    await db.close();
    throw error;
  }
}
