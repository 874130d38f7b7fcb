/**
 * common/queries/work-items.ts: work items by state.
 *
 *   workItems.byStatus { status, mine?, tenantId?, limit? }
 *     the work items in one state of the reader's visible tenants (narrowed to `tenantId`; with `mine`,
 *     only those the reader created), most urgent
 *     first (priority 1 is the highest, then the earliest due date, then the most recently changed), with
 *     their assistant's name.
 */
import { z } from 'zod';
import { WORK_ITEM_STATES, type WorkItemState } from '../lifecycles/work-item.ts';
import { toPgArrayLiteral } from '../sync/pg-array-literal.ts';
import { defineQuery, limitParam, personName, tenantCondition, tenantScopeParam } from './query.ts';

export interface WorkItemRow {
  readonly id: string;
  readonly tenant_id: string;
  readonly title: string;
  readonly description: string | null;
  readonly status: WorkItemState;
  readonly priority: number | null;
  readonly risk_level: number | null;
  readonly estimated_cost: string | null;
  readonly actual_cost: string | null;
  readonly due_at: string | null;
  readonly updated_at: string;
  readonly assistant_id: string;
  readonly assistant_name: string | null;
  readonly created_by: string | null;
  readonly creator_name: string | null;
}

export const workItemsByStatus = defineQuery<WorkItemRow>()({
  name: 'workItems.byStatus',
  permission: 'work_items:read',
  params: z.strictObject({
    status: z.enum(WORK_ITEM_STATES),
    mine: z.boolean().default(false),
    tenantId: tenantScopeParam,
    limit: limitParam(1000, 200),
  }),
  reads: ['work_items', 'assistants', 'users'],
  statement: ({ status, mine, tenantId, limit }, reader) => ({
    text: `
      SELECT w.id::text AS id, w.tenant_id::text AS tenant_id, w.title, w.description, w.status,
             w.priority, w.risk_level, w.estimated_cost::text AS estimated_cost,
             w.actual_cost::text AS actual_cost, w.due_at, w.updated_at,
             w.assistant_id::text AS assistant_id, a.name AS assistant_name,
             w.created_by::text AS created_by, ${personName('u')} AS creator_name
        FROM work_items w
        LEFT JOIN assistants a ON a.id = w.assistant_id
        LEFT JOIN users u ON u.id = w.created_by
       WHERE w.status = $1 AND ${tenantCondition('w', 2)}
         AND (NOT $5::boolean OR w.created_by = $6::uuid)
       ORDER BY w.priority ASC NULLS LAST, w.due_at ASC NULLS LAST, w.updated_at DESC, w.id
       LIMIT $4`,
    params: [status, toPgArrayLiteral(reader.visibleTenantIds), tenantId, limit, mine, reader.userId],
  }),
});
