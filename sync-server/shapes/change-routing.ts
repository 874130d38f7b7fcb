/**
 * sync-server/shapes/change-routing.ts: which changes of a replicated transaction may concern which
 * shape, so the engine evaluates a shape's where only on those.
 *
 * Guarantee: a change is left out for a shape only when the shape's where index (where/index.ts)
 * proves that neither its old nor its new row can be in that shape; shapes the index cannot judge get
 * every change of the table (`all`).
 */
import type { ReplicatedTransaction } from '../replication/types.ts';
import type { Shape } from './shape.ts';
import type { WhereIndex } from './where/index.ts';

export interface RoutedChanges {
  readonly index: WhereIndex<Shape> | null;
  readonly all: readonly number[];
  readonly indexed: ReadonlyMap<Shape, readonly number[]>;
}

/**
 * The changes of `table` in `tx`, by candidate shape: every change for the shapes the index cannot
 * exclude (`all`), and for indexed shapes the changes whose old or new row has the shape's key.
 */
export function routeChanges(
  index: WhereIndex<Shape> | null,
  table: string,
  tx: ReplicatedTransaction,
): RoutedChanges {
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
