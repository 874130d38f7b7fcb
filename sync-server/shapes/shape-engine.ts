/**
 * sync-server/shapes/shape-engine.ts: the shape engine: shape registry, snapshots, and the live
 * routing of replicated transactions into shape logs.
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
import { createHash } from 'node:crypto';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { OutpostError } from '../../common/errors.ts';
import {
  formatLsn,
  parseLsn,
  type ReplicatedTransaction,
  type ReplicationConsumer,
  type TextRow,
} from '../replication/types.ts';
import {
  completeInterruptedCompaction,
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
import { compareOffsets, formatOffset, parseOffset, type LogOffset } from './log-offset.ts';
import { changeMessages, type ChangeMessage, type MessageShape, type Replica } from './messages.ts';
import { ShapeLog, type LogRead } from './shape-log.ts';
import { runSnapshot, visibleInSnapshot, type PgSnapshot } from './snapshot.ts';
import { runSubset, type Subset, type SubsetResult } from './subset.ts';
import { loadTableSchema, type TableColumn, type TableSchema } from './table-schema.ts';
import { WhereBinder, type Bound } from './where/bind.ts';
import { matches } from './where/evaluate.ts';
import { WhereIndex } from './where/index.ts';
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
  /**
   * Row-level security context for the snapshot (gated shapes): the snapshot runs as `role` with
   * app.tenant_id set, so PostgreSQL filters it too. Part of the shape's identity.
   */
  readonly context?: { readonly role: string; readonly tenantId: string } | null;
  /**
   * `changes_only` (Electric's `log=changes_only`): the shape's log has no initial rows; it starts
   * with `snapshot-end` when the shape is created and then holds every change. Absent: `full`.
   */
  readonly log?: 'changes_only';
}

type ShapeStatus = 'snapshotting' | 'ready' | 'invalidated';

interface PersistedShape {
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

export class Shape {
  status: ShapeStatus = 'snapshotting';
  /** The handle that replaced this shape after invalidation. */
  replacedBy: string | null = null;
  lastLsn = 0n;
  snapshot: PgSnapshot | null = null;
  /** WAL position when the snapshot was taken: no transaction committed after it is in the snapshot. */
  snapshotLsn = 0n;
  /** Log size (bytes) at which the engine next tries to compact this shape. */
  compactAt = Number.POSITIVE_INFINITY;
  readonly pending: ReplicatedTransaction[] = [];
  /** The bound `where` (null: every row), used to route changes to this shape. */
  predicate: Bound | null = null;
  readonly ready: Promise<void>;
  private settle!: { resolve: () => void; reject: (e: unknown) => void };
  private readonly waiters = new Set<() => void>();
  private readonly followers = new Set<() => void>();

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
    for (const f of [...this.followers]) f();
  }

  /**
   * Calls `follower` synchronously on every wake (the log grew, the status changed, the shape was
   * invalidated), inside the engine's own call, until the returned function is called. For readers
   * that serve a change the moment it is appended (SSE); a follower must not throw.
   */
  follow(follower: () => void): () => void {
    this.followers.add(follower);
    return () => this.followers.delete(follower);
  }
}

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

function definitionKey(d: ShapeDefinition): string {
  const canonical = JSON.stringify([
    d.schema,
    d.table,
    d.where,
    Object.entries(d.params).sort(),
    d.columns,
    d.replica,
    ...(d.context ? [d.context.role, d.context.tenantId] : []),
    // Only when set, so the keys (and handles) of full shapes are what they were before.
    ...(d.log === 'changes_only' ? ['changes_only'] : []),
  ]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 20);
}

function columnsSignature(table: TableSchema): string {
  return table.columns.map((c) => `${c.name}:${c.pgType}:${c.typeMod}:${c.pkIndex ?? ''}`).join(',');
}

/** Writes a file and makes its content durable (fsync) before resolving with its path. */
async function writeDurably(file: string, text: string): Promise<string> {
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
async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync().catch(() => undefined); // not supported on every platform
  } finally {
    await handle.close();
  }
}

let lastMicros = 0;
function newHandle(key: string): string {
  const micros = Math.max(Date.now() * 1000, lastMicros + 1);
  lastMicros = micros;
  return `${key}-${micros}`;
}

