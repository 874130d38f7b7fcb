/**
 * scripts/build/service-worker-manifest.ts: a Vite plugin for the browser host's production build that
 * writes `sw-manifest.json` into the output: every file of the build (pages, chunks, the engine worker,
 * PGlite's WebAssembly and data files, public files) and a version derived from their names and sizes
 * (bundled file names carry content hashes). The service worker (renderer/public/sw.js) caches exactly
 * these files, so the app opens offline after one visit.
 *
 * Guarantees: the manifest lists only files that exist in the output directory (it is written after
 * the bundle, from the directory itself); the version changes whenever a file is added, removed,
 * renamed or resized, so an update replaces the old cache instead of mixing two builds.
 */
import { createHash } from 'node:crypto';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'vite';

const NEVER_CACHED = new Set(['sw.js', 'sw-manifest.json']);

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) =>
    statSync(path.join(dir, name)).isDirectory()
      ? listFiles(path.join(dir, name), `${prefix}${name}/`)
      : [`${prefix}${name}`],
  );
}

export function buildManifest(outDir: string): { version: string; files: string[] } {
  const files = listFiles(outDir)
    .filter((file) => !NEVER_CACHED.has(file) && !file.endsWith('.map'))
    .sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file}\n${statSync(path.join(outDir, file)).size}\n`);
  return { version: hash.digest('hex').slice(0, 16), files: ['./', ...files] };
}

export function serviceWorkerManifest(): Plugin {
  return {
    name: 'outpost-service-worker-manifest',
    apply: 'build',
    enforce: 'post',
    writeBundle(options) {
      if (!options.dir) return;
      writeFileSync(
        path.join(options.dir, 'sw-manifest.json'),
        JSON.stringify(buildManifest(options.dir), null, 1),
      );
    },
  };
}
