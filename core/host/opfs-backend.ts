/**
 * core/host/opfs-backend.ts: the storage backend under PGlite's MEMFS frontend in the browser host: the
 * data directory mirrored in an Origin Private File System directory, read concurrently at open and
 * written through sync access handles kept open between flushes.
 *
 *   load()            every directory (before its contents), then every file, read READ_CONCURRENCY at
 *                     a time
 *   apply(changes)    removes and mkdirs in order; then opens the files not open yet (the only waits),
 *                     and writes the WAL, the data files and pg_control last in one synchronous run,
 *                     flushing each file unless PGlite asks for relaxed durability
 *
 * Why not PGlite 0.5.16's OpfsBackend (`memfs2opfs://`): it reads the stored files one after another
 * (2,000 files took 23 to 31 s in Chromium before the first query), and opens and closes a sync access
 * handle per data file on every flush. Those opens are awaits on a worker thread that is also parsing
 * the sync stream: a flush of three small files waited up to 7 s behind it, and every query waited
 * for its flush. An open handle writes at once (1.3 ms against 6.2 ms an 8 KB file measured in
 * Chromium here, before any waiting).
 *
 * Why so few handles: with up to 256 kept open plus a slice of 128 being opened, Debian's Chromium was
 * seen to leave `createSyncAccessHandle` pending for good (9 opens, 283 handles open, for minutes), and
 * a first sign-in hung in its first flush or its first sync commit (e2e/app.spec.ts's sign-in, three of
 * five local runs; found with a watchdog logging the pending opens). Where Chromium's limit lies is not
 * known (nor whether it is a count at all). So at most MAX_OPEN_FILES (192, below what was seen) are
 * open at any moment, openings included: handles are closed before a slice opens more, and an open that
 * still hangs fails the flush after OPEN_TIMEOUT_MS instead of stopping the database. Not fewer: a
 * large flush (a checkpoint writes ~700 files) reopens what does not fit, and each open costs the
 * browser process a file lookup and a lock (in the one run with 128 the explorer waited over 20 s for
 * a row; not shown to be the cause).
 *
 * Guarantees: the same files, order and durability as PGlite's backend (WAL before data before
 * pg_control, each flushed before apply returns unless relaxed); at most MAX_OPEN_FILES handles are
 * open or being opened (the least recently written are closed first); a handle is closed before its
 * file or a directory above it is removed; a failed write or open fails the flush (a handle that opens
 * after its timeout is closed at once), so PGlite keeps the changes and passes them again with the
 * next flush. Browser APIs are declared here, not imported: the core compiles without DOM libraries.
 */
import type { ChangeSet, FileWrite, StorageBackend, StorageEntry } from '@electric-sql/pglite/memfs-frontend';

/** The parts of the File System Access API this module uses. */
interface SyncHandle {
  write(data: Uint8Array, options: { at: number }): number;
  truncate(size: number): void;
  flush(): void;
  close(): void;
}
export interface OpfsFile {
  getFile(): Promise<{ arrayBuffer(): Promise<ArrayBuffer>; lastModified: number }>;
  createSyncAccessHandle(): Promise<SyncHandle>;
}
export interface OpfsDirectory {
  getDirectoryHandle(name: string, options?: { create?: boolean }): Promise<OpfsDirectory>;
  getFileHandle(name: string, options?: { create?: boolean }): Promise<OpfsFile>;
  removeEntry(name: string, options?: { recursive?: boolean }): Promise<void>;
  entries(): AsyncIterable<[string, { kind: 'file' | 'directory' }]>;
}

/** How many files are read at once while opening. */
const READ_CONCURRENCY = 64;
/** How many sync access handles may be open at once, those being opened included. */
export const MAX_OPEN_FILES = 192;
/** How many files a flush opens and writes at a time. */
const WRITE_SLICE = 64;
/** An open still pending after this long fails the flush (PGlite passes the changes again). */
const OPEN_TIMEOUT_MS = 30_000;

export function opfsRoot(): Promise<OpfsDirectory> {
  const scope = globalThis as unknown as {
    navigator: { storage: { getDirectory(): Promise<OpfsDirectory> } };
  };
  return scope.navigator.storage.getDirectory();
}

const pathParts = (path: string) => path.split('/').filter(Boolean);

export async function directory(path: string, create: boolean): Promise<OpfsDirectory> {
  let handle = await opfsRoot();
  for (const part of pathParts(path)) handle = await handle.getDirectoryHandle(part, { create });
  return handle;
}

/** Every directory (before its contents), then every file, read `READ_CONCURRENCY` at a time. */
export async function* loadConcurrently(root: OpfsDirectory): AsyncGenerator<StorageEntry> {
  const files: { path: string; handle: OpfsFile }[] = [];
  const pending: { path: string; handle: OpfsDirectory }[] = [{ path: '', handle: root }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    for await (const [name, handle] of next.handle.entries()) {
      const path = `${next.path}/${name}`;
      if (handle.kind === 'directory') {
        yield { kind: 'dir', path };
        pending.push({ path, handle: handle as unknown as OpfsDirectory });
      } else files.push({ path, handle: handle as unknown as OpfsFile });
    }
  }
  for (let start = 0; start < files.length; start += READ_CONCURRENCY) {
    const batch = files.slice(start, start + READ_CONCURRENCY).map(async ({ path, handle }) => {
      const file = await handle.getFile();
      const entry: StorageEntry = {
        kind: 'file',
        path,
        data: new Uint8Array(await file.arrayBuffer()),
        mtime: file.lastModified,
      };
      return entry;
    });
    yield* await Promise.all(batch);
  }
}

