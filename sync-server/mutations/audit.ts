/**
 * sync-server/mutations/audit.ts: records what the write API changed as audit events, in the batch's
 * own transaction, so an applied mutation and its audit trail commit together or not at all.
 *
 * One `audit_logs` row per changed entity: actor (the signed-in user), action, entity, before and after
 * state (server-only columns already removed by the operation, WriteCatalog.publicState), the mutation
 * id as `correlation_id`, and the row's own tenant, so a holding's write to a subsidiary's row lands in
 * the subsidiary's chain. The 0051 trigger (SECURITY DEFINER since 0101) chains and hashes each row;
 * outpost_app can append but never alter the log.
 *
 * Server jobs (the approval expiry job) record their changes the same way with actor type `system` and
 * no actor id (`writeAuditRows`), the job's run id as `correlation_id`.
 */
import type pg from 'pg';
import type { EntityChange } from '../../common/mutations/types.ts';

export interface AuditedChange {
  readonly mutationId: string;
  /** `table.op` or the named mutation. */
  readonly mutation: string;
  readonly change: EntityChange;
}

/** Who the audit rows name: a signed-in user, or the server itself (a job). */
export type AuditActor = { readonly type: 'user'; readonly id: string } | { readonly type: 'system' };

export async function writeAuditEvents(
  client: pg.ClientBase,
  actorId: string,
  changes: readonly AuditedChange[],
): Promise<void> {
  await writeAuditRows(client, { type: 'user', id: actorId }, changes);
}

export async function writeAuditRows(
  client: pg.ClientBase,
  actor: AuditActor,
  changes: readonly AuditedChange[],
): Promise<void> {
  if (changes.length === 0) return;
  const rows = changes.map(({ mutationId, mutation, change }) => ({
    tenant_id: change.tenantId,
    actor_type: actor.type,
    actor_id: actor.type === 'user' ? actor.id : null,
    category: change.category,
    action: change.action,
    entity_type: change.entityType,
    entity_id: change.entityId,
    before_state: change.before,
    after_state: change.after,
    metadata: { mutation, mutation_id: mutationId, ...(change.metadata ?? {}) },
    correlation_id: mutationId,
  }));
  await client.query(
    `INSERT INTO audit_logs (tenant_id, actor_type, actor_id, category, action, entity_type, entity_id,
                             before_state, after_state, metadata, status, correlation_id)
     SELECT r.tenant_id, r.actor_type, r.actor_id, r.category, r.action, r.entity_type, r.entity_id,
            r.before_state, r.after_state, r.metadata, 'success', r.correlation_id
       FROM ROWS FROM (jsonb_to_recordset($1::jsonb)
                       AS (tenant_id uuid, actor_type text, actor_id uuid, category text, action text, entity_type text,
                           entity_id text, before_state jsonb, after_state jsonb, metadata jsonb,
                           correlation_id text)) WITH ORDINALITY
            AS r(tenant_id, actor_type, actor_id, category, action, entity_type, entity_id, before_state, after_state,
                 metadata, correlation_id, n)
      ORDER BY r.n`,
    [JSON.stringify(rows)],
  );
}
