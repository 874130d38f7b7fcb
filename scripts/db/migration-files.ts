/**
 * scripts/db/migration-files.ts: the repository's migrations/{shared,server,client}/*.sql for the
 * Node-side runners (db:migrate, tests, tools). Browser builds bundle the same files instead.
 */
import path from 'node:path';
import type { MigrationFile } from '../../common/migrations/runner.ts';
import { loadMigrationFilesFromDirectory } from '../../core/host/migration-directory.ts';

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../migrations');

export function loadMigrationFiles(root = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  return loadMigrationFilesFromDirectory(root);
}
