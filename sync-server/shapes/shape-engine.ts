/**
 * sync-server/shapes/shape-engine.ts: the shape engine: shape registry, snapshots, and the live
 * routing of replicated transactions into shape logs.
 *
 *   request ─► resolve(definition) ─► Shape (handle) ─► snapshot into its log ─► ready
 *   replication ─► onTransaction ─► every shape of the table: where(old/new) ─► messages ─► log
 *                                   (a shape still snapshotting buffers the transaction and, when
 *                                    its snapshot ends, keeps those the snapshot did not see)
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
 *     a shape whose table changed while the server was down is invalidated at start.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { OutpostError } from '../../common/errors.ts';
import {
  parseLsn,
  type ReplicatedTransaction,
  type ReplicationConsumer,
  type TextRow,
} from '../replication/types.ts';
import { compareOffsets, formatOffset, type LogOffset } from './log-offset.ts';
import { changeMessages, type ChangeMessage, type MessageShape, type Replica } from './messages.ts';
import { ShapeLog } from './shape-log.ts';
import { runSnapshot, visibleInSnapshot, type PgSnapshot } from './snapshot.ts';
import { loadTableSchema, type TableColumn, type TableSchema } from './table-schema.ts';
import { WhereBinder, type Bound } from './where/bind.ts';
import { matches } from './where/evaluate.ts';
import { parseWhere } from './where/parser.ts';
import { quoteIdent } from './where/to-sql.ts';

export interface ShapeDefinition {
  readonly schema: string;
  readonly table: string;
  readonly where: string | null;
  readonly params: Readonly<Record<string, string>>;
  /** Requested columns, or null for all. */
  readonly columns: readonly string[] | null;
  readonly replica: Replica;
}

type ShapeStatus = 'snapshotting' | 'ready' | 'invalidated';

interface PersistedShape {
  readonly version: 1;
  readonly handle: string;
  readonly definition: ShapeDefinition;
  readonly columnsSignature: string;
  readonly snapshot: { xmin: string; xmax: string; xip: string[]; lsn: string };
  readonly createdAt: string;
}

