/**
 * The migration runner's behaviour, written once and run against both databases
 * (runner.pglite.test.ts and runner.pg.test.ts).
 */
import { expect, it } from 'vitest';
import { isOutpostError } from '../errors.ts';
import { runMigrations, type MigrationFile, type SqlExecutor } from './runner.ts';

const base: MigrationFile[] = [
  {
    folder: 'shared',
    name: '0001_notes.sql',
    sql: 'CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL);',
  },
  { folder: 'server', name: '0002_server_only.sql', sql: 'CREATE TABLE central_only (id int PRIMARY KEY);' },
  { folder: 'client', name: '0003_client_only.sql', sql: 'CREATE TABLE local_only (id int PRIMARY KEY);' },
  { folder: 'shared', name: '0004_notes_index.sql', sql: 'CREATE INDEX notes_body ON notes (body);' },
];

async function relations(db: SqlExecutor): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i') ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

export interface OpenedDatabase {
  readonly db: SqlExecutor;
  readonly close: () => Promise<void>;
}

export function migrationRunnerContract(open: () => Promise<OpenedDatabase>): void {
  const withDatabase = (body: (db: SqlExecutor) => Promise<void>) => async () => {
    const { db, close } = await open();
    try {
      await body(db);
    } finally {
      await close();
    }
  };

  it(
    'applies shared and target migrations in number order, and is idempotent',
    withDatabase(async (db) => {
      const first = await runMigrations(db, base, 'central');
      expect(first.applied).toEqual(['0001_notes.sql', '0002_server_only.sql', '0004_notes_index.sql']);
      expect(await relations(db)).toEqual([
        'central_only',
        'central_only_pkey',
        'notes',
        'notes_body',
        'notes_pkey',
        'schema_migrations',
        'schema_migrations_pkey',
      ]);
      const second = await runMigrations(db, base, 'central');
      expect(second.applied).toEqual([]);
      expect(second.skipped).toEqual(['0001_notes.sql', '0002_server_only.sql', '0004_notes_index.sql']);
    }),
  );

  it(
    'applies the client folder, not the server folder, for the local target',
    withDatabase(async (db) => {
      const report = await runMigrations(db, base, 'local');
      expect(report.applied).toEqual(['0001_notes.sql', '0003_client_only.sql', '0004_notes_index.sql']);
      expect(await relations(db)).not.toContain('central_only');
    }),
  );

  it(
    'refuses to run when an applied migration was edited, and applies nothing',
    withDatabase(async (db) => {
      await runMigrations(db, base.slice(0, 1), 'central');
      const edited = [
        { ...base[0]!, sql: 'CREATE TABLE notes (id int PRIMARY KEY, body text);' },
        ...base.slice(1),
      ];
      const error = await rejection(runMigrations(db, edited, 'central'));
      expect(isOutpostError(error, 'migration_checksum_mismatch')).toBe(true);
      expect((error as Error).message).toContain('0001_notes.sql');
      expect(await relations(db)).not.toContain('central_only');
    }),
  );

  it(
    'ignores line-ending differences when comparing checksums',
    withDatabase(async (db) => {
      await runMigrations(db, base, 'central');
      const crlf = base.map((f) => ({ ...f, sql: f.sql.replace(/\n/g, '\r\n') }));
      await expect(runMigrations(db, crlf, 'central')).resolves.toMatchObject({ applied: [] });
    }),
  );

  it(
    'refuses to run an older build against a database with migrations it does not know',
    withDatabase(async (db) => {
      await runMigrations(db, base, 'central');
      const error = await rejection(runMigrations(db, base.slice(0, 2), 'central'));
      expect(isOutpostError(error, 'migration_unknown_applied')).toBe(true);
    }),
  );

  it(
    'rolls back a failing migration completely and reports which one failed',
    withDatabase(async (db) => {
      const broken: MigrationFile[] = [
        base[0]!,
        {
          folder: 'shared',
          name: '0002_broken.sql',
          sql: 'CREATE TABLE half (id int); SELECT no_such_function();',
        },
      ];
      const error = await rejection(runMigrations(db, broken, 'central'));
      expect(isOutpostError(error, 'migration_failed')).toBe(true);
      expect((error as Error).message).toContain('0002_broken.sql');
      expect(await relations(db)).not.toContain('half');
      const { rows } = await db.query<{ id: string }>('SELECT id FROM schema_migrations');
      expect(rows.map((r) => r.id)).toEqual(['0001_notes.sql']);
    }),
  );
}