/** The largest read `ShapeEngine.read` keeps for reuse (bytes of entries). */
const CACHED_READ_MAX_BYTES = 64 * 1024;

function readSize(r: LogRead): number {
  let n = 0;
  for (const b of r.bytes) n += b.length;
  return n;
}

interface RoutedChanges {
  readonly index: WhereIndex<Shape> | null;
  readonly all: readonly number[];
  readonly indexed: ReadonlyMap<Shape, readonly number[]>;
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
  private readonly compactions = new Map<Shape, CompactionJob>();
  private compactionQueue: Promise<void> = Promise.resolve();
  /** Work a compaction leaves behind (closing and removing the old shape), awaited by stop(). */
  private readonly background = new Set<Promise<void>>();
  private stopping = false;

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
    for (const [handle, saved] of await this.recoverShapeDirs()) {
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
        shape.compactAt = this.compactionThreshold(saved.baseBytes ?? 0);
        this.register(shape);
        shape.markReady();
      } catch {
        await rm(dir, { recursive: true, force: true }); // its table is gone or changed: clients refetch
      }
    }
    this.flushTimer = setInterval(() => void this.flush(), this.options.flushIntervalMs ?? 50);
    this.flushTimer.unref();
  }

  /**
   * Reads every shape.json under the shapes directory, completes the compactions a crash interrupted
   * (the replacement is kept, brought up to date from the old log), and removes every directory
   * without a shape that should load: snapshots and compactions that never finished, invalidated and
   * replaced shapes, and all but the newest shape of a definition. Returns the shapes to load.
   */
  private async recoverShapeDirs(): Promise<Map<string, PersistedShape>> {
    const names = await readdir(this.shapesDir);
    const saved = new Map<string, PersistedShape>();
    for (const name of names) {
      const file = path.join(this.shapesDir, name, 'shape.json');
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
      const oldDir = path.join(this.shapesDir, compaction.replaces);
      try {
        await completeInterruptedCompaction(
          path.join(this.shapesDir, name, 'log'),
          path.join(oldDir, 'log'),
          parseOffset(compaction.through),
        );
      } catch (error) {
        // Neither can be trusted (an unreadable log, or one in an older format): both go, and their
        // clients refetch from a new snapshot.
        this.options.log?.(
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
      await rm(path.join(this.shapesDir, name), { recursive: true, force: true });
    }
    return saved;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.flushTimer) clearInterval(this.flushTimer);
    await this.compactionQueue;
    while (this.background.size > 0) await Promise.all([...this.background]);
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
      shape.compactAt = this.compactionThreshold(persisted.baseBytes ?? 0);
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
    const job = this.compactions.get(shape);
    if (job?.preparedFile) rmSync(job.preparedFile, { force: true });
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

  private compactionThreshold(baseBytes: number): number {
    const settings = this.options.compaction;
    if (settings === false) return Number.POSITIVE_INFINITY;
    const ratio = settings?.ratio ?? DEFAULT_RATIO;
    return Math.max(settings?.minLogBytes ?? DEFAULT_MIN_LOG_BYTES, ratio * baseBytes);
  }

  /**
   * Compacts a ready shape (see the header and compaction.ts): folds its log into its current rows and
   * swaps in a replacement with a new handle whose log is those rows and the changes since. Unless
   * `force`, it gives up, and waits for the log to grow `ratio` times the rows, when the rows would
   * not be `ratio` times smaller than the log. Compactions run one at a time; asking again for a
   * shape already queued returns the same outcome.
   */
  compact(shape: Shape, options: { force?: boolean } = {}): Promise<CompactionOutcome> {
    const queued = this.compactions.get(shape);
    if (queued) return queued.outcome;
    const job: CompactionJob = {
      force: options.force ?? false,
      outcome: Promise.resolve({ compacted: false, reason: '' }),
      preparedFile: null,
    };
    job.outcome = this.compactionQueue
      .then(() => this.runCompaction(shape, job))
      .catch((error: unknown) => {
        shape.compactAt = this.compactionThreshold(shape.log.byteLength); // back off before retrying
        throw error;
      })
      .finally(() => this.compactions.delete(shape));
    this.compactions.set(shape, job);
    this.compactionQueue = job.outcome.then(
      () => undefined,
      () => undefined,
    );
    return job.outcome;
  }

  private async runCompaction(old: Shape, job: CompactionJob): Promise<CompactionOutcome> {
    const cancelled = () => this.stopping || old.status !== 'ready' || this.active.get(old.key) !== old;
    const skip = (reason: string): CompactionOutcome => ({ compacted: false, reason });
    if (cancelled() || !old.snapshot) return skip('the shape is not active and ready');
    const settings = this.options.compaction || {};
    const ratio = settings.ratio ?? DEFAULT_RATIO;
    const relation = [old.table.schema, old.table.name] as const;
    const folded = await foldLog(old.log, {
      lastLsn: () => old.lastLsn,
      cancelled,
      rowOverhead: rowOverhead(relation),
    });
    if (!folded) return skip('the shape was invalidated or the engine stopped');
    if (!job.force && folded.bytes * ratio > old.log.byteLength) {
      old.compactAt = this.compactionThreshold(folded.bytes);
      return skip(
        `its ${folded.rows.size} rows (about ${folded.bytes} bytes) are not ${ratio} times smaller than its log (${old.log.byteLength} bytes)`,
      );
    }
    const handle = newHandle(old.key);
    const dir = path.join(this.shapesDir, handle);
    await mkdir(dir, { recursive: true });
    const next = this.build(handle, old.definition, old.table, dir);
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
      await fsyncDirectory(this.shapesDir);
      await settings.onStep?.('prepared', steps);
      if (!(await catchUp())) return await abandon('cancelled while catching up');
      // The swap, in one synchronous step: no transaction can be applied in between.
      copyAllChanges(old.log, next.log, cursor);
      this.swap(old, next, baseBytes);
      job.preparedFile = null;
    } catch (error) {
      await abandon('failed');
      throw error;
    }
    const retire = (async () => {
      await settings.onStep?.('swapped', steps);
      await next.log.flush(); // the new log holds all of the old one durably: the old can go
      this.closeLog(old);
      await rm(old.dir, { recursive: true, force: true });
    })().catch((error: unknown) =>
      this.options.log?.(
        `shape-engine: retiring ${old.handle} after compaction failed: ${(error as Error).message}`,
      ),
    );
    this.background.add(retire);
    void retire.finally(() => this.background.delete(retire));
    return { compacted: true, handle, rows: folded.rows.size, bytes: next.log.byteLength };
  }

  /** Makes `next` the active shape of `old`'s definition and retires `old` (its handle answers 409). */
  private swap(old: Shape, next: Shape, baseBytes: number): void {
    rmSync(path.join(old.dir, 'shape.json')); // the old shape no longer loads on its own
    next.snapshot = old.snapshot;
    next.snapshotLsn = old.snapshotLsn;
    next.lastLsn = old.lastLsn;
    next.compactAt = this.compactionThreshold(baseBytes);
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
    if (shape.log.byteLength >= shape.compactAt && !this.compactions.has(shape)) {
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
          routed ??= this.route(table, tx);
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

  /**
   * The changes of `table` in `tx`, by candidate shape: every change for the shapes the index cannot
   * exclude (`all`), and for indexed shapes the changes whose old or new row has the shape's key.
   */
  private route(table: string, tx: ReplicatedTransaction): RoutedChanges {
    const index = this.routes.get(table) ?? null;
    const all: number[] = [];
    const indexed = new Map<Shape, number[]>();
    let current = -1;
    const visit = (shape: Shape): void => {
      let list = indexed.get(shape);
      if (!list) indexed.set(shape, (list = []));
      if (list[list.length - 1] !== current) list.push(current);
    };
    for (let i = 0; i < tx.changes.length; i++) {
      const change = tx.changes[i];
      if (!change || change.op === 'truncate') continue;
      if (`${change.relation.schema}.${change.relation.name}` !== table) continue;
      all.push(i);
      if (!index) continue;
      current = i;
      if (change.op !== 'insert' && change.old) index.forEachIndexedCandidate(change.old, visit);
      if (change.op !== 'delete') index.forEachIndexedCandidate(change.new, visit);
    }
    return { index, all, indexed };
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
