/**
 * Fixtures of the approval expiry tests (expiry-sweep.pg.test.ts, decision-race.pg.test.ts,
 * expiry-runner.pg.test.ts): a holding H with a subsidiary S and a standalone tenant A, inserted as the
 * superuser into a migrated central database.
 *
 *   A: requester, approver (system role approver), admin (system role admin), an assistant and
 *      work items awaiting approval
 *   S: requester, approver, admin; H: holdingApprover (system role approver)
 * `dueApproval` inserts a pending approval past its expiry (or with the expiry given).
 */
import type pg from 'pg';
import { loadWriteCatalog } from '../../common/mutations/catalog.ts';
import { prepareMutation } from '../../common/mutations/mutation.ts';
import type { AppliedMutation, MutationActor } from '../../common/mutations/types.ts';
import { beginTenantTransaction } from '../db/tenant-transaction.ts';

const id = (n: number) => `a7000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export const X = {
  A: id(1),
  H: id(2),
  S: id(3),
  requesterA: id(10),
  approverA: id(11),
  adminA: id(12),
  secondA: id(13),
  requesterS: id(20),
  approverS: id(21),
  adminS: id(22),
  holdingApprover: id(30),
  assistantA: id(40),
  assistantS: id(41),
} as const;

const ADMIN_ROLE = '7e5c0001-0000-4000-8000-000000000001';
const APPROVER_ROLE = '7e5c0001-0000-4000-8000-000000000002';

export const FIXTURES_SQL = `
  INSERT INTO tenants (id, name, slug, tenant_type, parent_tenant_id) VALUES
    ('${X.A}', 'Alpha', 'alpha', 'standalone', NULL),
    ('${X.H}', 'Holding', 'holding', 'holding', NULL),
    ('${X.S}', 'Sub', 'sub', 'subsidiary', '${X.H}');
  INSERT INTO users (id, tenant_id, email, role) VALUES
    ('${X.requesterA}', '${X.A}', 'req@a.test', 'manager'),
    ('${X.approverA}', '${X.A}', 'appr@a.test', 'manager'),
    ('${X.adminA}', '${X.A}', 'admin@a.test', 'admin'),
    ('${X.secondA}', '${X.A}', 'second@a.test', 'manager'),
    ('${X.requesterS}', '${X.S}', 'req@s.test', 'manager'),
    ('${X.approverS}', '${X.S}', 'appr@s.test', 'manager'),
    ('${X.adminS}', '${X.S}', 'admin@s.test', 'admin'),
    ('${X.holdingApprover}', '${X.H}', 'appr@h.test', 'manager');
  INSERT INTO user_roles (tenant_id, user_id, role_id) VALUES
    ('${X.A}', '${X.approverA}', '${APPROVER_ROLE}'),
    ('${X.A}', '${X.secondA}', '${APPROVER_ROLE}'),
    ('${X.A}', '${X.adminA}', '${ADMIN_ROLE}'),
    ('${X.A}', '${X.requesterA}', '${APPROVER_ROLE}'),
    ('${X.S}', '${X.approverS}', '${APPROVER_ROLE}'),
    ('${X.S}', '${X.adminS}', '${ADMIN_ROLE}'),
    ('${X.H}', '${X.holdingApprover}', '${APPROVER_ROLE}');
  INSERT INTO assistants (id, tenant_id, name, slug, type) VALUES
    ('${X.assistantA}', '${X.A}', 'Bot', 'bot', 'custom'),
    ('${X.assistantS}', '${X.S}', 'Bot', 'bot', 'custom');
`;

let next = 1000;

/** A work item awaiting approval and a pending approval of it, expiring at `expires` (SQL). */
export async function dueApproval(
  client: pg.ClientBase,
  tenant: 'A' | 'S',
  expires = "now() - interval '1 minute'",
  approvers: readonly string[] = [tenant === 'A' ? X.approverA : X.approverS],
): Promise<{ approval: string; workItem: string }> {
  const approval = id(++next);
  const workItem = id(++next);
  const assistant = tenant === 'A' ? X.assistantA : X.assistantS;
  const requester = tenant === 'A' ? X.requesterA : X.requesterS;
  await client.query(
    `INSERT INTO work_items (id, tenant_id, assistant_id, title, status)
     VALUES ($1, $2, $3, 'work', 'awaiting_approval')`,
    [workItem, X[tenant], assistant],
  );
  await client.query(
    `INSERT INTO approvals (id, tenant_id, work_item_id, title, risk_level, requested_by, approver_ids, expires_at)
     VALUES ($1, $2, $3, 'approval', 2, $4, $5::uuid[], ${expires})`,
    [approval, X[tenant], workItem, requester, `{${approvers.join(',')}}`],
  );
  return { approval, workItem };
}

export function actorIn(tenant: 'A' | 'S' | 'H', userId: string): MutationActor {
  const visible = tenant === 'H' ? [X.H, X.S] : [X[tenant]];
  return {
    userId,
    tenantId: X[tenant],
    permissions: new Set(['approvals:decide', 'approvals:read', 'approvals:delegate']),
    visibleTenantIds: visible,
  };
}

/**
 * Opens a transaction as outpost_app for `actor` on `client` and runs approval.decide in it, without
 * committing (the caller commits or rolls back): a client of the write API, as the server runs it.
 */
export async function decideInOpenTransaction(
  client: pg.ClientBase,
  actor: MutationActor,
  approval: string,
  decision: 'approve' | 'reject',
  mutationId: string,
): Promise<AppliedMutation> {
  const catalog = await loadWriteCatalog(client);
  await beginTenantTransaction(client, { tenantId: actor.tenantId, userId: actor.userId });
  return prepareMutation(
    {
      id: mutationId,
      name: 'approval.decide',
      key: { id: approval },
      values: decision === 'reject' ? { decision, reason: 'no' } : { decision },
    },
    { actor, catalog },
  ).run(client);
}
