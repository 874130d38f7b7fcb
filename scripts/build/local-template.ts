/**
 * scripts/build/local-template.ts: the local database template: a PGlite data directory with every
 * local migration applied and the write rules in place, dumped as a gzipped tarball. The browser host
 * starts a new account's database from it (PGlite's `loadDataDir`) instead of running initdb and ~60
 * migrations in WebAssembly, which took 55 to 65 s of a first sign-in in Chromium on this project's
 * 2-core machine; building it in Node takes about 10 s once.
 *
 *   localTemplate()   { bytes, fileName: local-template-<hash>.tar.gz }; built once per content and
 *                     cached in node_modules/.cache/outpost/ (the key: the local migration files and the
 *                     PGlite and pgvector versions)
 *   localTemplatePlugin()   a Vite plugin: the module `virtual:outpost-local-template` exports
 *                     LOCAL_TEMPLATE_FILE (the file's name); the build emits the file beside index.html,
 *                     the dev server serves it at the same path
 *
 * Guarantees: the template holds exactly the migrations the same build bundles (both are read from
 * migrations/ at build time), so the engine's migration runner finds nothing to apply and its
 * checksums agree; a changed migration changes the hash, so neither cache holds a stale template.
 * The template is taken after a CHECKPOINT: opening it replays no WAL.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Plugin } from 'vite';
import { openLocalDatabase } from '../../core/database/local-database.ts';
import { loadMigrationFiles } from '../db/migration-files.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CACHE_DIR = path.join(ROOT, 'node_modules/.cache/outpost');
const VIRTUAL_ID = 'virtual:outpost-local-template';

export interface LocalTemplate {
  readonly fileName: string;
  readonly bytes: Uint8Array;
}

async function packageVersion(name: string): Promise<string> {
  const file = path.join(ROOT, 'node_modules', name, 'package.json');
  return (JSON.parse(await readFile(file, 'utf8')) as { version: string }).version;
}

async function build(): Promise<LocalTemplate> {
  const migrations = (await loadMigrationFiles()).filter((f) => f.folder !== 'server');
  const key = createHash('sha256');
  for (const name of ['@electric-sql/pglite', '@electric-sql/pglite-pgvector'])
    key.update(`${name} ${await packageVersion(name)}\n`);
  for (const file of migrations) key.update(`${file.folder}/${file.name}\n${file.sql}\n`);
  const fileName = `local-template-${key.digest('hex').slice(0, 16)}.tar.gz`;
  const cached = path.join(CACHE_DIR, fileName);
  try {
    return { fileName, bytes: new Uint8Array(await readFile(cached)) };
  } catch {
    // not built yet for these migrations
  }
  const { db } = await openLocalDatabase({ migrations });
  try {
    await db.exec('CHECKPOINT');
    const bytes = new Uint8Array(await (await db.dumpDataDir('gzip')).arrayBuffer());
    await mkdir(CACHE_DIR, { recursive: true });
    await writeFile(`${cached}.tmp`, bytes);
    await rename(`${cached}.tmp`, cached);
    return { fileName, bytes };
  } finally {
    await db.close();
  }
}

let building: Promise<LocalTemplate> | null = null;

/** The template for the migrations in migrations/ now (built at most once per process). */
export function localTemplate(): Promise<LocalTemplate> {
  building ??= build();
  return building;
}

/**
 * See the header. The page's build uses it as is (it serves and emits the file); the worker's build
 * (`worker.plugins`) with `emit: false`, to resolve the module only; a build whose worker never makes a
 * database (Electron's renderer) with `template: false`: the module says there is no template.
 */
export function localTemplatePlugin({ emit = true, template = true } = {}): Plugin {
  return {
    name: 'outpost-local-template',
    resolveId: (id) => (id === VIRTUAL_ID ? `\0${VIRTUAL_ID}` : null),
    async load(id) {
      if (id !== `\0${VIRTUAL_ID}`) return null;
      const fileName = template ? (await localTemplate()).fileName : null;
      return `export const LOCAL_TEMPLATE_FILE = ${JSON.stringify(fileName)};\n`;
    },
    configureServer(server) {
      if (!template) return;
      server.middlewares.use((req, res, next) => {
        void localTemplate().then(({ fileName, bytes }) => {
          if (req.url !== `/${fileName}`) return next();
          res.setHeader('Content-Type', 'application/gzip');
          res.end(bytes);
        }, next);
      });
    },
    async generateBundle() {
      if (!emit || !template) return;
      const { fileName, bytes } = await localTemplate();
      this.emitFile({ type: 'asset', fileName, source: bytes });
    },
  };
}
