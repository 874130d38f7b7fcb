/**
 * sync-server/shapes/shape-compactor.ts: runs log compactions (compaction.ts) for the shape engine,
 * one at a time, and decides when a shape is due.
 *
 *   compact(shape) ─► queue (one at a time) ─► fold the old log ─► write the rows to a new log
 *     ─► catch up ─► shape.json durable (prepared) ─► catch up ─► host.swap (one synchronous step)
 *     ─► in the background: flush the new log, close and remove the old one
 *
 * Guarantees: what compaction.ts and the engine's header promise: while it runs the old shape keeps
 * serving and receiving transactions; the swap copies the last changes and makes the new shape
 * active in one synchronous step (no transaction lost or applied twice); until the replacement's
 * shape.json is durable a crash leaves the old shape, after it the new one (`preparedFileOf` lets an
 * invalidation of the old shape remove a prepared replacement). A compaction is cancelled when the
 * shape stops being the active ready shape of its definition or the engine stops; its files go.
 */
import { renameSync, rmSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { formatLsn } from '../replication/types.ts';
import {
  copyAllChanges,
  copyChanges,
  DEFAULT_MIN_LOG_BYTES,
  DEFAULT_RATIO,
  foldLog,
  nextTick,
  rowOverhead,
  writeFoldedRows,
  type CompactionSettings,
} from './compaction.ts';
import { formatOffset } from './log-offset.ts';
import { newHandle, type Shape, type ShapeDefinition } from './shape.ts';
import { columnsSignature, fsyncDirectory, writeDurably, type PersistedShape } from './shape-store.ts';
import type { TableSchema } from './table-schema.ts';

/** What `compact` did. */
export type CompactionOutcome =
  | { readonly compacted: true; readonly handle: string; readonly rows: number; readonly bytes: number }
  | { readonly compacted: false; readonly reason: string };

interface CompactionJob {
  readonly force: boolean;
  outcome: Promise<CompactionOutcome>;
  /** The replacement's shape.json exists: an invalidation of the old shape must remove it. */
  preparedFile: string | null;
}

/** What the compactor needs of the engine. */
export interface CompactionHost {
  readonly shapesDir: string;
  readonly settings: CompactionSettings | false | undefined;
  readonly log?: ((line: string) => void) | undefined;
  /** The engine is stopping: every compaction gives up. */
  stopping(): boolean;
  /** The shape is the active shape of its definition. */
  isActive(shape: Shape): boolean;
  /** A new, unregistered shape over a log in `dir`. */
  build(handle: string, definition: ShapeDefinition, table: TableSchema, dir: string): Shape;
  /** Makes `next` the active shape of `old`'s definition and retires `old`, synchronously. */
  swap(old: Shape, next: Shape, baseBytes: number): void;
  /** Closes a retired shape's log once no flush uses it. */
  closeLog(shape: Shape): void;
}

export class ShapeCompactor {
  private readonly jobs = new Map<Shape, CompactionJob>();
  private queue: Promise<void> = Promise.resolve();
  /** Work a compaction leaves behind (closing and removing the old shape), awaited by drain(). */
  private readonly background = new Set<Promise<void>>();

  constructor(private readonly host: CompactionHost) {}

  /** The log size at which a shape whose log was `baseBytes` after its snapshot (or fold) is due. */
  threshold(baseBytes: number): number {
    const settings = this.host.settings;
    if (settings === false) return Number.POSITIVE_INFINITY;
    const ratio = settings?.ratio ?? DEFAULT_RATIO;
    return Math.max(settings?.minLogBytes ?? DEFAULT_MIN_LOG_BYTES, ratio * baseBytes);
  }

  isQueued(shape: Shape): boolean {
    return this.jobs.has(shape);
  }

  /** The shape.json of a prepared replacement of `shape`, if one exists now. */
  preparedFileOf(shape: Shape): string | null {
    return this.jobs.get(shape)?.preparedFile ?? null;
  }

  /** Waits for the queued compactions and the work they left behind. */
  async drain(): Promise<void> {
    await this.queue;
    while (this.background.size > 0) await Promise.all([...this.background]);
  }

  /**
   * Compacts a ready shape: folds its log into its current rows and swaps in a replacement with a new
   * handle whose log is those rows and the changes since. Unless `force`, it gives up, and waits for
   * the log to grow `ratio` times the rows, when the rows would not be `ratio` times smaller than the
   * log. One at a time; asking again for a shape already queued returns the same outcome.
   */
  compact(shape: Shape, options: { force?: boolean } = {}): Promise<CompactionOutcome> {
    const queued = this.jobs.get(shape);
    if (queued) return queued.outcome;
    const job: CompactionJob = {
      force: options.force ?? false,
      outcome: Promise.resolve({ compacted: false, reason: '' }),
      preparedFile: null,
    };
    job.outcome = this.queue
      .then(() => this.run(shape, job))
      .catch((error: unknown) => {
        shape.compactAt = this.threshold(shape.log.byteLength); // back off before retrying
        throw error;
      })
      .finally(() => this.jobs.delete(shape));
    this.jobs.set(shape, job);
    this.queue = job.outcome.then(
      () => undefined,
      () => undefined,
    );
    return job.outcome;
  }

  private async run(old: Shape, job: CompactionJob): Promise<CompactionOutcome> {
    const host = this.host;
    const cancelled = () => host.stopping() || old.status !== 'ready' || !host.isActive(old);
    const skip = (reason: string): CompactionOutcome => ({ compacted: false, reason });
    if (cancelled() || !old.snapshot) return skip('the shape is not active and ready');
    const settings = host.settings || {};
    const ratio = settings.ratio ?? DEFAULT_RATIO;
    const relation = [old.table.schema, old.table.name] as const;
    const folded = await foldLog(old.log, {
      lastLsn: () => old.lastLsn,
      cancelled,
      rowOverhead: rowOverhead(relation),
    });
    if (!folded) return skip('the shape was invalidated or the engine stopped');
    if (!job.force && folded.bytes * ratio > old.log.byteLength) {
      old.compactAt = this.threshold(folded.bytes);
      return skip(
        `its ${folded.rows.size} rows (about ${folded.bytes} bytes) are not ${ratio} times smaller than its log (${old.log.byteLength} bytes)`,
      );
    }
    const handle = newHandle(old.key);
    const dir = path.join(host.shapesDir, handle);
    await mkdir(dir, { recursive: true });
    const next = host.build(handle, old.definition, old.table, dir);
    const abandon = async (reason: string): Promise<CompactionOutcome> => {
      if (job.preparedFile) rmSync(job.preparedFile, { force: true });
      job.preparedFile = null;
      next.log.close();
      await rm(dir, { recursive: true, force: true });
      return skip(reason);
    };
    const steps = { old: old.handle, next: handle };
    let cursor = folded.through;
    /** Copies what the old log received meanwhile, a chunk at a time; false when cancelled. */
    const catchUp = async (): Promise<boolean> => {
      for (;;) {
        if (cancelled()) return false;
        const copied = copyChanges(old.log, next.log, cursor);
        if (!copied) return true;
        cursor = copied;
        await nextTick();
      }
    };
    try {
      await settings.onStep?.('folded', steps);
      if (!(await writeFoldedRows(next.log, folded, relation, old.snapshot, cancelled)))
        return await abandon('cancelled while writing');
      const baseBytes = next.log.byteLength;
      if (!(await catchUp())) return await abandon('cancelled while catching up');
      await next.log.flush();
      const persisted: PersistedShape = {
        version: 1,
        handle,
        definition: old.definition,
        columnsSignature: columnsSignature(old.table),
        snapshot: {
          xmin: String(old.snapshot.xmin),
          xmax: String(old.snapshot.xmax),
          xip: old.snapshot.xip.map(String),
          lsn: formatLsn(old.snapshotLsn),
        },
        createdAt: new Date().toISOString(),
        baseBytes,
        compaction: {
          replaces: old.handle,
          through: formatOffset(folded.through),
          lsn: folded.lsn.toString(),
        },
      };
      const file = path.join(dir, 'shape.json');
      const temporary = await writeDurably(`${file}.tmp`, JSON.stringify(persisted));
      if (cancelled()) return await abandon('cancelled while persisting');
      // Prepared: from here a crash leaves the new shape (start() completes it from the old log).
      renameSync(temporary, file);
      job.preparedFile = file;
      await fsyncDirectory(dir);
      await fsyncDirectory(host.shapesDir);
      await settings.onStep?.('prepared', steps);
      if (!(await catchUp())) return await abandon('cancelled while catching up');
      // The swap, in one synchronous step: no transaction can be applied in between.
      copyAllChanges(old.log, next.log, cursor);
      host.swap(old, next, baseBytes);
      job.preparedFile = null;
    } catch (error) {
      await abandon('failed');
      throw error;
    }
    const retire = (async () => {
      await settings.onStep?.('swapped', steps);
      await next.log.flush(); // the new log holds all of the old one durably: the old can go
      host.closeLog(old);
      await rm(old.dir, { recursive: true, force: true });
    })().catch((error: unknown) =>
      host.log?.(`shape-engine: retiring ${old.handle} after compaction failed: ${(error as Error).message}`),
    );
    this.background.add(retire);
    void retire.finally(() => this.background.delete(retire));
    return { compacted: true, handle, rows: folded.rows.size, bytes: next.log.byteLength };
  }
}
