/**
 * sync-server/approvals/escalation-chain.ts: who an escalated approval goes to, per step of the
 * tenant's escalation chain (approval_policies.escalation_chain, migrations/shared/0303).
 *
 *   tenant_admins      active users of the approval's tenant who hold approvals:decide and are admins
 *                      (the system role `admin`, or users.role admin / super_admin)
 *   tenant_approvers   active users of the approval's tenant who hold approvals:decide
 *   holding_admins     the same as tenant_admins, in the tenant's holding (none without a holding)
 *   holding_approvers  the same as tenant_approvers, in the tenant's holding
 *
 * The requester is never among them (nobody decides their own request). A step that names nobody is
 * skipped: the job takes the next one, and expires the approval when none is left.
 *
 * Runs inside the job's transaction as outpost_app with the holding's context for a subsidiary (so the
 * holding's users are visible; sync-server/approvals/expiry-sweep.ts), reading users and roles under
 * row-level security like any request.
 */
import type pg from 'pg';

export const ESCALATION_STEPS = [
  'tenant_admins',
  'tenant_approvers',
  'holding_admins',
  'holding_approvers',
] as const;
export type EscalationStep = (typeof ESCALATION_STEPS)[number];

export function isEscalationStep(value: string): value is EscalationStep {
  return (ESCALATION_STEPS as readonly string[]).includes(value);
}

/** The approvers `step` names for an approval of `tenantId` requested by `requester`, sorted. */
export async function approversOfStep(
  client: pg.ClientBase,
  step: EscalationStep,
  tenantId: string,
  requester: string | null,
): Promise<string[]> {
  const holding = step.startsWith('holding_');
  const adminsOnly = step.endsWith('_admins');
  const { rows } = await client.query<{ id: string }>(
    `WITH target AS (
       SELECT CASE WHEN $2::boolean THEN t.parent_tenant_id ELSE t.id END AS id
         FROM tenants t WHERE t.id = $1::uuid)
     SELECT u.id::text AS id
       FROM users u JOIN target ON u.tenant_id = target.id
      WHERE u.is_active IS TRUE AND u.id IS DISTINCT FROM $4::uuid
        AND EXISTS (
              SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id
               WHERE ur.user_id = u.id
                 AND ('approvals:decide' = ANY (coalesce(r.permissions, '{}'))
                      OR EXISTS (SELECT 1 FROM role_permissions rp JOIN permissions p ON p.id = rp.permission_id
                                  WHERE rp.role_id = r.id AND p.code = 'approvals:decide')))
        AND (NOT $3::boolean
             OR u.role IN ('admin', 'super_admin')
             OR EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id
                         WHERE ur.user_id = u.id AND r.tenant_id IS NULL AND r.name = 'admin'))
      ORDER BY u.id`,
    [tenantId, holding, adminsOnly, requester],
  );
  return rows.map((r) => r.id);
}
