/**
 * core/host/migration-directory.ts: reads migrations/{shared,server,client}/*.sql from a directory, for
 * the Node-side hosts and tools (the browser host bundles the same files instead).
 *
 * Guarantees: files come back in the runner's order (folder, then name); a missing folder is simply
 * absent (the runner decides which folders a target needs).
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { MigrationFile, MigrationFolder } from '../../common/migrations/runner.ts';

const FOLDERS: readonly MigrationFolder[] = ['shared', 'server', 'client'];

export async function loadMigrationFilesFromDirectory(root: string): Promise<MigrationFile[]> {
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
