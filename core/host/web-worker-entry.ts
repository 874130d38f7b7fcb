/**
 * core/host/web-worker-entry.ts: the script the browser host starts as a module Web Worker
 * (`new Worker(new URL('.../web-worker-entry.ts', import.meta.url), { type: 'module' })`). Vite
 * bundles it, with every migration file inlined, so the worker needs nothing but its own origin; a new
 * account's database starts from the local template the build serves beside the app.
 *
 * The worker's `name` (the Worker constructor's `name` option) is the namespace of its IndexedDB
 * databases and of its origin lock: `outpost` unless a page (tests) chooses another.
 */
/// <reference types="vite/client" />
import type { MigrationFile, MigrationFolder } from '../../common/migrations/runner.ts';
import { LOCAL_TEMPLATE_FILE } from 'virtual:outpost-local-template';
import { startWorkerHost, type WorkerScope } from './worker-host.ts';

const sources = import.meta.glob<string>('../../migrations/*/*.sql', {
  query: '?raw',
  import: 'default',
  eager: true,
});

const migrations: MigrationFile[] = Object.entries(sources)
  .map(([file, sql]) => {
    const [folder, name] = file.split('/').slice(-2) as [MigrationFolder, string];
    return { folder, name, sql };
  })
  .sort((a, b) => (a.folder === b.folder ? a.name.localeCompare(b.name) : a.folder.localeCompare(b.folder)));

const namespace = (globalThis as unknown as { name?: string }).name || 'outpost';

/** The local template (scripts/build/local-template.ts) from this origin; null if it cannot be had. */
async function template(): Promise<Blob | null> {
  if (LOCAL_TEMPLATE_FILE === null) return null;
  const { location } = globalThis as unknown as { location: { href: string } };
  const url = new URL(`${import.meta.env.BASE_URL}${LOCAL_TEMPLATE_FILE}`, location.href);
  try {
    const response = await fetch(url);
    if (response.ok) {
      // Some servers send a .gz with `Content-Encoding: gzip`, and the browser has unzipped it already.
      const bytes = new Uint8Array(await response.arrayBuffer());
      const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
      return new Blob([bytes], { type: gzipped ? 'application/gzip' : 'application/x-tar' });
    }
    console.warn(`outpost core: the local template answered ${response.status}; creating the database here`);
  } catch (error) {
    console.warn('outpost core: the local template could not be fetched; creating the database here', error);
  }
  return null;
}

void startWorkerHost({
  scope: globalThis as unknown as WorkerScope,
  migrations,
  template,
  namespace: /^[a-z0-9-]{1,40}$/.test(namespace) ? namespace : 'outpost',
  onInternalError: (error, where) => console.error(`outpost core: internal error in ${where}`, error),
});
