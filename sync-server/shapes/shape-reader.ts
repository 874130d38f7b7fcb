/**
 * sync-server/shapes/shape-reader.ts: what a request gets from a shape's log after its offset, and
 * whether that brings it up to date.
 *
 * Many live requests wake at one offset of one shape when it grows: the first reads the log, the rest
 * reuse its read while the log and the shape's status are unchanged. Only small reads (live tails, up
 * to 64 KiB) are kept, one per shape, so a snapshot chunk never pins megabytes per shape.
 *
 * Guarantee: `globalLsn` is captured before the read, so the log holds everything up to it; a shape's
 * own last LSN is safe too (its log holds that transaction), which keeps it useful after a restart.
 */
import { compareOffsets, type LogOffset } from './log-offset.ts';
import type { Shape, ShapeStatus } from './shape.ts';
import type { LogRead } from './shape-log.ts';

export interface ShapeRead {
  /** The entries read, as the log holds them: serve them with `jsonArrayBody` (shape-log.ts). */
  readonly entries: LogRead;
  readonly lastOffset: LogOffset;
  /** The read reached the end of the log: the client is up to date with `globalLsn`. */
  readonly upToDate: boolean;
  readonly globalLsn: bigint;
}

/** The largest read kept for reuse (bytes of entries). */
const CACHED_READ_MAX_BYTES = 64 * 1024;

interface KeptRead {
  readonly offset: LogOffset;
  readonly bytes: number;
  readonly status: ShapeStatus;
  readonly entries: LogRead;
  readonly upToDate: boolean;
}

function readSize(r: LogRead): number {
  let n = 0;
  for (const b of r.bytes) n += b.length;
  return n;
}

export class ShapeReader {
  private readonly lastReads = new WeakMap<Shape, KeptRead>();

  /** `processedLsn`: the LSN every shape log holds every transaction up to. */
  constructor(private readonly processedLsn: () => bigint) {}

  read(shape: Shape, offset: LogOffset): ShapeRead {
    const processed = this.processedLsn();
    const globalLsn = processed > shape.lastLsn ? processed : shape.lastLsn;
    const kept = this.lastReads.get(shape);
    if (
      kept &&
      kept.bytes === shape.log.byteLength &&
      kept.status === shape.status &&
      compareOffsets(kept.offset, offset) === 0
    ) {
      return {
        entries: kept.entries,
        lastOffset: kept.entries.lastOffset,
        upToDate: kept.upToDate,
        globalLsn,
      };
    }
    const bytes = shape.log.byteLength;
    const status = shape.status;
    const r = shape.log.read(offset);
    const last = shape.log.lastOffset;
    const upToDate =
      shape.status === 'ready' && !r.more && (last === null || compareOffsets(r.lastOffset, last) >= 0);
    if (r.count > 0 && shape.log.byteLength === bytes && readSize(r) <= CACHED_READ_MAX_BYTES)
      this.lastReads.set(shape, { offset, bytes, status, entries: r, upToDate });
    else this.lastReads.delete(shape);
    return { entries: r, lastOffset: r.lastOffset, upToDate, globalLsn };
  }
}
