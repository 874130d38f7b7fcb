/**
 * sync-server/shapes/compaction.ts: the log work of shape compaction. A shape whose log has grown far
 * beyond its current rows is replaced by a new shape (a new handle) whose log holds just those rows,
 * folded from the old log, followed by the changes the old log received after the fold. The shape
 * engine (shape-engine.ts, `compact`) runs the steps and swaps the shapes; this module reads and
 * writes the logs.
 *
 *   old log  0_0 … 0_m snapshot rows │ 0_m+1 snapshot-end │ L1_0 L1_1 L2_0 …  changes │ Ln_k … (growing)
 *            └──────────── foldLog: key -> row (updates merged, deletes dropped) ─┘ through
 *   new log  0_0 … 0_n-1 one insert per row │ 0_n snapshot-end │ changes after `through`, copied as is
 *
 * Guarantees:
 *   - The folded rows are exactly the rows a client has after applying the old log up to `through`:
 *     an insert sets a row, an update merges its columns into it (replica=default sends the key and
 *     the changed columns, replica=full the whole row), a delete removes it; a primary key change is
 *     a delete and an insert already. No database snapshot is needed, so the rows are the same ones
 *     the old log's clients have, in the same text encoding.
 *   - `lsn` is the old shape's last applied commit LSN read at the moment the fold reached the end of
 *     the log (synchronously, so no transaction can be half in): every transaction committed at or
 *     before it is in the rows, none after it is.
 *   - Changes after `through` are copied with their offsets and JSON unchanged, so the new log is the
 *     old one with its prefix replaced by the rows it produces.
 *   - Work is done in slices (FOLD_SLICE messages, WRITE_SLICE entries) with the event loop free in
 *     between; memory holds the folded rows (key and value JSON per current row) while one
 *     compaction runs.
 *   - The snapshot-end that closes the rows repeats the old shape's original snapshot (xmin, xmax,
 *     xip). Every transaction it reports visible is in the rows; transactions folded in later are in
 *     the rows too but not reported (an honest under-approximation: there is no PostgreSQL snapshot
 *     of a folded log).
 */
import { existsSync } from 'node:fs';
import { BEFORE_ALL, compareOffsets, type LogOffset } from './log-offset.ts';
import { ShapeLog } from './shape-log.ts';
import type { PgSnapshot } from './snapshot.ts';

export interface CompactionSettings {
  /** Logs smaller than this are never compacted automatically (bytes). Default 64 MiB. */
  readonly minLogBytes?: number;
  /**
   * Compact when the log is at least `ratio` times the size its current rows would take; the engine
   * first tries when the log reaches `ratio` times its size after the snapshot (or the last fold).
   * Default 4.
   */
  readonly ratio?: number;
  /**
   * Test seam: awaited after each step of a compaction (the old shape keeps receiving transactions
   * meanwhile). `prepared`: the new shape's log and shape.json are durable, the old shape is still
   * active. `swapped`: the new shape is active, the old directory is not yet removed.
   */
  readonly onStep?: (step: CompactionStep, handles: { old: string; next: string }) => void | Promise<void>;
}

export type CompactionStep = 'folded' | 'prepared' | 'swapped';

export const DEFAULT_MIN_LOG_BYTES = 64 * 1024 * 1024;
export const DEFAULT_RATIO = 4;

const FOLD_SLICE = 2_000;
const WRITE_SLICE = 2_000;

export interface FoldedRows {
  /** Message key -> the row's value as JSON text, in the order the rows were first inserted. */
  readonly rows: Map<string, string>;
  /** The offset of the last entry folded (the end of the log when the fold finished). */
  readonly through: LogOffset;
  /** Every transaction committed at or before this LSN is in the rows (see the header). */
  readonly lsn: bigint;
  /** About how many bytes a log of these rows takes. */
  readonly bytes: number;
}

interface LoggedMessage {
  key?: string;
  value?: Record<string, string | null>;
  headers: { operation?: string; control?: string; lsn?: string; op_position?: number };
}

export const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Folds a log into its current rows, reading it chunk by chunk and yielding between slices, until it
 * has read to the end of the log; returns null when `cancelled()` becomes true. `lastLsn` is read at
 * the moment the end is reached.
 */
export async function foldLog(
  log: ShapeLog,
  options: {
    readonly lastLsn: () => bigint;
    readonly cancelled: () => boolean;
    readonly rowOverhead: number;
  },
): Promise<FoldedRows | null> {
  const rows = new Map<string, string>();
  let bytes = 0;
  let cursor = BEFORE_ALL;
  for (;;) {
    if (options.cancelled()) return null;
    const read = log.read(cursor);
    // Nothing after the cursor: it is the end of the log, and no await since the read, so the
    // shape's last LSN belongs to exactly these entries.
    if (read.messages.length === 0) return { rows, through: cursor, lsn: options.lastLsn(), bytes };
    for (let from = 0; from < read.messages.length; from += FOLD_SLICE) {
      for (const text of read.messages.slice(from, from + FOLD_SLICE)) {
        const m = JSON.parse(text) as LoggedMessage;
        const key = m.key;
        if (key === undefined) continue; // a control message (snapshot-end)
        const before = rows.get(key);
        let after: string | undefined;
        switch (m.headers.operation) {
          case 'insert':
            after = JSON.stringify(m.value ?? {});
            break;
          case 'update':
            if (before === undefined)
              throw new Error(`internal: an update of a missing row ${key} in ${log.path}`);
            after = JSON.stringify({ ...(JSON.parse(before) as object), ...m.value });
            break;
          case 'delete':
            break;
          default:
            throw new Error(`internal: unknown operation ${String(m.headers.operation)} in ${log.path}`);
        }
        const keyBytes = JSON.stringify(key).length + options.rowOverhead;
        if (before !== undefined) bytes -= keyBytes + before.length;
        if (after === undefined) rows.delete(key);
        else {
          if (m.headers.operation === 'insert') rows.delete(key); // a re-insert goes to the end
          rows.set(key, after);
          bytes += keyBytes + after.length;
        }
      }
      await nextTick();
      if (options.cancelled()) return null;
    }
    cursor = read.lastOffset;
  }
}

