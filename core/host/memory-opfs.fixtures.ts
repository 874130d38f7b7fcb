/**
 * core/host/memory-opfs.fixtures.ts: an in-memory Origin Private File System for tests of the OPFS
 * backend and the frontend over it: files as byte arrays, sync access handles that count opens,
 * flushes and closes, and a hook that holds an open (a hanging browser).
 */

/** An in-memory OPFS: files as byte arrays, sync handles that count opens, flushes and closes. */
export function memoryOpfs() {
  const files = new Map<string, Uint8Array>();
  const stats = {
    opens: 0,
    flushes: 0,
    closes: 0,
    open: new Set<string>(),
    /** An open of `path` waits for the promise returned here (a hanging browser), if any. */
    hold: (_path: string): Promise<void> | null => null,
  };
  const dir = (prefix: string): Record<string, unknown> => ({
    // What a directory holds: enough for a load (its subdirectories are not listed, only its files).
    entries: async function* () {
      for (const key of [...files.keys()].filter(
        (k) => k.startsWith(`${prefix}/`) && !k.slice(prefix.length + 1).includes('/'),
      ))
        yield await Promise.resolve([
          key.slice(prefix.length + 1),
          {
            kind: 'file' as const,
            getFile: () =>
              Promise.resolve({
                lastModified: 0,
                arrayBuffer: () => Promise.resolve((files.get(key) ?? new Uint8Array()).slice().buffer),
              }),
          },
        ]);
    },
    getDirectoryHandle: (name: string) => Promise.resolve(dir(`${prefix}/${name}`)),
    getFileHandle: (name: string) => {
      const path = `${prefix}/${name}`;
      return Promise.resolve({
        createSyncAccessHandle: async () => {
          await stats.hold(path);
          if (stats.open.has(path)) throw new Error(`${path} is locked`);
          stats.opens++;
          stats.open.add(path);
          return {
            truncate: (size: number) => {
              const next = new Uint8Array(size);
              next.set((files.get(path) ?? new Uint8Array()).subarray(0, size));
              files.set(path, next);
            },
            write: (data: Uint8Array, { at }: { at: number }) => {
              const current = files.get(path) ?? new Uint8Array();
              const next = new Uint8Array(Math.max(current.length, at + data.length));
              next.set(current);
              next.set(data, at);
              files.set(path, next);
              return data.length;
            },
            flush: () => void stats.flushes++,
            close: () => {
              stats.closes++;
              stats.open.delete(path);
            },
          };
        },
      });
    },
    removeEntry: (name: string) => {
      const path = `${prefix}/${name}`;
      if (stats.open.has(path)) return Promise.reject(new Error(`${path} is open`));
      for (const key of [...files.keys()]) if (key === path || key.startsWith(`${path}/`)) files.delete(key);
      return Promise.resolve();
    },
  });
  return { files, stats, root: dir('') };
}
