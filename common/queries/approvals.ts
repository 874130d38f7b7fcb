/**
 * common/queries/approvals.ts: the approvals a user has to decide.
 *
 *   approvals.waitingForMe { tenantId?, limit? }
 *     pending or escalated approvals of the reader's visible tenants (narrowed to `tenantId`) where the
 *     reader is an approver, or the delegate of an approver through a delegation that is active now,
 *     has started, has not ended and covers the approval's risk level (risk_levels NULL: every level),
 *     never the reader's own requests nor a delegation from the requester: the same rules
 *     approval.decide applies (common/mutations/approval-authority.ts);
 *     most urgent first: the earliest expiry, then the highest risk, then the oldest request.
 *     Quorum: `quorum_required` (the tenant's approval_policies for the risk level, else 1),
 *     `quorum_approvals` (distinct approvers who approved so far), `my_decision` ('approve' | 'reject'
 *     | null: what the reader, or the approver they act for, already decided; such rows stay listed
 *     until the approval is decided, so the UI can show "1 of 2 approvals, yours included").
 *
 *   approvals.waitingForMeCount { tenantId? }
 *     how many of those there are, all of them (the list stops at its limit; the nav counts them all).
 *
 * Rows carry names, not only ids (requester, assistant, work item, tenant, the approver a delegation
 * acts for), so a view needs no second lookup.
 */
import { z } from 'zod';
import { toPgArrayLiteral } from '../sync/pg-array-literal.ts';
import { defineQuery, limitParam, personName, tenantCondition, tenantScopeParam } from './query.ts';

export interface ApprovalWaitingRow {
  readonly id: string;
  readonly tenant_id: string;
  readonly tenant_name: string | null;
  readonly title: string;
  readonly description: string | null;
  readonly status: 'pending' | 'escalated';
  readonly risk_level: number;
  readonly expires_at: string;
  readonly escalation_count: number | null;
  readonly created_at: string;
  readonly requested_by: string | null;
  readonly requester_name: string | null;
  readonly approver_ids: string[];
  readonly work_item_id: string;
  readonly work_item_title: string | null;
  readonly estimated_cost: string | null;
  readonly assistant_id: string | null;
  readonly assistant_name: string | null;
  /** Set when the reader may decide only as a delegate: the approver they act for. */
  readonly on_behalf_of: string | null;
  readonly on_behalf_of_name: string | null;
  /** How many distinct approvers must approve (the tenant's quorum policy; 1 without one). */
  readonly quorum_required: number;
  /** How many distinct approvers have approved so far. */
  readonly quorum_approvals: number;
  /** What the reader (or the approver they act for) already decided; null: not yet. */
  readonly my_decision: 'approve' | 'reject' | null;
}

/**
 * A delegation `dd` through which the reader ($1) may decide approval `a` for one of its approvers:
 * active now, covering its risk level, never from its requester.
 */
const DELEGATION_COVERS = `dd.delegate_id = $1::uuid AND dd.delegator_id = ANY (a.approver_ids)
                AND dd.tenant_id = a.tenant_id AND dd.is_active IS TRUE
                AND dd.starts_at <= now() AND dd.ends_at > now()
                AND (dd.risk_levels IS NULL OR a.risk_level = ANY (dd.risk_levels))
                AND dd.delegator_id IS DISTINCT FROM a.requested_by`;

/** Pending approvals `a` of the scope ($2 the visible tenants, $3 the scope) not requested by the reader. */
const OPEN_NOT_MINE = `a.status IN ('pending', 'escalated') AND ${tenantCondition('a', 2)}
         AND a.requested_by IS DISTINCT FROM $1::uuid`;

/**
 * The approvals the reader may decide, as `a`, with `d` the delegation they would act through: the
 * list's FROM and WHERE. The count (below) asks the same in two cheaper parts; a test holds them equal.
 */
const MAY_DECIDE_FROM = `
        FROM approvals a
        LEFT JOIN LATERAL (
             SELECT dd.delegator_id FROM approval_delegations dd
              WHERE NOT ($1::uuid = ANY (coalesce(a.approver_ids, '{}')))
                AND ${DELEGATION_COVERS}
              ORDER BY dd.ends_at DESC, dd.id
              LIMIT 1) d ON true`;