export class Shape {
  status: ShapeStatus = 'snapshotting';
  /** The handle that replaced this shape after invalidation. */
  replacedBy: string | null = null;
  lastLsn = 0n;
  snapshot: PgSnapshot | null = null;
  /** WAL position when the snapshot was taken: no transaction committed after it is in the snapshot. */
  snapshotLsn = 0n;
  readonly pending: ReplicatedTransaction[] = [];
  readonly ready: Promise<void>;
  private settle!: { resolve: () => void; reject: (e: unknown) => void };
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly handle: string,
    readonly key: string,
    readonly definition: ShapeDefinition,
    readonly table: TableSchema,
    readonly columns: readonly TableColumn[],
    readonly messages: MessageShape,
    readonly log: ShapeLog,
    readonly dir: string,
  ) {
    this.ready = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }));
    this.ready.catch(() => undefined);
  }

  /** Read through a getter so checks after an await are not narrowed away by the compiler. */
  get invalidated(): boolean {
    return this.status === 'invalidated';
  }

  markReady(): void {
    this.status = 'ready';
    this.settle.resolve();
  }

  markFailed(error: unknown): void {
    this.status = 'invalidated';
    this.settle.reject(error);
    this.wake();
  }

  /** Resolves when the log grows past `offset`, the shape is invalidated, the time is up or `signal` aborts. */
  waitForChange(offset: LogOffset, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const last = this.log.lastOffset;
    if (this.status === 'invalidated' || (last && compareOffsets(last, offset) > 0)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  wake(): void {
    for (const w of [...this.waiters]) w();
  }

  get waiting(): number {
    return this.waiters.size;
  }
}

export interface ShapeEngineOptions {
  /** Pool for catalog queries, publication changes and snapshots (as the database owner). */
  readonly pool: pg.Pool;
  readonly dataDir: string;
  readonly publication: string;
  readonly flushIntervalMs?: number;
}

export interface ShapeRead {
  readonly messages: string[];
  readonly lastOffset: LogOffset;
  /** The read reached the end of the log: the client is up to date with `globalLsn`. */
  readonly upToDate: boolean;
  readonly globalLsn: bigint;
}

function definitionKey(d: ShapeDefinition): string {
  const canonical = JSON.stringify([
    d.schema,
    d.table,
    d.where,
    Object.entries(d.params).sort(),
    d.columns,
    d.replica,
  ]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 20);
}

function columnsSignature(table: TableSchema): string {
  return table.columns.map((c) => `${c.name}:${c.pgType}:${c.typeMod}:${c.pkIndex ?? ''}`).join(',');
}

let lastMicros = 0;
function newHandle(key: string): string {
  const micros = Math.max(Date.now() * 1000, lastMicros + 1);
  lastMicros = micros;
  return `${key}-${micros}`;
}

export class ShapeEngine implements ReplicationConsumer {
  private readonly active = new Map<string, Shape>(); // definition key -> shape
  private readonly byHandle = new Map<string, Shape>();
  private readonly byTable = new Map<string, Set<Shape>>(); // "schema.table" -> shapes
  private readonly creating = new Map<string, Promise<Shape>>();
  private readonly dirty = new Set<Shape>();
  private processed = 0n;
  private durable = 0n;
  private flushing: Promise<void> | null = null;
  private flushTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: ShapeEngineOptions) {}

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
    for (const handle of await readdir(this.shapesDir)) {
      const dir = path.join(this.shapesDir, handle);
      const file = path.join(dir, 'shape.json');
      if (!existsSync(file)) {
        await rm(dir, { recursive: true, force: true }); // a snapshot that never finished
        continue;
      }
      const saved = JSON.parse(await readFile(file, 'utf8')) as PersistedShape;
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
        shape.lastLsn = last && last.tx > 0n ? last.tx : 0n;
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
    if (this.flushTimer) clearInterval(this.flushTimer);
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
    return new Shape(
      handle,
      definitionKey(definition),
      definition,
      table,
      columns,
      messages,
      ShapeLog.open(path.join(dir, 'log')),
      dir,
    );
  }

  private register(shape: Shape): void {
    this.active.set(shape.key, shape);
    this.byHandle.set(shape.handle, shape);
    const tableKey = `${shape.table.schema}.${shape.table.name}`;
    let set = this.byTable.get(tableKey);
    if (!set) this.byTable.set(tableKey, (set = new Set()));
    set.add(shape);
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
    await this.ensurePublished(table);
    await this.awaitTransactionsRunningNow();
    this.register(shape);
    void this.snapshot(shape);
    return shape;
  }

  /**
   * Waits until every transaction running now has ended. A transaction that wrote the table before
   * it joined the publication is decoded without it, so its changes never reach us; such a
   * transaction must be over (and so visible to our snapshot) before the snapshot is taken.
   */
  private async awaitTransactionsRunningNow(): Promise<void> {
    const { rows } = await this.options.pool.query<{ xmax: string }>(
      `SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xmax`,
    );
    const horizon = BigInt(rows[0]?.xmax ?? '0');
    for (let wait = 5; ; wait = Math.min(wait * 2, 200)) {
      const now = await this.options.pool.query<{ xmin: string }>(
        `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`,
      );
      if (BigInt(now.rows[0]?.xmin ?? '0') >= horizon) return;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /** Adds the table to the publication (with REPLICA IDENTITY FULL) before its first snapshot. */
  private async ensurePublished(table: TableSchema): Promise<void> {
    const { pool, publication } = this.options;
    const { rows } = await pool.query(
      `SELECT 1 FROM pg_publication_tables WHERE pubname = $1 AND schemaname = $2 AND tablename = $3`,
      [publication, table.schema, table.name],
    );
    if (rows.length > 0) return;
    const qualified = `${quoteIdent(table.schema)}.${quoteIdent(table.name)}`;
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`ALTER TABLE ${qualified} REPLICA IDENTITY FULL`);
      const parts = await client.query<{ part: string }>(
        `SELECT inhrelid::regclass::text AS part FROM pg_inherits WHERE inhparent = $1::oid`,
        [table.oid],
      );
      for (const { part } of parts.rows) await client.query(`ALTER TABLE ${part} REPLICA IDENTITY FULL`);
      await client.query(`ALTER PUBLICATION ${quoteIdent(publication)} ADD TABLE ${qualified}`);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      // A concurrent request may have added it first.
      const again = await pool.query(
        `SELECT 1 FROM pg_publication_tables WHERE pubname = $1 AND schemaname = $2 AND tablename = $3`,
        [publication, table.schema, table.name],
      );
      if (again.rows.length === 0) throw error;
    } finally {
      client.release();
    }
  }

  private async snapshot(shape: Shape): Promise<void> {
    const client = await this.options.pool.connect();
    try {
      const where =
        shape.definition.where === null
          ? null
          : new WhereBinder(shape.table.columns, shape.definition.params).bindPredicate(
              parseWhere(shape.definition.where),
            );
      const result = await runSnapshot(
        client,
        { schema: shape.table.schema, table: shape.table.name, columns: shape.messages.columns, where },
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
      };
      await shape.log.flush();
      await writeFile(path.join(shape.dir, 'shape.json.tmp'), JSON.stringify(persisted));
      await rename(path.join(shape.dir, 'shape.json.tmp'), path.join(shape.dir, 'shape.json'));
      if (shape.invalidated) return;
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
      client.release();
    }
  }

  /** Invalidates a shape: new requests get a new handle; requests with this one get 409. */
  invalidate(shape: Shape, replace = true): void {
    if (shape.status === 'invalidated' && shape.replacedBy !== null) return;
    shape.status = 'invalidated';
    if (this.active.get(shape.key) === shape) this.active.delete(shape.key);
    this.byTable.get(`${shape.table.schema}.${shape.table.name}`)?.delete(shape);
    this.dirty.delete(shape);
    shape.wake();
    shape.log.close();
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

  private applyToShape(shape: Shape, tx: ReplicatedTransaction): void {
    if (tx.commitLsn <= shape.lastLsn) return; // already in the log (re-delivered after a restart)
    // Already in the snapshot: a transaction buffered while it ran, or replayed from the slot's backlog
    // later (after a restart). Only transactions committed up to the snapshot's WAL position can be;
    // bounding the check there also keeps 32-bit xid comparisons away from wraparound.
    if (shape.snapshot && tx.commitLsn <= shape.snapshotLsn && visibleInSnapshot(tx.xid, shape.snapshot))
      return;
    const table = `${shape.table.schema}.${shape.table.name}`;
    const out: { op: number; message: ChangeMessage }[] = [];
    tx.changes.forEach((change, index) => {
      if (change.op === 'truncate' || `${change.relation.schema}.${change.relation.name}` !== table) return;
      changeMessages(shape.messages, change).forEach((message, i) =>
        out.push({ op: index * 2 + i, message }),
      );
    });
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
      for (const shape of this.byTable.get(table) ?? []) {
        if (shape.status === 'snapshotting') shape.pending.push(tx);
        else if (shape.status === 'ready') this.applyToShape(shape, tx);
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
    const r = shape.log.read(offset);
    const last = shape.log.lastOffset;
    const atEnd =
      shape.status === 'ready' && !r.more && (last === null || compareOffsets(r.lastOffset, last) >= 0);
    return { messages: r.messages, lastOffset: r.lastOffset, upToDate: atEnd, globalLsn };
  }

  describe(shape: Shape): string {
    return `${shape.handle} ${shape.table.schema}.${shape.table.name} @ ${formatOffset(shape.log.lastOffset ?? { tx: -1n, op: 0 })}`;
  }
}
