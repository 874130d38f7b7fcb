/**
 * sync-server/shapes/live-router.ts: live routing: each replicated transaction to the logs of the
 * shapes it concerns, and the invalidation of a table's shapes when it is truncated or its schema
 * changes.
 *
 *   transaction ─► changed relations / truncates ─► host.invalidate(every shape of the table)
 *     ─► per table: shapes still snapshotting buffer it (shape.pending)
 *                   ready shapes: routeChanges (where/index.ts lookup, or every change) ─► where(old/new)
 *                   ─► messages ─► one append per shape (readers woken) ─► host.touched / host.grown
 *   ─► processedLsn ─► host.reached(the shapes that got entries): idle long-polls of their tenants answer
 *
 * Guarantees: a transaction is appended to a shape at most once (skipped when its commit LSN is not
 * above the shape's last, or when the shape's snapshot already saw it), whole and in commit order.
 * `processedLsn` moves only after every shape has the transaction, synchronously, so a reader that
 * captures it before reading never reports an LSN ahead of its log.
 */
import type { ReplicatedTransaction } from '../replication/types.ts';
import { routeChanges, type RoutedChanges } from './change-routing.ts';
import { changeMessages, type ChangeMessage } from './messages.ts';
import type { Shape } from './shape.ts';
import { tableKeyOf, type ShapeRegistry } from './shape-registry.ts';
import { visibleInSnapshot } from './snapshot.ts';

export interface LiveRoutingHost {
  readonly registry: ShapeRegistry;
  /** The table's data or schema changed under the shape: clients must refetch. */
  invalidate(shape: Shape): void;
  /** The shape's log has new entries to flush. */
  touched(shape: Shape): void;
  /** The shape's log grew (compaction may be due). */
  grown(shape: Shape): void;
  /** A routed transaction reached these shapes; `processedLsn` covers it (live-audiences.ts). */
  reached?(shapes: ReadonlySet<Shape>): void;
}

export class LiveRouter {
  private processed = 0n;

  constructor(private readonly host: LiveRoutingHost) {}

  get processedLsn(): bigint {
    return this.processed;
  }

  /** Routes a transaction to its shapes, synchronously; `processedLsn` then covers it. */
  route(tx: ReplicatedTransaction): void {
    const { registry } = this.host;
    for (const relation of tx.changedRelations) {
      for (const shape of [...registry.shapesOf(`${relation.schema}.${relation.name}`)])
        this.host.invalidate(shape);
    }
    const tables = new Set<string>();
    const reached = new Set<Shape>();
    for (const change of tx.changes) {
      if (change.op === 'truncate') {
        for (const r of change.relations) {
          for (const shape of [...registry.shapesOf(`${r.schema}.${r.name}`)]) this.host.invalidate(shape);
        }
      } else {
        tables.add(`${change.relation.schema}.${change.relation.name}`);
      }
    }
    for (const table of tables) {
      let routed: RoutedChanges | null = null;
      for (const shape of registry.shapesOf(table)) {
        if (shape.status === 'snapshotting') shape.pending.push(tx);
        else if (shape.status === 'ready') {
          routed ??= routeChanges(registry.routesOf(table), table, tx);
          const changes = routed.indexed.get(shape) ?? (routed.index?.isIndexed(shape) ? null : routed.all);
          if (changes && this.apply(shape, tx, changes)) reached.add(shape);
        }
      }
    }
    if (tx.commitLsn > this.processed) this.processed = tx.commitLsn;
    if (reached.size > 0) this.host.reached?.(reached);
  }

  /** The stream is caught up to `lsn` with nothing for any shape. */
  caughtUp(lsn: bigint): void {
    if (lsn > this.processed) this.processed = lsn;
  }

  /**
   * Applies a transaction to a shape. `changes` (from `routeChanges`) limits the work to the indices
   * of the changes whose old or new row may be in the shape; a change outside it has neither row in
   * the shape, so changeMessages would give it nothing. Without it every change of the table is tried.
   * True when the shape's log got entries.
   */
  apply(shape: Shape, tx: ReplicatedTransaction, changes?: readonly number[]): boolean {
    if (tx.commitLsn <= shape.lastLsn) return false; // already in the log (re-delivered after a restart)
    // Already in the snapshot: a transaction buffered while it ran, or replayed from the slot's backlog
    // later (after a restart). Only transactions committed up to the snapshot's WAL position can be;
    // bounding the check there also keeps 32-bit xid comparisons away from wraparound.
    if (shape.snapshot && tx.commitLsn <= shape.snapshotLsn && visibleInSnapshot(tx.xid, shape.snapshot))
      return false;
    const table = tableKeyOf(shape);
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
    if (out.length === 0) return false;
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
    this.host.touched(shape);
    shape.wake();
    this.host.grown(shape);
    return true;
  }
}