/** The `snapshot-end` control message closing a shape's initial rows. */
export function snapshotEndJson(snapshot: PgSnapshot): string {
  return JSON.stringify({
    headers: {
      control: 'snapshot-end',
      xmin: snapshot.xmin.toString(),
      xmax: snapshot.xmax.toString(),
      xip_list: snapshot.xip.map(String),
    },
  });
}

/** Bytes a folded row costs in a log besides its key and value (offset, headers, punctuation). */
export function rowOverhead(relation: readonly [string, string]): number {
  return insertHeaders(relation).length + 38;
}

function insertHeaders(relation: readonly [string, string]): string {
  return JSON.stringify({ operation: 'insert', relation });
}

/**
 * Writes folded rows to an empty log as a shape's initial rows: one insert per row at 0_0 … 0_n-1
 * (the messages a snapshot of those rows gives), then `snapshot-end` at 0_n. Returns false when
 * `cancelled()` became true on the way.
 */
export async function writeFoldedRows(
  log: ShapeLog,
  folded: FoldedRows,
  relation: readonly [string, string],
  snapshot: PgSnapshot,
  cancelled: () => boolean,
): Promise<boolean> {
  const tail = `,"headers":${insertHeaders(relation)}}`;
  let n = 0;
  let batch: { offset: LogOffset; json: string }[] = [];
  for (const [key, value] of folded.rows) {
    batch.push({
      offset: { tx: 0n, op: n++ },
      json: `{"key":${JSON.stringify(key)},"value":${value}${tail}`,
    });
    if (batch.length >= WRITE_SLICE) {
      log.append(batch);
      batch = [];
      await nextTick();
      if (cancelled()) return false;
    }
  }
  batch.push({ offset: { tx: 0n, op: n }, json: snapshotEndJson(snapshot) });
  log.append(batch);
  return true;
}

/** The offset of a replicated change message, from its `lsn` and `op_position` headers. */
export function changeOffset(json: string): LogOffset {
  const { headers } = JSON.parse(json) as LoggedMessage;
  if (typeof headers.lsn !== 'string' || typeof headers.op_position !== 'number')
    throw new Error(`internal: a shape log entry after its snapshot is not a change: ${json.slice(0, 200)}`);
  return { tx: BigInt(headers.lsn), op: headers.op_position };
}

/**
 * Copies the entries of `from` after `after` (replicated changes only) to the end of `to`, up to one
 * chunk of `from`. Returns the offset copied through, or null when there was nothing to copy.
 */
export function copyChanges(from: ShapeLog, to: ShapeLog, after: LogOffset): LogOffset | null {
  const read = from.read(after);
  if (read.messages.length === 0) return null;
  const entries = read.messages.map((json) => ({ offset: changeOffset(json), json }));
  const last = entries.at(-1)?.offset;
  if (!last || compareOffsets(last, read.lastOffset) !== 0)
    throw new Error(`internal: ${from.path}: an entry's offset disagrees with its headers`);
  to.append(entries);
  return read.lastOffset;
}

/** Copies everything `from` has after `after` to `to`, synchronously. Returns the new cursor. */
export function copyAllChanges(from: ShapeLog, to: ShapeLog, after: LogOffset): LogOffset {
  let cursor = after;
  for (let next = copyChanges(from, to, cursor); next; next = copyChanges(from, to, cursor)) cursor = next;
  return cursor;
}

/**
 * Completes a compaction that a crash interrupted after the new shape was prepared: appends to the
 * new log what the old log has after both `through` and the new log's own last change (the old
 * shape kept receiving transactions until the swap), and makes it durable. Idempotent: a crash
 * during it leaves a state it completes again.
 */
export async function completeInterruptedCompaction(
  nextLogPath: string,
  oldLogPath: string,
  through: LogOffset,
): Promise<number> {
  if (!existsSync(oldLogPath)) return 0;
  const from = ShapeLog.open(oldLogPath);
  const to = ShapeLog.open(nextLogPath);
  try {
    const last = to.lastOffset;
    const start = last && last.tx > 0n && compareOffsets(last, through) > 0 ? last : through;
    const before = to.byteLength;
    copyAllChanges(from, to, start);
    await to.flush();
    return to.byteLength - before;
  } finally {
    to.close();
    from.close();
  }
}
