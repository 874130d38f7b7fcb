/**
 * common/mutations/approval-authority.ts: who may decide an approval, and how many must (quorum). The
 * reads approval.decide makes before it writes, the same SQL on the server and on a client's PGlite.
 *
 *   authority   the actor decides as one of approver_ids (direct), or as the delegate of one of them
 *               through a delegation that is active, has started, has not ended and covers the
 *               approval's risk level (risk_levels NULL: every level). Only a delegation whose
 *               delegator is a direct approver counts, so authority held by delegation is never passed
 *               on (A delegates to B, B to C: C cannot decide A's approvals). A delegation from the
 *               approval's requester is never used (nobody decides their own request, not even through
 *               a delegate).
 *   quorum      the tenant's approval_policies row: approvals whose risk level is at or above
 *               quorum_min_risk_level need quorum_required distinct approvers; otherwise, and without a
 *               policy, one. Counted per authority: the approver a decision was made for (on_behalf_of)
 *               or the decider, so a delegate and their delegator together count once.
 *
 * The policy is read at decision time: a policy changed while an approval is open applies to its next
 * decision. The database repeats the authority rules for every decision row (0303,
 * approval_decisions_rules), so no writer can bypass them.
 */
import { toPgArrayLiteral } from '../sync/pg-array-literal.ts';
import type { MutationContext } from './types.ts';
import { queryRows, type SqlQueryable } from './sql.ts';

export interface Delegation {
  readonly id: string;
  readonly delegator_id: string;
}

/**
 * A delegation that lets the actor decide for one of `approvers` now, at this risk level, never one
 * from `requester`; null when there is none.
 */
export async function validDelegation(
  sql: SqlQueryable,
  context: MutationContext,
  approvers: readonly string[],
  riskLevel: number,
  requester: string | null,
): Promise<Delegation | null> {
  if (approvers.length === 0) return null;
  const [found] = await queryRows<Delegation>(
    sql,
    `SELECT d.id::text AS id, d.delegator_id::text AS delegator_id
       FROM approval_delegations d
      WHERE d.delegate_id = $1 AND d.delegator_id = ANY ($2::uuid[])
        AND d.tenant_id = ANY ($3::uuid[])
        AND d.is_active IS TRUE AND d.starts_at <= now() AND d.ends_at > now()
        AND (d.risk_levels IS NULL OR $4::int = ANY (d.risk_levels))
        AND d.delegator_id IS DISTINCT FROM $5::uuid
      ORDER BY d.ends_at DESC, d.id
      LIMIT 1`,
    [
      context.actor.userId,
      toPgArrayLiteral(approvers),
      toPgArrayLiteral(context.actor.visibleTenantIds),
      String(riskLevel),
      requester,
    ],
  );
  return found ?? null;
}

/** How many distinct approvers an approval of `riskLevel` in `tenantId` needs. */
export async function requiredApprovals(
  sql: SqlQueryable,
  tenantId: string,
  riskLevel: number,
): Promise<number> {
  const [policy] = await queryRows<{ required: number }>(
    sql,
    `SELECT CASE WHEN p.quorum_min_risk_level IS NOT NULL AND $2::int >= p.quorum_min_risk_level
                 THEN p.quorum_required ELSE 1 END AS required
       FROM approval_policies p WHERE p.tenant_id = $1::uuid`,
    [tenantId, String(riskLevel)],
  );
  return Number(policy?.required ?? 1);
}

export interface RecordedDecision {
  readonly decided_by: string;
  readonly on_behalf_of: string | null;
  readonly decision: 'approve' | 'reject';
}

/** The decisions recorded so far for an approval. */
export async function decisionsOf(sql: SqlQueryable, approvalId: string): Promise<RecordedDecision[]> {
  return queryRows<RecordedDecision>(
    sql,
    `SELECT decided_by::text AS decided_by, on_behalf_of::text AS on_behalf_of, decision
       FROM approval_decisions WHERE approval_id = $1 ORDER BY decided_at, id`,
    [approvalId],
  );
}

/** The authority a decision counts for: the approver decided for, or the decider. */
export function authorityOf(decision: Pick<RecordedDecision, 'decided_by' | 'on_behalf_of'>): string {
  return (decision.on_behalf_of ?? decision.decided_by).toLowerCase();
}

/** Distinct authorities that approved. */
export function approvalsCounted(decisions: readonly RecordedDecision[]): number {
  return new Set(decisions.filter((d) => d.decision === 'approve').map(authorityOf)).size;
}