const MAY_DECIDE_WHERE = `
       WHERE ${OPEN_NOT_MINE}
         AND ($1::uuid = ANY (coalesce(a.approver_ids, '{}')) OR d.delegator_id IS NOT NULL)`;

export const approvalsWaitingForMe = defineQuery<ApprovalWaitingRow>()({
  name: 'approvals.waitingForMe',
  permission: 'approvals:read',
  params: z.strictObject({ tenantId: tenantScopeParam, limit: limitParam(1000, 500) }),
  reads: [
    'approvals',
    'approval_delegations',
    'approval_decisions',
    'approval_policies',
    'users',
    'work_items',
    'assistants',
    'tenants',
  ],
  statement: ({ tenantId, limit }, reader) => ({
    text: `
      SELECT a.id::text AS id, a.tenant_id::text AS tenant_id, tn.name AS tenant_name, a.title, a.description,
             a.status, a.risk_level, a.expires_at, a.escalation_count, a.created_at,
             a.requested_by::text AS requested_by, ${personName('ru')} AS requester_name,
             a.approver_ids::text[] AS approver_ids, a.work_item_id::text AS work_item_id,
             wi.title AS work_item_title, wi.estimated_cost::text AS estimated_cost,
             wi.assistant_id::text AS assistant_id, asst.name AS assistant_name,
             d.delegator_id::text AS on_behalf_of, ${personName('du')} AS on_behalf_of_name,
             coalesce((SELECT CASE WHEN p.quorum_min_risk_level IS NOT NULL AND a.risk_level >= p.quorum_min_risk_level
                                   THEN p.quorum_required ELSE 1 END
                         FROM approval_policies p WHERE p.tenant_id = a.tenant_id), 1) AS quorum_required,
             (SELECT count(DISTINCT coalesce(x.on_behalf_of, x.decided_by))::int FROM approval_decisions x
               WHERE x.approval_id = a.id AND x.decision = 'approve') AS quorum_approvals,
             (SELECT x.decision FROM approval_decisions x
               WHERE x.approval_id = a.id
                 AND (x.decided_by = $1::uuid OR coalesce(x.on_behalf_of, x.decided_by) = coalesce(d.delegator_id, $1::uuid))
               ORDER BY x.decided_at LIMIT 1) AS my_decision
${MAY_DECIDE_FROM}
        LEFT JOIN tenants tn ON tn.id = a.tenant_id
        LEFT JOIN users ru ON ru.id = a.requested_by
        LEFT JOIN users du ON du.id = d.delegator_id
        LEFT JOIN work_items wi ON wi.id = a.work_item_id
        LEFT JOIN assistants asst ON asst.id = wi.assistant_id
${MAY_DECIDE_WHERE}
       ORDER BY a.expires_at ASC NULLS LAST, a.risk_level DESC, a.created_at ASC, a.id
       LIMIT $4`,
    params: [reader.userId, toPgArrayLiteral(reader.visibleTenantIds), tenantId, limit],
  }),
});

/** How many approvals the reader may decide (the list stops at its limit; the badge counts them all). */
export const approvalsWaitingForMeCount = defineQuery<{ readonly count: number }>()({
  name: 'approvals.waitingForMeCount',
  permission: 'approvals:read',
  params: z.strictObject({ tenantId: tenantScopeParam }),
  reads: ['approvals', 'approval_delegations'],
  statement: ({ tenantId }, reader) => ({
    // As an approver, plus as a delegate where not an approver: two scans without the list's
    // per-row lateral join (1.0 s → see docs/benchmarks.md at 100,000 approvals on PGlite); the
    // second is skipped at once when the reader holds no delegation that is active now.
    text: `
      SELECT (SELECT count(*) FROM approvals a
               WHERE ${OPEN_NOT_MINE} AND $1::uuid = ANY (coalesce(a.approver_ids, '{}')))::int
           + (SELECT count(*) FROM approvals a
               WHERE EXISTS (SELECT 1 FROM approval_delegations x
                              WHERE x.delegate_id = $1::uuid AND x.is_active IS TRUE AND x.ends_at > now())
                 AND ${OPEN_NOT_MINE} AND NOT ($1::uuid = ANY (coalesce(a.approver_ids, '{}')))
                 AND EXISTS (SELECT 1 FROM approval_delegations dd WHERE ${DELEGATION_COVERS}))::int AS count`,
    params: [reader.userId, toPgArrayLiteral(reader.visibleTenantIds), tenantId],
  }),
});
