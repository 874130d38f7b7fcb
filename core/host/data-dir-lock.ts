/**
 * core/host/data-dir-lock.ts: one process owns an Outpost data directory at a time (Node and Electron
 * hosts). Two PGlite instances on one directory corrupt it, the most reported PGlite failure.
 *
 *   acquire(dir) ─► create <dir>/outpost.lock exclusively (O_EXCL), holding {pid, hostname, since}
 *                   exists ─► its process is alive on this host ─► `locked` (names the pid)
 *                          │  (our own pid: only if this process really holds it; after a restart in
 *                          │   a container the new process may get the old one's pid)
 *                          └► it is gone (crash, kill -9)     ─► take the lock over (atomic rename)
 *   release()    ─► remove the file, only if it is still ours
 *
 * Guarantees: while a lock is held by a live process on this host no other acquire succeeds; a lock
 * left by a dead process never blocks a restart; release is idempotent. A lock written on another
 * host (a shared network directory) is never taken over: its owner cannot be checked from here.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { OutpostError } from '../../common/errors.ts';

const LOCK_FILE = 'outpost.lock';

/** Lock files this process holds: a lock with our own pid is ours only if it is listed here. */
const held = new Set<string>();

interface LockContent {
  readonly pid: number;
  readonly hostname: string;
  readonly since: string;
  readonly token: string;
}

export interface DataDirLock {
  readonly file: string;
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readLock(file: string): Promise<LockContent | null> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<LockContent>;
    if (typeof parsed.pid !== 'number' || typeof parsed.hostname !== 'string') return null;
    return parsed as LockContent;
  } catch {
    return null;
  }
}

export async function acquireDataDirLock(dir: string): Promise<DataDirLock> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  const content: LockContent = {
    pid: process.pid,
    hostname: hostname(),
    since: new Date().toISOString(),
    token: randomUUID(),
  };
  const text = JSON.stringify(content);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o600);
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return lockOf(file, content.token);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readLock(file);
    const ours = holder?.pid === process.pid ? held.has(file) : alive(holder?.pid ?? -1);
    if (holder && holder.hostname === content.hostname && ours)
      throw new OutpostError(
        'locked',
        `The data directory ${dir} is in use by another Outpost process (pid ${holder.pid}, since ${holder.since}). Close it first.`,
        { pid: holder.pid },
      );
    if (holder && holder.hostname !== content.hostname)
      throw new OutpostError(
        'locked',
        `The data directory ${dir} is locked by a process on ${holder.hostname} (pid ${holder.pid}). If that process is gone, delete ${file}.`,
        { pid: holder.pid, hostname: holder.hostname },
      );
    // A stale lock (its process is gone, or the file is torn): replace it atomically, then re-check.
    const temporary = `${file}.${content.token}`;
    await writeFile(temporary, text, { mode: 0o600 });
    await rename(temporary, file);
    const now = await readLock(file);
    if (now?.token === content.token) return lockOf(file, content.token);
  }
  throw new OutpostError(
    'locked',
    `Could not lock the data directory ${dir}: another process keeps taking it.`,
  );
}

function lockOf(file: string, token: string): DataDirLock {
  let released = false;
  held.add(file);
  return {
    file,
    async release() {
      if (released) return;
      released = true;
      held.delete(file);
      const holder = await readLock(file);
      if (holder?.token === token) await rm(file, { force: true });
    },
  };
}
