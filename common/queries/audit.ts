/**
 * common/queries/audit.ts: the audit timeline's reads (renderer/audit/), from the audit log this device
 * holds.
 *
 *   audit.timeline { tenantId?, actorId?, action?, entityType?, from?, to?, limit? }
 *     events newest first (created_at, then chain_seq), with the actor's name, the tenant's name and
 *     the entity's own name where its before/after state carries one (title, name, email, slug);
 *     `limit` pages the list (the view asks for more as it is scrolled)
 *   audit.facets { tenantId? }
 *     what the filters offer: the actors (by name), actions and entity types present, with counts
 *
 * Dates filter created_at: from inclusive, to exclusive. Needs audit:read, the permission that syncs
 * the audit log at all; every read is scoped to the reader's visible tenants (tenantCondition).
 */
import { z } from 'zod';
import { toPgArrayLiteral } from '../sync/pg-array-literal.ts';
import type { RecordHistoryRow } from './records.ts';
import { defineQuery, limitParam, personName, tenantCondition, tenantScopeParam } from './query.ts';

/** An audit event as records.history gives it, with its place in the chain, tenant and entity. */
export interface AuditEventRow extends RecordHistoryRow {
  readonly chain_seq: number;
  readonly tenant_name: string | null;
  readonly entity_type: string;
  readonly entity_id: string | null;
  readonly entity_name: string | null;
}

export interface AuditFacetRow {
  readonly facet: 'actor' | 'action' | 'entity_type';
  readonly value: string;
  readonly label: string;
  readonly count: number;
}

const isoTime = z.iso.datetime({ offset: true }).nullable().default(null);
const text = z.string().min(1).max(200).nullable().default(null);

/** The entity's own name, from the state it had after (or before) the event. */
const ENTITY_NAME = ['title', 'name', 'full_name', 'email', 'slug', 'path']
  .map((k) => `l.after_state->>'${k}', l.before_state->>'${k}'`)
  .join(', ');

export const auditTimeline = defineQuery<AuditEventRow>()({
  name: 'audit.timeline',
  permission: 'audit:read',
  params: z.strictObject({
    tenantId: tenantScopeParam,
    actorId: text,
    action: text,
    entityType: text,
    from: isoTime,
    to: isoTime,
    limit: limitParam(5000, 200),
  }),
  reads: ['audit_logs', 'users', 'tenants'],
  statement: (p, reader) => ({
    text: `
      SELECT l.id::text AS id, l.chain_seq::int AS chain_seq, l.created_at, l.tenant_id::text AS tenant_id,
             t.name AS tenant_name, l.actor_type, l.actor_id::text AS actor_id,
             CASE WHEN u.id IS NOT NULL THEN ${personName('u')} END AS actor_name,
             l.category, l.action, l.entity_type, l.entity_id,
             coalesce(${ENTITY_NAME}) AS entity_name,
             l.status, l.before_state, l.after_state, l.changes, l.metadata
        FROM audit_logs l
        LEFT JOIN users u ON u.id = l.actor_id
        LEFT JOIN tenants t ON t.id = l.tenant_id
       WHERE ${tenantCondition('l', 1)}
         AND ($3::text IS NULL OR l.actor_id::text = $3::text OR ($3::text = l.actor_type AND l.actor_id IS NULL))
         AND ($4::text IS NULL OR l.action = $4::text)
         AND ($5::text IS NULL OR l.entity_type = $5::text)
         AND ($6::timestamptz IS NULL OR l.created_at >= $6::timestamptz)
         AND ($7::timestamptz IS NULL OR l.created_at < $7::timestamptz)
       ORDER BY l.created_at DESC, l.chain_seq DESC
       LIMIT $8`,
    params: [
      toPgArrayLiteral(reader.visibleTenantIds),
      p.tenantId,
      p.actorId,
      p.action,
      p.entityType,
      p.from,
      p.to,
      p.limit,
    ],
  }),
});

export const auditFacets = defineQuery<AuditFacetRow>()({
  name: 'audit.facets',
  permission: 'audit:read',
  params: z.strictObject({ tenantId: tenantScopeParam }),
  reads: ['audit_logs', 'users'],
  statement: (p, reader) => ({
    text: `
      WITH scoped AS (SELECT * FROM audit_logs l WHERE ${tenantCondition('l', 1)})
      SELECT 'actor' AS facet, coalesce(l.actor_id::text, l.actor_type) AS value,
             coalesce(max(${personName('u')}), initcap(replace(l.actor_type, '_', ' '))) AS label,
             count(*)::int AS count
        FROM scoped l LEFT JOIN users u ON u.id = l.actor_id
       GROUP BY 2, l.actor_type
      UNION ALL
      SELECT 'action', action, action, count(*)::int FROM scoped GROUP BY action
      UNION ALL
      SELECT 'entity_type', entity_type, entity_type, count(*)::int FROM scoped GROUP BY entity_type
      ORDER BY 1, 3`,
    params: [toPgArrayLiteral(reader.visibleTenantIds), p.tenantId],
  }),
});
