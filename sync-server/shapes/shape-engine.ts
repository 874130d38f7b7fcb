/**
 * sync-server/shapes/shape-engine.ts: the shape engine: the registry of active shapes, and the
 * orchestration of their snapshots, compactions and live updates. The single jobs live beside it:
 *
 *   shape.ts           a shape's definition, key, handle and the Shape readers wait on
 *   shape-store.ts     shape.json on disk, durable writes, what start-up keeps after a crash
 *   publication.ts     the table joins the publication before its first snapshot
 *   snapshot.ts        a shape's initial snapshot        subset.ts      a subset snapshot
 *   change-routing.ts  which changes of a transaction may concern which shape
 *   shape-compactor.ts running compactions, one at a time  compaction.ts  folding a log into its rows
 *   shape-log.ts       the log file
 *
 *   request ─► resolve(definition) ─► Shape (handle) ─► snapshot into its log ─► ready
 *   replication ─► onTransaction ─► route each change (where/index.ts: shapes with a top-level
 *                   `column = value` are found by lookup, the rest are scanned) ─► where(old/new)
 *                   ─► messages ─► log
 *                                   (a shape still snapshotting buffers the transaction and, when
 *                                    its snapshot ends, keeps those the snapshot did not see)
 *   read(shape, offset) ─► the log (a shape's last small non-empty read, up to 64 KiB, is reused
 *                          while its log has not grown: N live requests woken at one offset read once)
 *   onTransaction resolves after fsync of every touched log ─► the stream may acknowledge it
 *   (readers are woken at append time, before the fsync; the flusher also runs every flushIntervalMs)
 *
 * Guarantees:
 *   - One active shape (handle) per definition; handles are never reused (`<hash>-<µs>`). A handle
 *     outlives its shape only to answer 409 with the replacement.
 *   - Transactions are applied whole and in commit order; a transaction is appended to a shape at most
 *     once (skipped when its commit LSN is not above the shape's last), so re-delivery after a crash
 *     is harmless. `processedLsn` moves only after every shape has the transaction, synchronously,
 *     so a reader that captures it before reading never reports an LSN ahead of its log.
 *   - Truncation and schema changes invalidate the table's shapes (clients get 409 must-refetch).
 *   - Shapes survive restarts: definitions and logs are on disk under `<dataDir>/shapes/<handle>/`;
 *     a shape whose table changed while the server was down is invalidated at start. An invalidated
 *     shape loses its shape.json at once (synchronously), so a crash can never bring it back.
 *   - Compaction (`compact`, compaction.ts): a shape whose log has grown `ratio` times beyond its
 *     current rows is replaced by a shape with a new handle whose log is those rows, folded from the
 *     old log while it keeps growing, then the changes since. The swap is one synchronous step, so no
 *     transaction is lost or applied twice at the boundary; the old handle then answers 409 with the
 *     new one. On disk the new shape is complete (log and shape.json, durable) before the old
 *     shape.json goes, and start() completes a compaction a crash interrupted after that point from
 *     the old log; before it, the new directory has no shape.json and is removed. So a crash leaves
 *     the old shape or the new one, never neither.
 */
import { rmSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { OutpostError } from '../../common/errors.ts';
import {
  parseLsn,
  type ReplicatedTransaction,
  type ReplicationConsumer,
  type TextRow,
} from '../replication/types.ts';
import { routeChanges, type RoutedChanges } from './change-routing.ts';
import type { CompactionSettings } from './compaction.ts';
import { compareOffsets, formatOffset, type LogOffset } from './log-offset.ts';
import { changeMessages, type ChangeMessage, type MessageShape } from './messages.ts';
import { awaitTransactionsRunningNow, ensurePublished } from './publication.ts';
import { definitionKey, newHandle, Shape, type ShapeDefinition, type ShapeStatus } from './shape.ts';
import { ShapeCompactor, type CompactionOutcome } from './shape-compactor.ts';
import { ShapeLog, type LogRead } from './shape-log.ts';
import { columnsSignature, recoverShapeDirs, type PersistedShape } from './shape-store.ts';
import { runSnapshot, visibleInSnapshot } from './snapshot.ts';
import { runSubset, type Subset, type SubsetResult } from './subset.ts';
import { loadTableSchema, type TableColumn, type TableSchema } from './table-schema.ts';
import { WhereBinder, type Bound } from './where/bind.ts';
import { matches } from './where/evaluate.ts';
import { WhereIndex } from './where/index.ts';
import { parseWhere } from './where/parser.ts';
import { quoteIdent } from './where/to-sql.ts';

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

export interface ShapeRead {
  /** The entries read, as the log holds them: serve them with `jsonArrayBody` (shape-log.ts). */
  readonly entries: LogRead;
  readonly lastOffset: LogOffset;
  /** The read reached the end of the log: the client is up to date with `globalLsn`. */
  readonly upToDate: boolean;
  readonly globalLsn: bigint;
}

/** The largest read `ShapeEngine.read` keeps for reuse (bytes of entries). */
const CACHED_READ_MAX_BYTES = 64 * 1024;

function readSize(r: LogRead): number {
  let n = 0;
  for (const b of r.bytes) n += b.length;
  return n;
}

export class ShapeEngine implements ReplicationConsumer {
  private readonly active = new Map<string, Shape>(); // definition key -> shape
  private readonly byHandle = new Map<string, Shape>();
  private readonly byTable = new Map<string, Set<Shape>>(); // "schema.table" -> shapes
  /** The same shapes, indexed by their `where` for routing changes ("schema.table" -> index). */
  private readonly routes = new Map<string, WhereIndex<Shape>>();
  /** Each shape's last non-empty read, reused while its log has not grown (see `read`). */
  private readonly lastReads = new WeakMap<
    Shape,
    { offset: LogOffset; bytes: number; status: ShapeStatus; entries: LogRead; upToDate: boolean }
  >();
  private readonly creating = new Map<string, Promise<Shape>>();
  private readonly dirty = new Set<Shape>();
  private processed = 0n;
  private durable = 0n;
  private flushing: Promise<void> | null = null;
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly compactor: ShapeCompactor;
  private stopping = false;

  constructor(private readonly options: ShapeEngineOptions) {
    this.compactor = new ShapeCompactor({
      shapesDir: path.join(options.dataDir, 'shapes'),
      settings: options.compaction,
      log: options.log,
      stopping: () => this.stopping,
      isActive: (shape) => this.active.get(shape.key) === shape,
      build: (handle, definition, table, dir) => this.build(handle, definition, table, dir),
      swap: (old, next, baseBytes) => this.swap(old, next, baseBytes),
      closeLog: (shape) => this.closeLog(shape),
    });
  }

  get processedLsn(): bigint {
    return this.processed;
  }

  /** Everything up to this LSN is durably in every shape log: safe to acknowledge. */
  get durableLsn(): bigint {
    return this.durable;
  }

  get shapeCount(): number {
    return this.active.size;
  }

  private get shapesDir(): string {
    return path.join(this.options.dataDir, 'shapes');
  }

  async start(): Promise<void> {
    await mkdir(this.shapesDir, { recursive: true });
    for (const [handle, saved] of await recoverShapeDirs(this.shapesDir, this.options.log)) {
      const dir = path.join(this.shapesDir, handle);
      try {
        const table = await loadTableSchema(this.options.pool, {
          schema: saved.definition.schema,
          name: saved.definition.table,
        });
        if (columnsSignature(table) !== saved.columnsSignature) throw new Error('table changed');
        const shape = this.build(saved.handle, saved.definition, table, dir);
        shape.snapshot = {
          xmin: BigInt(saved.snapshot.xmin),
          xmax: BigInt(saved.snapshot.xmax),
          xip: saved.snapshot.xip.map(BigInt),
        };
        shape.snapshotLsn = parseLsn(saved.snapshot.lsn);
        const last = shape.log.lastOffset;
        const folded = saved.compaction ? BigInt(saved.compaction.lsn) : 0n;
        shape.lastLsn = last && last.tx > folded ? last.tx : folded;
        shape.compactAt = this.compactor.threshold(saved.baseBytes ?? 0);
        this.register(shape);
        shape.markReady();
      } catch {
        await rm(dir, { recursive: true, force: true }); // its table is gone or changed: clients refetch
      }
    }
    this.flushTimer = setInterval(() => void this.flush(), this.options.flushIntervalMs ?? 50);
    this.flushTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.flushTimer) clearInterval(this.flushTimer);
    await this.compactor.drain();
    await this.flush();
    for (const shape of this.byHandle.values()) {
      shape.wake();
      if (shape.status !== 'invalidated') shape.log.close();
    }
  }

  lookup(handle: string): Shape | undefined {
    return this.byHandle.get(handle);
  }

  /** The active shape for a definition, created (and its snapshot started) if needed. */
  async resolve(definition: ShapeDefinition): Promise<Shape> {
    const key = definitionKey(definition);
    const existing = this.active.get(key);
    if (existing) return existing;
    const inFlight = this.creating.get(key);
    if (inFlight) return inFlight;
    const creation = this.create(key, definition).finally(() => this.creating.delete(key));
    this.creating.set(key, creation);
    return creation;
  }

  private build(handle: string, definition: ShapeDefinition, table: TableSchema, dir: string): Shape {
    const all = new Map(table.columns.map((c) => [c.name, c]));
    let columns: TableColumn[];
    if (definition.columns) {
      const unknown = definition.columns.filter((c) => !all.has(c));
      if (unknown.length > 0) {
        throw new OutpostError(
          'invalid_columns',
          `Invalid columns: ${unknown.map((c) => JSON.stringify(c)).join(', ')} not in ${table.schema}.${table.name}.`,
        );
      }
      const missing = table.primaryKey.filter((c) => !definition.columns?.includes(c));
      if (missing.length > 0) {
        throw new OutpostError(
          'invalid_columns',
          `Invalid columns: the primary key column(s) ${missing.join(', ')} must be included.`,
        );
      }
      const wanted = new Set(definition.columns);
      columns = table.columns.filter((c) => wanted.has(c.name));
    } else {
      columns = [...table.columns];
    }
    let bound: Bound | null = null;
    if (definition.where !== null)
      bound = new WhereBinder(table.columns, definition.params).bindPredicate(parseWhere(definition.where));
    const predicate = bound;
    const messages: MessageShape = {
      schema: table.schema,
      table: table.name,
      columns: columns.map((c) => c.name),
      primaryKey: table.primaryKey,
      replica: definition.replica,
      includes: predicate ? (row: TextRow) => matches(predicate, row) : () => true,
    };
    const shape = new Shape(
      handle,
      definitionKey(definition),
      definition,
      table,
      columns,
      messages,
      ShapeLog.open(
        path.join(dir, 'log'),
        this.options.chunkBytes === undefined ? {} : { chunkBytes: this.options.chunkBytes },
      ),
      dir,
    );
    shape.predicate = predicate;
    return shape;
  }

  private register(shape: Shape): void {
    this.active.set(shape.key, shape);
    this.byHandle.set(shape.handle, shape);
    const tableKey = `${shape.table.schema}.${shape.table.name}`;
    let set = this.byTable.get(tableKey);
    if (!set) this.byTable.set(tableKey, (set = new Set()));
    set.add(shape);
    let routes = this.routes.get(tableKey);
    if (!routes) this.routes.set(tableKey, (routes = new WhereIndex()));
    routes.add(shape, shape.predicate);
  }

  private unregister(shape: Shape): void {
    const tableKey = `${shape.table.schema}.${shape.table.name}`;
    this.byTable.get(tableKey)?.delete(shape);
    this.routes.get(tableKey)?.delete(shape);
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
    this.register(shape);
    void this.snapshot(shape);
    return shape;
  }

  private async snapshot(shape: Shape): Promise<void> {
    const client = await this.options.pool.connect();
    const context = shape.definition.context ?? null;
    try {
      if (context) {
        // Session-level on a connection that is discarded afterwards (release(true) below), so
        // neither the role nor the tenant can outlive this snapshot.
        await client.query(`SET ROLE ${quoteIdent(context.role)}`);
        await client.query(`SELECT set_config('app.tenant_id', $1, false)`, [context.tenantId]);
      }
      const where =
        shape.definition.where === null
          ? null
          : new WhereBinder(shape.table.columns, shape.definition.params).bindPredicate(
              parseWhere(shape.definition.where),
            );
      const result = await runSnapshot(
        client,
        {
          schema: shape.table.schema,
          table: shape.table.name,
          columns: shape.messages.columns,
          where,
          rows: shape.definition.log !== 'changes_only',
        },
        shape.messages,
        shape.log,
        () => shape.wake(),
      );
      if (shape.status === 'invalidated') return;
      shape.snapshot = result.snapshot;
      shape.snapshotLsn = parseLsn(result.lsn);
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
      if (shape.invalidated) {
        rmSync(path.join(shape.dir, 'shape.json'), { force: true }); // invalidated while persisting
        return;
      }
      shape.compactAt = this.compactor.threshold(persisted.baseBytes ?? 0);
      // Transactions buffered while the snapshot ran (and while it was persisted, above) are applied
      // and the shape becomes ready in one synchronous step: nothing can arrive in between.
      for (const tx of shape.pending.splice(0)) this.applyToShape(shape, tx);
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
    } finally {
      client.release(context !== null);
    }
  }

  /**
   * A subset snapshot of a shape (subset.ts), read with the shape's row-level security context, so
   * PostgreSQL scopes it as it scopes the shape's own snapshot.
   */
  async querySubset(shape: Shape, subset: Subset): Promise<SubsetResult> {
    const client = await this.options.pool.connect();
    const context = shape.definition.context ?? null;
    let failed = false;
    try {
      if (context) {
        // Session-level on a connection that is discarded afterwards, as for the shape's snapshot.
        await client.query(`SET ROLE ${quoteIdent(context.role)}`);
        await client.query(`SELECT set_config('app.tenant_id', $1, false)`, [context.tenantId]);
      }
      return await runSubset(
        client,
        {
          schema: shape.table.schema,
          table: shape.table.name,
          tableColumns: shape.table.columns,
          messages: shape.messages,
          predicate: shape.predicate,
        },
        subset,
      );
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      client.release(context !== null || failed);
    }
  }

  /** Invalidates a shape: new requests get a new handle; requests with this one get 409. */
  invalidate(shape: Shape, replace = true): void {
    if (shape.status === 'invalidated' && shape.replacedBy !== null) return;
    shape.status = 'invalidated';
    if (this.active.get(shape.key) === shape) this.active.delete(shape.key);
    this.unregister(shape);
    this.dirty.delete(shape);
    shape.wake();
    // Gone from disk at once, so a crash before the directory is removed cannot bring it back; and so
    // is a compaction's prepared replacement of it (it would hold the rows from before invalidation).
    rmSync(path.join(shape.dir, 'shape.json'), { force: true });
    const prepared = this.compactor.preparedFileOf(shape);
    if (prepared) rmSync(prepared, { force: true });
    this.closeLog(shape);
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

  /** Closes a retired shape's log once a flush that may be fsyncing it has finished. */
  private closeLog(shape: Shape): void {
    const inFlight = this.flushing;
    if (!inFlight) shape.log.close();
    else
      void inFlight.then(
        () => shape.log.close(),
        () => shape.log.close(),
      );
  }

  /** Compacts a ready shape now, or when its turn comes (shape-compactor.ts). */
  compact(shape: Shape, options: { force?: boolean } = {}): Promise<CompactionOutcome> {
    return this.compactor.compact(shape, options);
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
    this.unregister(old);
    this.dirty.delete(old);
    this.register(next);
    this.dirty.add(next);
    next.markReady();
    old.wake();
  }

  /**
   * Applies a transaction to a shape. `changes` (from `route`) limits the work to the indices of the
   * changes whose old or new row may be in the shape; a change outside it has neither row in the
   * shape, so changeMessages would give it nothing. Without it every change of the table is tried.
   */
  private applyToShape(shape: Shape, tx: ReplicatedTransaction, changes?: readonly number[]): void {
    if (tx.commitLsn <= shape.lastLsn) return; // already in the log (re-delivered after a restart)
    // Already in the snapshot: a transaction buffered while it ran, or replayed from the slot's backlog
    // later (after a restart). Only transactions committed up to the snapshot's WAL position can be;
    // bounding the check there also keeps 32-bit xid comparisons away from wraparound.
    if (shape.snapshot && tx.commitLsn <= shape.snapshotLsn && visibleInSnapshot(tx.xid, shape.snapshot))
      return;
    const table = `${shape.table.schema}.${shape.table.name}`;
    const out: { op: number; message: ChangeMessage }[] = [];
    const take = (index: number): void => {
      const change = tx.changes[index];
      if (
        !change ||
        change.op === 'truncate' ||
        `${change.relation.schema}.${change.relation.name}` !== table
      )
        return;
      const messages = changeMessages(shape.messages, change);
      for (let i = 0; i < messages.length; i++)
        out.push({ op: index * 2 + i, message: messages[i] as ChangeMessage });
    };
    if (changes) for (const index of changes) take(index);
    else for (let index = 0; index < tx.changes.length; index++) take(index);
    if (out.length === 0) return;
    const lsn = tx.commitLsn.toString();
    shape.log.append(
      out.map(({ op, message }, i) => {
        message.headers.lsn = lsn;
        message.headers.op_position = op;
        message.headers.txids = [tx.xid];
        if (i === out.length - 1) message.headers.last = true;
        return { offset: { tx: tx.commitLsn, op }, json: JSON.stringify(message) };
      }),
    );
    shape.lastLsn = tx.commitLsn;
    this.dirty.add(shape);
    shape.wake();
    if (shape.log.byteLength >= shape.compactAt && !this.compactor.isQueued(shape)) {
      this.compact(shape).catch((error: unknown) =>
        this.options.log?.(`shape-engine: compacting ${shape.handle} failed: ${(error as Error).message}`),
      );
    }
  }

  async onTransaction(tx: ReplicatedTransaction): Promise<void> {
    for (const relation of tx.changedRelations) {
      for (const shape of [...(this.byTable.get(`${relation.schema}.${relation.name}`) ?? [])])
        this.invalidate(shape);
    }
    const tables = new Set<string>();
    for (const change of tx.changes) {
      if (change.op === 'truncate') {
        for (const r of change.relations) {
          for (const shape of [...(this.byTable.get(`${r.schema}.${r.name}`) ?? [])]) this.invalidate(shape);
        }
      } else {
        tables.add(`${change.relation.schema}.${change.relation.name}`);
      }
    }
    for (const table of tables) {
      let routed: RoutedChanges | null = null;
      for (const shape of this.byTable.get(table) ?? []) {
        if (shape.status === 'snapshotting') shape.pending.push(tx);
        else if (shape.status === 'ready') {
          routed ??= routeChanges(this.routes.get(table) ?? null, table, tx);
          const changes = routed.indexed.get(shape) ?? (routed.index?.isIndexed(shape) ? null : routed.all);
          if (changes) this.applyToShape(shape, tx, changes);
        }
      }
    }
    if (tx.commitLsn > this.processed) this.processed = tx.commitLsn;
    // Readers were woken at append time; the replication stream acknowledges this transaction only
    // when we resolve, so resolve once it is durable in every shape log (fsyncs run in parallel).
    await this.flush();
  }

  onCaughtUp(lsn: bigint): void {
    if (lsn > this.processed) this.processed = lsn;
  }

  /**
   * Makes every entry appended before this call durable and advances durableLsn. A flush already
   * running may have started before the caller's entries were appended, so wait for it and flush again.
   */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    const target = this.processed;
    const logs = [...this.dirty];
    this.dirty.clear();
    this.flushing = Promise.all(logs.filter((shape) => !shape.invalidated).map((shape) => shape.log.flush()))
      .then(() => {
        if (target > this.durable) this.durable = target;
      })
      .finally(() => (this.flushing = null));
    await this.flushing;
  }

  /** Entries after `offset`, and whether that brings the client up to date. */
  read(shape: Shape, offset: LogOffset): ShapeRead {
    // Captured before reading: the log holds everything up to it. A shape's own last LSN is safe too
    // (its log holds that transaction), which keeps the value useful right after a restart.
    const globalLsn = this.processed > shape.lastLsn ? this.processed : shape.lastLsn;
    // Many live requests wake at one offset of one shape when it grows: the first reads the log, the
    // rest reuse its read while the log and the shape's status are unchanged.
    const cached = this.lastReads.get(shape);
    if (
      cached &&
      cached.bytes === shape.log.byteLength &&
      cached.status === shape.status &&
      compareOffsets(cached.offset, offset) === 0
    ) {
      return {
        entries: cached.entries,
        lastOffset: cached.entries.lastOffset,
        upToDate: cached.upToDate,
        globalLsn,
      };
    }
    const bytes = shape.log.byteLength;
    const status = shape.status;
    const r = shape.log.read(offset);
    const last = shape.log.lastOffset;
    const atEnd =
      shape.status === 'ready' && !r.more && (last === null || compareOffsets(r.lastOffset, last) >= 0);
    // Only small reads (live tails) are kept: a snapshot chunk per shape would pin megabytes each.
    if (r.count > 0 && shape.log.byteLength === bytes && readSize(r) <= CACHED_READ_MAX_BYTES)
      this.lastReads.set(shape, { offset, bytes, status, entries: r, upToDate: atEnd });
    else this.lastReads.delete(shape);
    return { entries: r, lastOffset: r.lastOffset, upToDate: atEnd, globalLsn };
  }

  describe(shape: Shape): string {
    return `${shape.handle} ${shape.table.schema}.${shape.table.name} @ ${formatOffset(shape.log.lastOffset ?? { tx: -1n, op: 0 })}`;
  }
}
