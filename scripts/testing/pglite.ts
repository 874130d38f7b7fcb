/**
 * scripts/testing/pglite.ts: fast, isolated in-memory PGlite instances for `*.pglite.test.ts`.
 *
 * A new PGlite runs initdb (about 3 s). We run it once per machine and PGlite version, keep the
 * empty cluster as a tarball in the temp directory, and load every later instance from it
 * (`loadDataDir`, under 1 s). Every instance has the pgvector extension available and live queries.
 * The cache file is written atomically (temp file + rename), so parallel workers never read half a file.
 */
import { PGlite } from '@electric-sql/pglite';
import { live } from '@electric-sql/pglite/live';
import { vector } from '@electric-sql/pglite-pgvector';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** PGlite's own version, read from its package root (its exports map hides package.json). */
export function pgliteVersion(): string {
  let dir = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}
const templateFile = path.join(tmpdir(), `outpost-pglite-template-${pgliteVersion()}.tar`);

const extensions = { vector, live };

async function templateTarball(): Promise<Blob> {
  if (existsSync(templateFile)) return new Blob([await readFile(templateFile)]);
  const fresh = await PGlite.create({ extensions });
  const dump = await fresh.dumpDataDir('none');
  await fresh.close();
  const tmp = `${templateFile}.${process.pid}.tmp`;
  await writeFile(tmp, Buffer.from(await dump.arrayBuffer()));
  await rename(tmp, templateFile);
  return dump;
}

/** A new in-memory PGlite with pgvector and live queries, loaded from the cached empty cluster. */
export async function createTestPGlite(): Promise<PGlite> {
  return PGlite.create({ extensions, loadDataDir: await templateTarball() });
}
