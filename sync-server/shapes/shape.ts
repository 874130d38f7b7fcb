/**
 * sync-server/shapes/shape.ts: what a shape is: its definition (the identity clients ask for), its
 * handle, and the `Shape` a request reads from and waits on (status, log, snapshot position, waiters).
 *
 * Guarantees: a definition has one key (`definitionKey`: a hash of every part of its identity, the
 * row-level security context and the log mode included), and handles are `<key>-<µs>`, never reused
 * in a process (`newHandle`), so a handle names one shape of one definition forever. A `Shape` wakes
 * its waiters and followers on every change of its log or status; its `ready` promise settles once.
 */
import { createHash } from 'node:crypto';
import type { ReplicatedTransaction } from '../replication/types.ts';
import { compareOffsets, type LogOffset } from './log-offset.ts';
import type { MessageShape, Replica } from './messages.ts';
import type { ShapeLog } from './shape-log.ts';
import type { PgSnapshot } from './snapshot.ts';
import type { TableColumn, TableSchema } from './table-schema.ts';
import type { Bound } from './where/bind.ts';

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

export type ShapeStatus = 'snapshotting' | 'ready' | 'invalidated';

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

export function definitionKey(d: ShapeDefinition): string {
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

let lastMicros = 0;
/** A new handle for a definition key: `<key>-<µs>`, strictly increasing in this process. */
export function newHandle(key: string): string {
  const micros = Math.max(Date.now() * 1000, lastMicros + 1);
  lastMicros = micros;
  return `${key}-${micros}`;
}
