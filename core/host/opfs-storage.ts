/**
 * core/host/opfs-storage.ts: where the browser host keeps an account's PGlite data directory: PGlite's
 * MEMFS frontend (the data directory in memory, every commit's changed files written to the Origin
 * Private File System before the commit returns) over our OPFS backend (core/host/opfs-backend.ts).
 *
 *   opfsFilesystem(dir)              for PGlite's `fs` option
 *   opfsDatabaseState(dir)           missing, ready or interrupted (a creation that did not finish)
 *   opfsCreateDatabase(dir, create)  a new database in `dir`, marked as unfinished until it is whole
 *
 * Guarantees: a database whose creation was interrupted (a tab closed while a template's 70 MB are
 * written) is never opened: the next open removes it and creates it again. Browser APIs are declared
 * in opfs-backend.ts, not imported: the core compiles without DOM libraries.
 */
import { MemfsFrontendFS } from '@electric-sql/pglite/memfs-frontend';
import { directory, OpfsHandleBackend, opfsRoot } from './opfs-backend.ts';

/** The filesystem for PGlite's `fs` option: the data directory `dir` of the origin's private storage. */
export function opfsFilesystem(dir: string): MemfsFrontendFS {
  return new MemfsFrontendFS(new OpfsHandleBackend(dir));
}

async function exists(find: () => Promise<unknown>): Promise<boolean> {
  try {
    await find();
    return true;
  } catch {
    return false;
  }
}

/** The marker beside `dir` (a top-level directory name) while a new database is being written. */
const creatingMarker = (dir: string) => `${dir}.creating`;

/**
 * `missing`: no database in `dir`; `ready`: one to open; `interrupted`: a creation that did not finish
 * (its marker is still there), to remove and start again.
 */
export async function opfsDatabaseState(dir: string): Promise<'missing' | 'ready' | 'interrupted'> {
  const root = await opfsRoot();
  if (await exists(() => root.getFileHandle(creatingMarker(dir)))) return 'interrupted';
  return (await exists(async () => (await directory(dir, false)).getFileHandle('PG_VERSION')))
    ? 'ready'
    : 'missing';
}

/**
 * Creates a database in `dir` with `create` (which must not return before every file is written):
 * a marker beside it says so until `create` returns, so an interrupted creation is seen as
 * `interrupted` (and removed by the next call), never opened as a database with files missing.
 */
export async function opfsCreateDatabase<T>(dir: string, create: () => Promise<T>): Promise<T> {
  const root = await opfsRoot();
  await root.removeEntry(dir, { recursive: true }).catch(() => undefined);
  await root.getFileHandle(creatingMarker(dir), { create: true });
  const result = await create();
  await root.removeEntry(creatingMarker(dir));
  return result;
}
