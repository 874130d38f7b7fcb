/**
 * common/mutations/work-item-outcome.ts: the work item follows the outcome of the approval that gates
 * it, through its lifecycle (common/lifecycles/work-item.ts). Used by approval.decide (server and
 * client alike) and by the server's expiry job.
 *
 *   approval approved  ─► work item awaiting_approval ──approve──► in_progress, once no other approval
 *                         of the item is still open (pending or escalated)
 *   approval rejected  ─► work item awaiting_approval ──cancel───► cancelled
 *   approval expired   ─► the same as rejected
 *
 * Guarantees: only an item that is awaiting_approval moves (an item already moved on by its assistant
 * or a person is left as it is); the move is checked against the transition table here and by the
 * database's lifecycle trigger; the item's row is locked before it is read.
 */
import { workItemLifecycle, type WorkItemEvent, type WorkItemState } from '../lifecycles/work-item.ts';
import { nextState, REFUSED } from '../lifecycles/state-machine.ts';
import type { WriteCatalog } from './catalog.ts';
import type { Row } from './named-operation.ts';
import { queryRows, textOf, type SqlQueryable } from './sql.ts';
import type { EntityChange } from './types.ts';

export type ApprovalOutcome = 'approved' | 'rejected' | 'expired';

const EVENT_OF: Readonly<Record<ApprovalOutcome, WorkItemEvent>> = {
  approved: 'approve',
  rejected: 'cancel',
  expired: 'cancel',
};

/** Moves the approval's work item for `outcome`; the change, or null when it stays as it is. */
export async function followApprovalOutcome(
  sql: SqlQueryable,
  catalog: WriteCatalog,
  approval: Row,
  outcome: ApprovalOutcome,
): Promise<EntityChange | null> {
  const workItemId = textOf(approval['work_item_id']);
  const [locked] = await queryRows<{ row: Row; others_open: boolean }>(
    sql,
    `SELECT to_jsonb(w) AS row,
            EXISTS (SELECT 1 FROM approvals o
                     WHERE o.work_item_id = w.id AND o.id <> $2 AND o.status IN ('pending', 'escalated')) AS others_open
       FROM work_items w WHERE w.id = $1 AND w.tenant_id = $3 FOR UPDATE`,
    [workItemId, textOf(approval['id']), textOf(approval['tenant_id'])],
  );
  if (!locked) return null;
  const status = locked.row['status'] as WorkItemState;
  if (status !== 'awaiting_approval') return null;
  if (outcome === 'approved' && locked.others_open) return null;
  const event = EVENT_OF[outcome];
  const next = nextState(workItemLifecycle, status, event);
  if (next === REFUSED) return null;
  const [updated] = await queryRows<{ row: Row }>(
    sql,
    `UPDATE work_items AS t SET status = $2::text, updated_at = now() WHERE t.id = $1 RETURNING to_jsonb(t) AS row`,
    [workItemId, next],
  );
  if (!updated) return null;
  return {
    tenantId: textOf(approval['tenant_id']),
    action: `work_item.${event === 'approve' ? 'approved' : 'cancelled'}`,
    category: 'work_items',
    entityType: 'work_item',
    entityId: workItemId,
    before: catalog.publicState('work_items', locked.row),
    after: catalog.publicState('work_items', updated.row),
    metadata: { approval_id: textOf(approval['id']), approval_outcome: outcome },
  };
}
