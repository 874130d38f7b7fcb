/**
 * sync-server/shapes/shape-store.ts: shapes on disk: `<data dir>/shapes/<handle>/shape.json` (the
 * definition, the snapshot's position, the compaction it completes) beside the shape's log, written
 * durably, and what start-up keeps of them after a crash.
 *
 * Guarantees: `writeDurably` and `fsyncDirectory` make a file and its directory entry durable before
 * they resolve. `recoverShapeDirs` completes a compaction a crash interrupted after its replacement
 * was prepared (the old shape goes), removes every directory that should not load (unfinished
 * snapshots and compactions, invalidated and replaced shapes, all but the newest shape of a
 * definition), and returns the shapes to load: after any crash, one shape per definition at most.
 */
import { existsSync } from 'node:fs';
import { open, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { completeInterruptedCompaction } from './compaction.ts';
import { parseOffset } from './log-offset.ts';
import { definitionKey, type ShapeDefinition } from './shape.ts';
import type { TableSchema } from './table-schema.ts';

export interface PersistedShape {
  readonly version: 1;
  readonly handle: string;
  readonly definition: ShapeDefinition;
  readonly columnsSignature: string;
  readonly snapshot: { xmin: string; xmax: string; xip: string[]; lsn: string };
  readonly createdAt: string;
  /** Log bytes after the snapshot (or fold): the base of the next compaction threshold. */
  readonly baseBytes?: number;
  /**
   * Set on a shape made by compaction: the shape it replaces, the old log's offset the rows were
   * folded through, and the LSN every transaction up to which is in them.
   */
  readonly compaction?: { readonly replaces: string; readonly through: string; readonly lsn: string };
}

export function columnsSignature(table: TableSchema): string {
  return table.columns.map((c) => `${c.name}:${c.pgType}:${c.typeMod}:${c.pkIndex ?? ''}`).join(',');
}

/** Writes a file and makes its content durable (fsync) before resolving with its path. */
export async function writeDurably(file: string, text: string): Promise<string> {
  const handle = await open(file, 'w');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return file;
}

/** Makes a directory's entries (files created, renamed or removed in it) durable, where supported. */
export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync().catch(() => undefined); // not supported on every platform
  } finally {
    await handle.close();
  }
}

/**
 * Reads every shape.json under the shapes directory, completes the compactions a crash interrupted
 * (the replacement is kept, brought up to date from the old log), and removes every directory
 * without a shape that should load: snapshots and compactions that never finished, invalidated and
 * replaced shapes, and all but the newest shape of a definition. Returns the shapes to load.
 */
export async function recoverShapeDirs(
  shapesDir: string,
  log?: (line: string) => void,
): Promise<Map<string, PersistedShape>> {
  const names = await readdir(shapesDir);
  const saved = new Map<string, PersistedShape>();
  for (const name of names) {
    const file = path.join(shapesDir, name, 'shape.json');
    if (!existsSync(file)) continue;
    try {
      saved.set(name, JSON.parse(await readFile(file, 'utf8')) as PersistedShape);
    } catch {
      // unreadable: removed below, and its clients refetch
    }
  }
  for (const [name, shape] of saved) {
    const compaction = shape.compaction;
    if (!compaction || !names.includes(compaction.replaces)) continue;
    const oldDir = path.join(shapesDir, compaction.replaces);
    try {
      await completeInterruptedCompaction(
        path.join(shapesDir, name, 'log'),
        path.join(oldDir, 'log'),
        parseOffset(compaction.through),
      );
    } catch (error) {
      // Neither can be trusted (an unreadable log, or one in an older format): both go, and their
      // clients refetch from a new snapshot.
      log?.(
        `shape-engine: completing the compaction of ${compaction.replaces} failed: ${(error as Error).message}`,
      );
      saved.delete(name);
    }
    await rm(path.join(oldDir, 'shape.json'), { force: true });
    saved.delete(compaction.replaces);
  }
  const newest = new Map<string, string>(); // definition key -> handle
  for (const [name, shape] of saved) {
    const key = definitionKey(shape.definition);
    const other = newest.get(key);
    const micros = (handle: string) => BigInt(/-([0-9]+)$/.exec(handle)?.[1] ?? '0');
    if (other === undefined || micros(name) > micros(other)) newest.set(key, name);
  }
  const keep = new Set(newest.values());
  for (const name of names) {
    if (keep.has(name)) continue;
    saved.delete(name);
    await rm(path.join(shapesDir, name), { recursive: true, force: true });
  }
  return saved;
}
