/**
 * core/host/web-worker-entry.ts: the script the browser host starts as a module Web Worker
 * (`new Worker(new URL('.../web-worker-entry.ts', import.meta.url), { type: 'module' })`). Vite
 * bundles it, with every migration file inlined, so the worker needs nothing but its own origin.
 *
 * The worker's `name` (the Worker constructor's `name` option) is the namespace of its IndexedDB
 * databases and of its origin lock: `outpost` unless a page (tests) chooses another.
 */
/// <reference types="vite/client" />
import type { MigrationFile, MigrationFolder } from '../../common/migrations/runner.ts';
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

void startWorkerHost({
  scope: globalThis as unknown as WorkerScope,
  migrations,
  namespace: /^[a-z0-9-]{1,40}$/.test(namespace) ? namespace : 'outpost',
  onInternalError: (error, where) => console.error(`outpost core: internal error in ${where}`, error),
});
