/**
 * common/queries/delegations.ts: the reads of the inbox's detail pane and delegation screen.
 *
 *   approvals.decisions { approvalId }
 *     every decision recorded for one approval (approval_decisions, the quorum's rows), oldest first,
 *     with the decider's and the represented approver's names
 *   delegations.mine { includeInactive? }
 *     the delegations the reader gave (direction 'given') and received ('received'), newest first;
 *     `is_current` when active now (active, started, not ended). Revoked and ended ones only with
 *     includeInactive.
 *   delegations.candidates
 *     who the reader may hand their approval authority to: the active users of the reader's own tenant
 *     (a delegation never crosses tenants), the reader left out, by name
 *
 * Both scope rows to the reader's visible tenants like every named query.
 */
import { z } from 'zod';
import { toPgArrayLiteral } from '../sync/pg-array-literal.ts';
import { defineQuery, personName, tenantCondition, tenantScopeParam, uuidParam } from './query.ts';

export interface ApprovalDecisionRow {
  readonly id: string;
  readonly approval_id: string;
  readonly decision: 'approve' | 'reject';
  readonly reason: string | null;
  readonly decided_at: string;
  readonly decided_by: string;
  readonly decided_by_name: string | null;
  readonly on_behalf_of: string | null;
  readonly on_behalf_of_name: string | null;
  readonly delegation_id: string | null;
}

export const approvalDecisions = defineQuery<ApprovalDecisionRow>()({
  name: 'approvals.decisions',
  permission: 'approvals:read',
  params: z.strictObject({ approvalId: uuidParam, tenantId: tenantScopeParam }),
  reads: ['approval_decisions', 'users'],
  statement: ({ approvalId, tenantId }, reader) => ({
    text: `
      SELECT x.id::text AS id, x.approval_id::text AS approval_id, x.decision, x.reason, x.decided_at,
             x.decided_by::text AS decided_by, ${personName('du')} AS decided_by_name,
             x.on_behalf_of::text AS on_behalf_of, ${personName('bu')} AS on_behalf_of_name,
             x.delegation_id::text AS delegation_id
        FROM approval_decisions x
        LEFT JOIN users du ON du.id = x.decided_by
        LEFT JOIN users bu ON bu.id = x.on_behalf_of
       WHERE x.approval_id = $1::uuid AND ${tenantCondition('x', 2)}
       ORDER BY x.decided_at, x.id`,
    params: [approvalId, toPgArrayLiteral(reader.visibleTenantIds), tenantId],
  }),
});

export interface DelegationRow {
  readonly id: string;
  readonly tenant_id: string;
  readonly direction: 'given' | 'received';
  readonly delegator_id: string;
  readonly delegator_name: string | null;
  readonly delegate_id: string;
  readonly delegate_name: string | null;
  readonly risk_levels: number[] | null;
  readonly starts_at: string;
  readonly ends_at: string;
  readonly reason: string | null;
  readonly is_active: boolean;
  readonly is_current: boolean;
  readonly created_at: string;
}

export const delegationsMine = defineQuery<DelegationRow>()({
  name: 'delegations.mine',
  permission: 'approvals:read',
  params: z.strictObject({ includeInactive: z.boolean().default(false), tenantId: tenantScopeParam }),
  reads: ['approval_delegations', 'users'],
  statement: ({ includeInactive, tenantId }, reader) => ({
    text: `
      SELECT d.id::text AS id, d.tenant_id::text AS tenant_id,
             CASE WHEN d.delegator_id = $1::uuid THEN 'given' ELSE 'received' END AS direction,
             d.delegator_id::text AS delegator_id, ${personName('fu')} AS delegator_name,
             d.delegate_id::text AS delegate_id, ${personName('tu')} AS delegate_name,
             d.risk_levels, d.starts_at, d.ends_at, d.reason, coalesce(d.is_active, false) AS is_active,
             (d.is_active IS TRUE AND d.starts_at <= now() AND d.ends_at > now()) AS is_current, d.created_at
        FROM approval_delegations d
        LEFT JOIN users fu ON fu.id = d.delegator_id
        LEFT JOIN users tu ON tu.id = d.delegate_id
       WHERE (d.delegator_id = $1::uuid OR d.delegate_id = $1::uuid) AND ${tenantCondition('d', 2)}
         AND ($4::boolean OR (d.is_active IS TRUE AND d.ends_at > now()))
       ORDER BY d.created_at DESC, d.id`,
    params: [reader.userId, toPgArrayLiteral(reader.visibleTenantIds), tenantId, includeInactive],
  }),
});

export interface DelegateCandidateRow {
  readonly id: string;
  readonly name: string;
  readonly email: string;
}

export const delegateCandidates = defineQuery<DelegateCandidateRow>()({
  name: 'delegations.candidates',
  permission: 'approvals:delegate',
  params: z.strictObject({}),
  reads: ['users'],
  statement: (_params, reader) => ({
    text: `
      SELECT u.id::text AS id, ${personName('u')} AS name, u.email
        FROM users u
       WHERE u.tenant_id = $1::uuid AND u.id <> $2::uuid AND u.is_active IS NOT FALSE
       ORDER BY lower(${personName('u')}), u.id`,
    params: [reader.tenantId, reader.userId],
  }),
});
