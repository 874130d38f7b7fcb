/**
 * The OPFS backend. Opening reads the stored files concurrently and still hands PGlite every directory
 * before anything inside it, every file whole with its modification time, and nothing twice.
 */
import { describe, expect, it, vi } from 'vitest';
import { loadConcurrently, MAX_OPEN_FILES, OpfsHandleBackend } from './opfs-backend.ts';

type Tree = { [name: string]: Tree | string };

/** A fake OPFS directory whose file reads finish in reverse order of their start. */
function directory(tree: Tree, reads: { started: number }) {
  const entries = Object.entries(tree).map(([name, value]) => {
    if (typeof value !== 'string') return [name, { kind: 'directory', ...directory(value, reads) }] as const;
    const handle = {
      kind: 'file',
      getFile: async () => {
        const order = ++reads.started;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, 50 - order)));
        return {
          lastModified: 1_700_000_000_000 + value.length,
          arrayBuffer: () => Promise.resolve(new TextEncoder().encode(value).buffer),
        };
      },
    };
    return [name, handle] as const;
  });
  return {
    entries: async function* () {
      for (const entry of entries) yield await Promise.resolve(entry);
    },
    getDirectoryHandle: () => Promise.reject(new Error('not used')),
    getFileHandle: () => Promise.reject(new Error('not used')),
    removeEntry: () => Promise.reject(new Error('not used')),
  };
}

describe('loadConcurrently', () => {
  it('yields each directory before its contents and every file whole, once, with its time', async () => {
    const files: Tree = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`${i}`, `page ${i}`]));
    const tree: Tree = {
      PG_VERSION: '17',
      base: { '5': files, '1': { '1259': 'catalog' } },
      global: { pg_control: 'control' },
      pg_wal: { archive_status: {} },
    };
    const reads = { started: 0 };
    const seen: string[] = [];
    const contents = new Map<string, string>();
    for await (const entry of loadConcurrently(directory(tree, reads) as never)) {
      const parent = entry.path.slice(0, entry.path.lastIndexOf('/'));
      if (parent) expect(seen, `${entry.path} before its directory`).toContain(parent);
      seen.push(entry.path);
      if (entry.kind === 'file') {
        const text = new TextDecoder().decode(entry.data);
        contents.set(entry.path, text);
        expect(entry.mtime).toBe(1_700_000_000_000 + text.length);
      }
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((p) => !contents.has(p)).sort()).toEqual(
      ['/base', '/base/1', '/base/5', '/global', '/pg_wal', '/pg_wal/archive_status'].sort(),
    );
    expect(contents.size).toBe(153);
    expect(contents.get('/base/5/149')).toBe('page 149');
    expect(contents.get('/global/pg_control')).toBe('control');
  });
});

/** An in-memory OPFS: files as byte arrays, sync handles that count opens, flushes and closes. */
function memoryOpfs() {
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

const text = (s: string) => new TextEncoder().encode(s);
const write = (path: string, data: string, at = 0, truncate = false) => ({
  path,
  size: at + data.length,
  full: false,
  truncate,
  chunks: [{ at, data: text(data) }],
});

/** A backend whose origin's private storage is `opfs` (undo with vi.unstubAllGlobals()). */
async function backendOn(opfs: ReturnType<typeof memoryOpfs>): Promise<OpfsHandleBackend> {
  vi.stubGlobal('navigator', { storage: { getDirectory: () => Promise.resolve(opfs.root) } });
  const backend = new OpfsHandleBackend('db');
  await backend.init();
  return backend;
}

describe('OpfsHandleBackend', () => {
  it('keeps handles open across flushes, flushes each write, closes before a remove', async () => {
    const opfs = memoryOpfs();
    const backend = await backendOn(opfs);
    try {
      const empty = { wal: [], data: [], control: [] };
      await backend.apply(
        {
          ops: [{ op: 'mkdir', path: '/base' }],
          files: {
            wal: [write('/pg_wal/1', 'wal-a')],
            data: [write('/base/1', 'page-one')],
            control: [write('/global/pg_control', 'c1')],
          },
        },
        { relaxedDurability: false },
      );
      await backend.apply(
        {
          ops: [],
          files: { ...empty, wal: [write('/pg_wal/1', 'b', 4)], data: [write('/base/1', 'ONE', 5)] },
        },
        { relaxedDurability: false },
      );
      expect(new TextDecoder().decode(opfs.files.get('/db/pg_wal/1'))).toBe('wal-b');
      expect(new TextDecoder().decode(opfs.files.get('/db/base/1'))).toBe('page-ONE');
      expect(opfs.stats.opens).toBe(3); // once per file, not per flush
      expect(opfs.stats.flushes).toBe(5);

      await backend.apply(
        { ops: [], files: { ...empty, data: [write('/base/1', 'x', 0, true)] } },
        {
          relaxedDurability: true,
        },
      );
      expect(opfs.stats.flushes).toBe(5);
      expect(new TextDecoder().decode(opfs.files.get('/db/base/1'))).toBe('x');

      await backend.apply(
        { ops: [{ op: 'remove', path: '/base' }], files: empty },
        { relaxedDurability: false },
      );
      expect(opfs.files.has('/db/base/1')).toBe(false);
      await backend.apply(
        { ops: [], files: { ...empty, data: [write('/base/1', 'new')] } },
        {
          relaxedDurability: false,
        },
      );
      expect(new TextDecoder().decode(opfs.files.get('/db/base/1'))).toBe('new');

      await backend.close();
      expect(opfs.stats.open.size).toBe(0);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('never holds more than MAX_OPEN_FILES handles, even for a flush of thousands of files', async () => {
    const opfs = memoryOpfs();
    const backend = await backendOn(opfs);
    try {
      let most = 0;
      const data = Array.from({ length: 2000 }, (_, i) => write(`/base/${i}`, `p${i}`));
      const apply = backend.apply(
        { ops: [], files: { wal: [], data, control: [] } },
        { relaxedDurability: true },
      );
      const watch = setInterval(() => (most = Math.max(most, opfs.stats.open.size)), 0);
      await apply;
      clearInterval(watch);
      most = Math.max(most, opfs.stats.open.size);
      expect(opfs.files.size).toBe(2000);
      expect(opfs.stats.open.size).toBeLessThanOrEqual(MAX_OPEN_FILES);
      expect(most).toBeLessThanOrEqual(MAX_OPEN_FILES);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('fails a flush whose open hangs, and closes that handle when it comes late', async () => {
    const opfs = memoryOpfs();
    let release: (() => void) | null = null;
    opfs.stats.hold = (path) =>
      path === '/db/base/2' ? new Promise<void>((resolve) => (release = resolve)) : null;
    vi.stubGlobal('navigator', { storage: { getDirectory: () => Promise.resolve(opfs.root) } });
    const backend = new OpfsHandleBackend('db', 50);
    await backend.init();
    try {
      const changes = {
        ops: [],
        files: { wal: [], data: [write('/base/1', 'a'), write('/base/2', 'b')], control: [] },
      };
      await expect(backend.apply(changes, { relaxedDurability: false })).rejects.toThrow(
        /opening \/base\/2 took over 50 ms/,
      );
      expect(opfs.files.has('/db/base/2')).toBe(false);
      (release as (() => void) | null)?.();
      await new Promise((r) => setTimeout(r, 0));
      expect(opfs.stats.open.has('/db/base/2')).toBe(false); // the late handle was closed
      opfs.stats.hold = () => null;
      await backend.apply(changes, { relaxedDurability: false }); // PGlite passes them again
      expect(new TextDecoder().decode(opfs.files.get('/db/base/2'))).toBe('b');
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
