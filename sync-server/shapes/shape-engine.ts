/**
 * sync-server/shapes/shape-engine.ts: the shape engine, a facade over the parts that each do one job:
 *
 *   shape-registry.ts    which shapes exist: active per definition, by handle, by table, where index
 *   shape-builder.ts     a definition and its table's schema made into a Shape over a log
 *   shape-recovery.ts    shape.json after a snapshot; the shapes start-up brings back
 *   publication.ts       the table joins the publication before its first snapshot
 *   shape-snapshotter.ts a shape's snapshot and subset snapshots, under its row-level security context
 *   live-router.ts       each transaction to the logs of the shapes it concerns; invalidation
 *   live-audiences.ts    idle long-polls of the tenants a transaction reached, answered at once
 *   log-flusher.ts       appended entries made durable; the LSN that may be acknowledged
 *   shape-reader.ts      a request's read of a log (small live reads shared by the requests woken together)
 *   shape-compactor.ts   compactions, one at a time (compaction.ts folds a log into its rows)
 *
 *   request ─► resolve(definition) ─► Shape (handle) ─► snapshot into its log ─► ready
 *   replication ─► onTransaction ─► live-router ─► logs (readers woken) ─► flush ─► resolves (acknowledge)
 *                                   (a shape still snapshotting buffers the transaction and, when
 *                                    its snapshot ends, keeps those the snapshot did not see)
 *   read(shape, offset) ─► shape-reader ─► the log
 *
 * Guarantees:
 *   - One active shape (handle) per definition; handles are never reused (`<hash>-<µs>`). A handle
 *     outlives its shape only to answer 409 with the replacement.
 *   - Transactions are applied whole and in commit order, at most once per shape (live-router.ts);
 *     onTransaction resolves only when the transaction is durable in every shape log it touched.
 *   - Truncation and schema changes invalidate the table's shapes (clients get 409 must-refetch).
 *   - Shapes survive restarts: definitions and logs are on disk under `<dataDir>/shapes/<handle>/`;
 *     a shape whose table changed while the server was down is invalidated at start. An invalidated
 *     shape loses its shape.json at once (synchronously), so a crash can never bring it back.
 *   - Compaction (`compact`, shape-compactor.ts): a shape whose log has grown `ratio` times beyond its
 *     current rows is replaced by a shape with a new handle whose log is those rows, folded from the
 *     old log while it keeps growing, then the changes since. The swap is one synchronous step, so no
 *     transaction is lost or applied twice at the boundary; the old handle then answers 409 with the
 *     new one. On disk the new shape is complete (log and shape.json, durable) before the old
 *     shape.json goes, and start() completes a compaction a crash interrupted after that point from
 *     the old log; before it, the new directory has no shape.json and is removed. So a crash leaves
 *     the old shape or the new one, never neither.
 */
import { rmSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { OutpostError } from '../../common/errors.ts';
import { parseLsn, type ReplicatedTransaction, type ReplicationConsumer } from '../replication/types.ts';
import type { CompactionSettings } from './compaction.ts';
import { LiveAudiences } from './live-audiences.ts';
import { LiveRouter } from './live-router.ts';
import { LogFlusher } from './log-flusher.ts';
import { formatOffset, type LogOffset } from './log-offset.ts';
import { awaitTransactionsRunningNow, ensurePublished } from './publication.ts';
import { definitionKey, newHandle, type Shape, type ShapeDefinition } from './shape.ts';
import { buildShape } from './shape-builder.ts';
import { ShapeCompactor, type CompactionOutcome } from './shape-compactor.ts';
import { ShapeReader, type ShapeRead } from './shape-reader.ts';
import { persistSnapshotted, recoverShapes } from './shape-recovery.ts';
import { ShapeRegistry } from './shape-registry.ts';
import { snapshotShape, snapshotSubset } from './shape-snapshotter.ts';
import type { Subset, SubsetResult } from './subset.ts';
import { loadTableSchema, type TableSchema } from './table-schema.ts';

export interface ShapeEngineOptions {
  /** Pool for catalog queries, publication changes and snapshots (as the database owner). */
  readonly pool: pg.Pool;
  readonly dataDir: string;
  readonly publication: string;
  readonly flushIntervalMs?: number;
  /** Log compaction thresholds (compaction.ts), or false to never compact automatically. */
  readonly compaction?: CompactionSettings | false;
  /** Where to report problems that have no request to answer (a failed compaction). */
  readonly log?: (line: string) => void;
  /**
   * Bytes of log entries one response carries at most (a log chunk; Electric's
   * ELECTRIC_SHAPE_CHUNK_BYTES_THRESHOLD). Default CHUNK_BYTES (4 MiB).
   */
  readonly chunkBytes?: number;
}

export class ShapeEngine implements ReplicationConsumer {
  private readonly registry = new ShapeRegistry();
  /** Idle live requests by their principal's tenant, answered when a transaction reaches that tenant. */
  readonly audiences = new LiveAudiences();
  private readonly router: LiveRouter;
  private readonly flusher: LogFlusher;
  private readonly reader: ShapeReader;
  private readonly compactor: ShapeCompactor;
  private stopping = false;

  constructor(private readonly options: ShapeEngineOptions) {
    this.router = new LiveRouter({
      registry: this.registry,
      invalidate: (shape) => this.invalidate(shape),
      touched: (shape) => this.flusher.touched(shape),
      grown: (shape) => this.compactIfDue(shape),
      reached: (shapes) => this.audiences.reached(shapes, this.router.processedLsn),
    });
    this.flusher = new LogFlusher(() => this.router.processedLsn);
    this.reader = new ShapeReader(() => this.router.processedLsn);
    this.compactor = new ShapeCompactor({
      shapesDir: this.shapesDir,
      settings: options.compaction,
      log: options.log,
      stopping: () => this.stopping,
      isActive: (shape) => this.registry.isActive(shape),
      build: (handle, definition, table, dir) => this.build(handle, definition, table, dir),
      swap: (old, next, baseBytes) => this.swap(old, next, baseBytes),
      closeLog: (shape) => this.flusher.closeLog(shape),
    });
  }

  get processedLsn(): bigint {
    return this.router.processedLsn;
  }

  /** Everything up to this LSN is durably in every shape log: safe to acknowledge. */
  get durableLsn(): bigint {
    return this.flusher.durableLsn;
  }

  get shapeCount(): number {
    return this.registry.size;
  }

  private get shapesDir(): string {
    return path.join(this.options.dataDir, 'shapes');
  }

  private build(handle: string, definition: ShapeDefinition, table: TableSchema, dir: string): Shape {
    return buildShape(handle, definition, table, dir, this.options.chunkBytes);
  }

  async start(): Promise<void> {
    await mkdir(this.shapesDir, { recursive: true });
    const recovered = await recoverShapes({
      pool: this.options.pool,
      shapesDir: this.shapesDir,
      log: this.options.log,
      build: (handle, definition, table, dir) => this.build(handle, definition, table, dir),
      threshold: (baseBytes) => this.compactor.threshold(baseBytes),
    });
    for (const shape of recovered) this.registry.activate(shape);
    this.flusher.startTimer(this.options.flushIntervalMs ?? 50);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.flusher.stopTimer();
    await this.compactor.drain();
    await this.flusher.flush();
    for (const shape of this.registry.handles()) {
      shape.wake();
      if (shape.status !== 'invalidated') shape.log.close();
    }
  }

  lookup(handle: string): Shape | undefined {
    return this.registry.lookup(handle);
  }

  /** The active shape for a definition, created (and its snapshot started) if needed. */
  resolve(definition: ShapeDefinition): Promise<Shape> {
    const key = definitionKey(definition);
    return this.registry.resolveOnce(key, () => this.create(key, definition));
  }

  private async create(key: string, definition: ShapeDefinition): Promise<Shape> {
    const table = await loadTableSchema(this.options.pool, {
      schema: definition.schema,
      name: definition.table,
    });
    const handle = newHandle(key);
    const dir = path.join(this.shapesDir, handle);
    await mkdir(dir, { recursive: true });
    let shape: Shape;
    try {
      shape = this.build(handle, definition, table, dir);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    await ensurePublished(this.options.pool, this.options.publication, table);
    await awaitTransactionsRunningNow(this.options.pool);
    this.registry.activate(shape);
    void this.snapshot(shape);
    return shape;
  }

  /** Snapshot, record on disk, then the buffered transactions and ready in one synchronous step. */
  private async snapshot(shape: Shape): Promise<void> {
    try {
      const result = await snapshotShape(this.options.pool, shape);
      if (shape.status === 'invalidated') return;
      shape.snapshot = result.snapshot;
      shape.snapshotLsn = parseLsn(result.lsn);
      const baseBytes = await persistSnapshotted(shape, result);
      if (shape.invalidated) {
        rmSync(path.join(shape.dir, 'shape.json'), { force: true }); // invalidated while persisting
        return;
      }
      shape.compactAt = this.compactor.threshold(baseBytes);
      // Nothing can arrive between applying the buffered transactions and becoming ready.
      for (const tx of shape.pending.splice(0)) this.router.apply(shape, tx);
      shape.markReady();
      shape.wake();
    } catch (error) {
      this.invalidate(shape, false);
      shape.markFailed(
        new OutpostError(
          'shape_failed',
          `The snapshot of ${shape.table.schema}.${shape.table.name} failed: ${(error as Error).message}`,
          {},
          { cause: error },
        ),
      );
    }
  }

  /** A subset snapshot of a shape, scoped by PostgreSQL as the shape's own snapshot is. */
  querySubset(shape: Shape, subset: Subset): Promise<SubsetResult> {
    return snapshotSubset(this.options.pool, shape, subset);
  }

  /** Invalidates a shape: new requests get a new handle; requests with this one get 409. */
  invalidate(shape: Shape, replace = true): void {
    if (shape.status === 'invalidated' && shape.replacedBy !== null) return;
    shape.status = 'invalidated';
    this.registry.retire(shape);
    this.flusher.forget(shape);
    shape.wake();
    // Gone from disk at once, so a crash before the directory is removed cannot bring it back; and so
    // is a compaction's prepared replacement of it (it would hold the rows from before invalidation).
    rmSync(path.join(shape.dir, 'shape.json'), { force: true });
    const prepared = this.compactor.preparedFileOf(shape);
    if (prepared) rmSync(prepared, { force: true });
    this.flusher.closeLog(shape);
    void rm(shape.dir, { recursive: true, force: true });
    if (replace) {
      void this.resolve(shape.definition).then(
        (next) => (shape.replacedBy = next.handle),
        () => undefined,
      );
    }
  }

  /** The handle a client with an invalidated handle should move to (creating the replacement). */
  async replacementFor(shape: Shape): Promise<string> {
    return (await this.resolve(shape.definition)).handle;
  }

  /** Compacts a ready shape now, or when its turn comes (shape-compactor.ts). */
  compact(shape: Shape, options: { force?: boolean } = {}): Promise<CompactionOutcome> {
    return this.compactor.compact(shape, options);
  }

  private compactIfDue(shape: Shape): void {
    if (shape.log.byteLength < shape.compactAt || this.compactor.isQueued(shape)) return;
    this.compact(shape).catch((error: unknown) =>
      this.options.log?.(`shape-engine: compacting ${shape.handle} failed: ${(error as Error).message}`),
    );
  }

  /** Makes `next` the active shape of `old`'s definition and retires `old` (its handle answers 409). */
  private swap(old: Shape, next: Shape, baseBytes: number): void {
    rmSync(path.join(old.dir, 'shape.json')); // the old shape no longer loads on its own
    next.snapshot = old.snapshot;
    next.snapshotLsn = old.snapshotLsn;
    next.lastLsn = old.lastLsn;
    next.compactAt = this.compactor.threshold(baseBytes);
    old.status = 'invalidated';
    old.replacedBy = next.handle;
    this.registry.retire(old);
    this.flusher.forget(old);
    this.registry.activate(next);
    this.flusher.touched(next);
    next.markReady();
    old.wake();
  }

  async onTransaction(tx: ReplicatedTransaction): Promise<void> {
    this.router.route(tx);
    // Readers were woken at append time; the replication stream acknowledges this transaction only
    // when we resolve, so resolve once it is durable in every shape log (fsyncs run in parallel).
    await this.flusher.flush();
  }

  onCaughtUp(lsn: bigint): void {
    this.router.caughtUp(lsn);
  }

  /** Makes every entry appended before this call durable and advances durableLsn. */
  flush(): Promise<void> {
    return this.flusher.flush();
  }

  /** Entries after `offset`, and whether that brings the client up to date. */
  read(shape: Shape, offset: LogOffset): ShapeRead {
    return this.reader.read(shape, offset);
  }

  describe(shape: Shape): string {
    return `${shape.handle} ${shape.table.schema}.${shape.table.name} @ ${formatOffset(shape.log.lastOffset ?? { tx: -1n, op: 0 })}`;
  }
}
