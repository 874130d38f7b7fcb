/**
 * scripts/db/migration-files.ts: reads migrations/{shared,server,client}/*.sql from disk for the
 * Node-side runners (db:migrate, tests, tools). Browser builds bundle the same files instead.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { MigrationFile, MigrationFolder } from '../../common/migrations/runner.ts';

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../migrations');
const FOLDERS: readonly MigrationFolder[] = ['shared', 'server', 'client'];

export async function loadMigrationFiles(root = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const files: MigrationFile[] = [];
  for (const folder of FOLDERS) {
    const dir = path.join(root, folder);
    if (!existsSync(dir)) continue;
    for (const name of (await readdir(dir)).filter((n) => n.endsWith('.sql')).sort()) {
      files.push({ folder, name, sql: await readFile(path.join(dir, name), 'utf8') });
    }
  }
  return files;
}
