/**
 * sync-server/shapes/shape-recovery.ts: a shape's record on disk after its snapshot, and the shapes
 * start-up brings back from those records (shape-store.ts decides which directories survive a crash).
 *
 *   snapshot done ─► log flushed ─► shape.json.tmp ─► rename to shape.json   (the shape now loads)
 *   start ─► recoverShapeDirs ─► per shape: table schema unchanged? ─► rebuilt, ready
 *                                          changed or gone ─► directory removed (clients refetch)
 *
 * Guarantees: shape.json appears in one rename, after the log it describes was flushed, so a shape
 * loads whole or not at all. A recovered shape resumes at its log's last transaction (or the LSN its
 * compaction folded through, if later), so transactions re-delivered by the slot are skipped.
 */
import { rm, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { parseLsn } from '../replication/types.ts';
import type { Shape, ShapeDefinition } from './shape.ts';
import { columnsSignature, recoverShapeDirs, type PersistedShape } from './shape-store.ts';
import type { SnapshotResult } from './snapshot.ts';
import { loadTableSchema, type TableSchema } from './table-schema.ts';

/** Writes a snapshotted shape's shape.json; resolves with the log's size then (the compaction base). */
export async function persistSnapshotted(shape: Shape, result: SnapshotResult): Promise<number> {
  const persisted: PersistedShape = {
    version: 1,
    handle: shape.handle,
    definition: shape.definition,
    columnsSignature: columnsSignature(shape.table),
    snapshot: {
      xmin: String(result.snapshot.xmin),
      xmax: String(result.snapshot.xmax),
      xip: result.snapshot.xip.map(String),
      lsn: result.lsn,
    },
    createdAt: new Date().toISOString(),
    baseBytes: shape.log.byteLength,
  };
  await shape.log.flush();
  await writeFile(path.join(shape.dir, 'shape.json.tmp'), JSON.stringify(persisted));
  await rename(path.join(shape.dir, 'shape.json.tmp'), path.join(shape.dir, 'shape.json'));
  return persisted.baseBytes ?? 0;
}

export interface RecoveryHost {
  readonly pool: pg.Pool;
  readonly shapesDir: string;
  readonly log?: ((line: string) => void) | undefined;
  build(handle: string, definition: ShapeDefinition, table: TableSchema, dir: string): Shape;
  /** The log size at which a shape whose base is `baseBytes` is next compacted. */
  threshold(baseBytes: number): number;
}

/** The shapes on disk that still match their tables, rebuilt and ready (not yet registered). */
export async function recoverShapes(host: RecoveryHost): Promise<Shape[]> {
  const shapes: Shape[] = [];
  for (const [handle, saved] of await recoverShapeDirs(host.shapesDir, host.log)) {
    const dir = path.join(host.shapesDir, handle);
    try {
      const table = await loadTableSchema(host.pool, {
        schema: saved.definition.schema,
        name: saved.definition.table,
      });
      if (columnsSignature(table) !== saved.columnsSignature) throw new Error('table changed');
      const shape = host.build(saved.handle, saved.definition, table, dir);
      shape.snapshot = {
        xmin: BigInt(saved.snapshot.xmin),
        xmax: BigInt(saved.snapshot.xmax),
        xip: saved.snapshot.xip.map(BigInt),
      };
      shape.snapshotLsn = parseLsn(saved.snapshot.lsn);
      const last = shape.log.lastOffset;
      const folded = saved.compaction ? BigInt(saved.compaction.lsn) : 0n;
      shape.lastLsn = last && last.tx > folded ? last.tx : folded;
      shape.compactAt = host.threshold(saved.baseBytes ?? 0);
      shape.markReady();
      shapes.push(shape);
    } catch {
      await rm(dir, { recursive: true, force: true }); // its table is gone or changed: clients refetch
    }
  }
  return shapes;
}
