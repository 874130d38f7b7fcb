/**
 * common/queries/records.ts: what happened to one record, from the audit log.
 *
 *   records.history { table, id, limit? }
 *     the audit events of one row of `table` (a table with a sync rule) among the reader's visible
 *     tenants, newest first, with the actor's name. Events name their entity by the table
 *     (`work_items`, plain writes) or by its singular (`work_item`, named operations and the seed), so
 *     both are matched. Needs audit:read, the permission that syncs the audit log at all.
 */
import { z } from 'zod';
import { ruleFor } from '../sync/rules.ts';
import { toPgArrayLiteral } from '../sync/pg-array-literal.ts';
import { defineQuery, limitParam, personName } from './query.ts';

export interface RecordHistoryRow {
  readonly id: string;
  readonly created_at: string;
  readonly tenant_id: string;
  readonly action: string;
  readonly category: string | null;
  readonly actor_type: 'user' | 'service_account' | 'assistant' | 'system';
  readonly actor_id: string | null;
  readonly actor_name: string | null;
  readonly status: string | null;
  readonly before_state: Record<string, unknown> | null;
  readonly after_state: Record<string, unknown> | null;
  readonly changes: Record<string, unknown> | null;
  readonly metadata: Record<string, unknown> | null;
}

/** `work_items` → `work_item`, `policies` → `policy`: how named operations name an entity. */
export function singularOf(table: string): string {
  if (table.endsWith('ies')) return `${table.slice(0, -3)}y`;
  if (table.endsWith('ses')) return table.slice(0, -2);
  if (table.endsWith('s')) return table.slice(0, -1);
  return table;
}

export const recordHistory = defineQuery<RecordHistoryRow>()({
  name: 'records.history',
  permission: 'audit:read',
  params: z.strictObject({
    table: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a table name')
      .refine((t) => ruleFor(t) !== undefined, 'a table with a sync rule'),
    id: z.string().min(1).max(200),
    limit: limitParam(500, 100),
  }),
  reads: ['audit_logs', 'users'],
  statement: ({ table, id, limit }, reader) => ({
    text: `
      SELECT l.id::text AS id, l.created_at, l.tenant_id::text AS tenant_id, l.action, l.category,
             l.actor_type, l.actor_id::text AS actor_id,
             CASE WHEN l.actor_type = 'user' THEN ${personName('u')} END AS actor_name,
             l.status, l.before_state, l.after_state, l.changes, l.metadata
        FROM audit_logs l
        LEFT JOIN users u ON u.id = l.actor_id
       WHERE l.entity_type IN ($1, $2) AND l.entity_id = $3 AND l.tenant_id = ANY ($4::uuid[])
       ORDER BY l.created_at DESC, l.id DESC
       LIMIT $5`,
    params: [table, singularOf(table), id, toPgArrayLiteral(reader.visibleTenantIds), limit],
  }),
});