function closeQuietly(handle: SyncHandle): void {
  try {
    handle.close();
  } catch {
    // closed already
  }
}

/** See the header. `dataDir` is the OPFS directory's path from the origin's root. */
export class OpfsHandleBackend implements StorageBackend {
  #root: OpfsDirectory | null = null;
  readonly #dirs = new Map<string, Promise<OpfsDirectory>>();
  /** Open handles by path, least recently written first. */
  readonly #open = new Map<string, SyncHandle>();

  constructor(
    readonly dataDir: string,
    private readonly openTimeoutMs = OPEN_TIMEOUT_MS,
  ) {}

  async init(): Promise<void> {
    this.#root = await directory(this.dataDir, true);
  }

  load(): AsyncIterable<StorageEntry> {
    return loadConcurrently(this.#requireRoot());
  }

  async apply(changes: ChangeSet, { relaxedDurability }: { relaxedDurability: boolean }): Promise<void> {
    for (const op of changes.ops) {
      const parts = pathParts(op.path);
      if (op.op === 'mkdir') {
        await this.#dir(parts);
        continue;
      }
      const prefix = parts.join('/');
      const under = (path: string) => path === prefix || path.startsWith(`${prefix}/`);
      for (const [path, handle] of this.#open)
        if (under(pathParts(path).join('/'))) {
          this.#open.delete(path);
          closeQuietly(handle);
        }
      for (const key of [...this.#dirs.keys()]) if (under(key)) this.#dirs.delete(key);
      try {
        await (await this.#dir(parts.slice(0, -1))).removeEntry(parts.at(-1) ?? '', { recursive: true });
      } catch (error) {
        if ((error as { name?: string }).name !== 'NotFoundError') throw error; // never written here
      }
    }
    const { wal, data, control } = changes.files;
    const writes = [...wal, ...data, ...control];
    // In order, a slice at a time; before a slice opens files, the least recently written handles
    // outside it are closed, so open plus opening never passes MAX_OPEN_FILES.
    for (let start = 0; start < writes.length; start += WRITE_SLICE) {
      const slice = writes.slice(start, start + WRITE_SLICE);
      const paths = new Set(slice.map((file) => file.path));
      const toOpen = [...paths].filter((path) => !this.#open.has(path));
      this.#closeOldest(MAX_OPEN_FILES - toOpen.length, paths);
      await Promise.all(toOpen.map((path) => this.#openFile(path)));
      for (const file of slice) this.#write(file, relaxedDurability);
    }
  }

  /** Closes the least recently written handles not in `keep` until at most `limit` are open. */
  #closeOldest(limit: number, keep: ReadonlySet<string>): void {
    for (const [path, handle] of this.#open) {
      if (this.#open.size <= limit) break;
      if (keep.has(path)) continue;
      this.#open.delete(path);
      closeQuietly(handle);
    }
  }

  close(): Promise<void> {
    for (const handle of this.#open.values()) closeQuietly(handle);
    this.#open.clear();
    return Promise.resolve();
  }

  async #openFile(path: string): Promise<void> {
    const parts = pathParts(path);
    const dir = await this.#dir(parts.slice(0, -1));
    const file = await dir.getFileHandle(parts.at(-1) ?? '', { create: true });
    let gaveUp = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const opening = file.createSyncAccessHandle();
    // A handle that arrives after the flush gave up is closed, so the next flush can open the file.
    void opening.then(
      (handle) => gaveUp && closeQuietly(handle),
      () => undefined,
    );
    try {
      const handle = await Promise.race([
        opening,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            gaveUp = true;
            reject(
              new Error(`opfs: opening ${path} took over ${this.openTimeoutMs} ms; the flush is retried`),
            );
          }, this.openTimeoutMs);
        }),
      ]);
      this.#open.set(path, handle);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Writes one file through its open handle, which becomes the most recently written. */
  #write(file: FileWrite, relaxedDurability: boolean): void {
    const handle = this.#open.get(file.path);
    if (!handle) throw new Error(`opfs: ${file.path} has no open handle`);
    this.#open.delete(file.path);
    try {
      if (file.truncate) handle.truncate(file.size);
      for (const chunk of file.chunks) handle.write(chunk.data, { at: chunk.at });
      if (!relaxedDurability) handle.flush();
    } catch (error) {
      closeQuietly(handle);
      throw error;
    }
    this.#open.set(file.path, handle);
  }

  #requireRoot(): OpfsDirectory {
    if (!this.#root) throw new Error('opfs: the backend was not initialised');
    return this.#root;
  }

  #dir(parts: readonly string[]): Promise<OpfsDirectory> {
    const key = parts.join('/');
    let found = this.#dirs.get(key);
    if (!found) {
      found = parts.length
        ? this.#dir(parts.slice(0, -1)).then((parent) =>
            parent.getDirectoryHandle(parts.at(-1) ?? '', { create: true }),
          )
        : Promise.resolve(this.#requireRoot());
      this.#dirs.set(key, found);
      found.catch(() => this.#dirs.delete(key));
    }
    return found;
  }
}
