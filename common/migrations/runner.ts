/**
 * common/migrations/runner.ts: applies SQL migrations to central Postgres or local PGlite.
 *
 * Migrations come from three folders (see migrations/README.md): `shared/` (both sides), `server/`
 * (central only) and `client/` (local only). File names are `NNNN_name.sql` with one number space
 * across all folders, so a later shared table and the server policy for it interleave correctly.
 * A target applies shared + its own folder, in number order.
 *
 * Guarantees:
 *   - Idempotent: applied migrations are recorded in `schema_migrations` (id, checksum, applied_at)
 *     and never run twice; running again with nothing new changes nothing.
 *   - Atomic per migration: each file runs in its own transaction together with its record; a
 *     failing file leaves no trace and stops the run (`migration_failed`).
 *   - Tamper-evident: if an applied file's content changed (SHA-256 over the text with line endings
 *     normalised), the run is refused before anything is applied (`migration_checksum_mismatch`);
 *     likewise if the database has applied a migration this build does not have.
 *   - Safe under concurrency: a transaction-level advisory lock serialises runners on one database.
 *
 * Runtime-neutral: no Node or DOM imports; callers load the files and pass an executor.
 */
import { OutpostError } from '../errors.ts';

export type MigrationFolder = 'shared' | 'server' | 'client';
export type MigrationTarget = 'central' | 'local';

export interface MigrationFile {
  readonly folder: MigrationFolder;
  /** File name, e.g. `0003_connections_jobs.sql`; unique across folders. */
  readonly name: string;
  readonly sql: string;
}

/** The minimum a database driver must offer (pg.Client and PGlite adapters implement it). */
export interface SqlExecutor {
  /** Runs one or more statements without parameters. */
  exec(sql: string): Promise<void>;
  query<Row>(sql: string, params?: readonly unknown[]): Promise<{ rows: Row[] }>;
  /** Runs `fn` in a transaction: commit when it resolves, roll back when it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}

export interface MigrationReport {
  readonly applied: readonly string[];
  readonly skipped: readonly string[];
}

const FOLDERS_FOR: Record<MigrationTarget, readonly MigrationFolder[]> = {
  central: ['shared', 'server'],
  local: ['shared', 'client'],
};

const NAME = /^(\d{4})_[a-z0-9_]+\.sql$/;
/** An arbitrary fixed key for pg_advisory_xact_lock: "outpost" in ASCII. */
const LOCK_KEY = 0x6f7574706f7374n.toString();

export async function migrationChecksum(sql: string): Promise<string> {
  const bytes = new TextEncoder().encode(sql.replace(/\r\n?/g, '\n'));
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Validates names and numbering, and returns the target's migrations in the order they apply. */
export function planMigrations(files: readonly MigrationFile[], target: MigrationTarget): MigrationFile[] {
  const byNumber = new Map<string, MigrationFile>();
  for (const file of files) {
    const match = NAME.exec(file.name);
    if (!match?.[1]) {
      throw new OutpostError(
        'migration_invalid_set',
        `Migration ${file.folder}/${file.name} is misnamed: expected NNNN_lowercase_name.sql.`,
        { file: `${file.folder}/${file.name}` },
      );
    }
    const other = byNumber.get(match[1]);
    if (other) {
      throw new OutpostError(
        'migration_invalid_set',
        `Migrations ${other.folder}/${other.name} and ${file.folder}/${file.name} share the number ${match[1]}; numbers are unique across folders.`,
        { number: match[1] },
      );
    }
    byNumber.set(match[1], file);
  }
  return [...byNumber.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, file]) => file)
    .filter((file) => FOLDERS_FOR[target].includes(file.folder));
}

async function lock(tx: SqlExecutor): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(${LOCK_KEY})`);
}

export async function runMigrations(
  db: SqlExecutor,
  files: readonly MigrationFile[],
  target: MigrationTarget,
): Promise<MigrationReport> {
  const plan = planMigrations(files, target);
  const checksums = new Map<string, string>();
  for (const file of plan) checksums.set(file.name, await migrationChecksum(file.sql));

  await db.transaction(async (tx) => {
    await lock(tx);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      id text PRIMARY KEY,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  });

  const applied = new Map<string, string>();
  const { rows } = await db.query<{ id: string; checksum: string }>(
    'SELECT id, checksum FROM schema_migrations ORDER BY id',
  );
  for (const row of rows) applied.set(row.id, row.checksum);

  for (const [id, checksum] of applied) {
    const expected = checksums.get(id);
    if (expected === undefined) {
      throw new OutpostError(
        'migration_unknown_applied',
        `The database has applied migration ${id}, which this build does not contain; run a build that includes it.`,
        { migration: id },
      );
    }
    if (expected !== checksum) {
      throw new OutpostError(
        'migration_checksum_mismatch',
        `Migration ${id} was edited after it was applied (checksum ${checksum.slice(0, 12)}… in the database, ${expected.slice(0, 12)}… on disk). Restore the original file and put the change in a new migration.`,
        { migration: id },
      );
    }
  }

  const done: string[] = [];
  const skipped: string[] = [];
  for (const file of plan) {
    if (applied.has(file.name)) {
      skipped.push(file.name);
      continue;
    }
    const ran = await db.transaction(async (tx) => {
      await lock(tx);
      const again = await tx.query<{ id: string }>('SELECT id FROM schema_migrations WHERE id = $1', [
        file.name,
      ]);
      if (again.rows.length > 0) return false; // another runner applied it meanwhile
      try {
        await tx.exec(file.sql);
      } catch (error) {
        throw new OutpostError(
          'migration_failed',
          `Migration ${file.folder}/${file.name} failed: ${(error as Error).message}`,
          { migration: file.name },
          { cause: error },
        );
      }
      await tx.query('INSERT INTO schema_migrations (id, checksum) VALUES ($1, $2)', [
        file.name,
        checksums.get(file.name),
      ]);
      return true;
    });
    (ran ? done : skipped).push(file.name);
  }
  return { applied: done, skipped };
}
