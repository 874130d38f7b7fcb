/**
 * common/mutations/approvals.ts: `approval.decide`, one approver's decision, counted towards the
 * approval's quorum. (Delegations: delegations.ts.)
 *
 *   approval.decide  { key: { id }, values: { decision: 'approve' | 'reject', reason? } }
 *     lock the approval (FOR UPDATE; not visible: 404)
 *       ─► already approved / rejected / expired, or past its expires_at: 409 conflict
 *       ─► the actor requested it: 403 (nobody decides their own request, not as a delegate either)
 *       ─► authority at decision time (the database's now(); approval-authority.ts): an approver, or
 *          the delegate of one; neither: 403, or 409 when the actor was an approver before the
 *          server escalated the approval away from them (context.escalated_from)
 *       ─► the actor, or the approver they decide for, decided already: 409 conflict
 *       ─► INSERT approval_decisions (id derived from the mutation id)
 *       ─► reject: the approval is rejected at once; approve: it is approved when the distinct
 *          approvers who approved reach the quorum (approval_policies), else it stays open
 *       ─► a decided approval moves its work item (work-item-outcome.ts)
 *     result { approval_id, status, decided_by, delegation_id, decision_id, approvals, required }:
 *       `status` is the approval's status after the decision (pending / escalated while the quorum is
 *       not reached), `approvals` the distinct approvers who approved so far, `required` the quorum.
 *
 * Guarantees: needs approvals:decide; a rejection needs a non-blank reason (400). Concurrent decisions
 * of one approval serialise on its row lock: the second sees the first's decision (a conflict when
 * the approval is decided, or when it is the same approver). The same SQL runs optimistically on a
 * client's PGlite; the database's rules (0050 lifecycle, 0303 decision rules) apply on both.
 */
import { z } from 'zod';
import { OutpostError } from '../errors.ts';
import { approvalLifecycle, type ApprovalEvent, type ApprovalState } from '../lifecycles/approval.ts';
import { nextState, REFUSED } from '../lifecycles/state-machine.ts';
import {
  approvalsCounted,
  authorityOf,
  decisionsOf,
  requiredApprovals,
  validDelegation,
} from './approval-authority.ts';
import { DELEGATION_OPERATIONS } from './delegations.ts';
import type { EntityChange } from './types.ts';
import { byId, defineNamedOperation, derivedIdSql, lockRow, reasonArg, type Row } from './named-operation.ts';
import { queryRows, textOf, type SqlQueryable } from './sql.ts';
import { followApprovalOutcome } from './work-item-outcome.ts';

const decision = z
  .strictObject({ decision: z.enum(['approve', 'reject']), reason: reasonArg.optional() })
  .refine((v) => v.decision === 'approve' || v.reason !== undefined, {
    message: 'a rejection needs a reason',
    path: ['reason'],
  });

const EVENT_OF = { approve: 'approve', reject: 'reject' } as const satisfies Record<string, ApprovalEvent>;

const ids = (value: unknown): string[] => ((value as string[] | null) ?? []).map((a) => a.toLowerCase());

/** A person's display name (full name, else email), or null. */
async function personName(sql: SqlQueryable, id: unknown): Promise<string | null> {
  if (id === null || id === undefined) return null;
  const [found] = await queryRows<{ name: string }>(
    sql,
    `SELECT coalesce(nullif(btrim(full_name), ''), email) AS name FROM users WHERE id = $1::uuid`,
    [textOf(id)],
  );
  return found?.name ?? null;
}

const decide = defineNamedOperation({
  name: 'approval.decide',
  permission: 'approvals:decide',
  writes: ['approvals', 'approval_decisions', 'work_items'],
  key: byId,
  values: decision,
  async run({ key, values, mutationId }, context, sql) {
    const actor = context.actor.userId.toLowerCase();
    const locked = await lockRow(sql, context, 'approvals', key.id, `t.expires_at <= now() AS past_expiry`);
    if (!locked) throw new OutpostError('not_found', `No approval ${key.id} is visible to you.`);
    const before = locked.row;
    const status = before['status'] as ApprovalState;
    // Refusals name the approval by its title and people by name (the user reads them), ids and
    // times go into details.
    const title = `“${textOf(before['title'])}”`;
    if (nextState(approvalLifecycle, status, EVENT_OF[values.decision]) === REFUSED) {
      const by = await personName(sql, before['approved_by']);
      throw new OutpostError(
        'conflict',
        `${title} was already ${status}${by ? ` by ${by}` : ''}; decisions are final.`,
        {
          status,
          decided_by: before['approved_by'] ?? null,
          decided_at: before['approved_at'] ? textOf(before['approved_at']) : null,
        },
      );
    }
    if (locked['past_expiry'] === true)
      throw new OutpostError('conflict', `${title} has expired; it can no longer be decided.`, {
        status: 'expired',
        expires_at: textOf(before['expires_at']),
      });
    const requester = before['requested_by'] ? textOf(before['requested_by']).toLowerCase() : null;
    if (requester === actor)
      throw new OutpostError(
        'forbidden',
        `You asked for ${title} yourself; someone else must decide it (nobody approves their own request).`,
        { reason: 'own_request' },
      );
    const approvers = ids(before['approver_ids']);
    const riskLevel = Number(before['risk_level']);
    const direct = approvers.includes(actor);
    const delegation = direct ? null : await validDelegation(sql, context, approvers, riskLevel, requester);
    if (!direct && !delegation) {
      const escalatedFrom = ids((before['context'] as Row | null)?.['escalated_from'] ?? null);
      if (escalatedFrom.includes(actor))
        throw new OutpostError(
          'conflict',
          `${title} was escalated to other approvers (escalation ${textOf(before['escalation_count'])}) and is no longer yours to decide.`,
          { status, reason: 'escalated' },
        );
      throw new OutpostError(
        'forbidden',
        `You are not an approver of ${title} and hold no delegation from one of its approvers that is valid now for risk level ${riskLevel}.`,
      );
    }
    const authority = delegation ? delegation.delegator_id.toLowerCase() : actor;
    const earlier = await decisionsOf(sql, key.id);
    const repeated = earlier.find(
      (d) => d.decided_by.toLowerCase() === actor || authorityOf(d) === authority,
    );
    if (repeated)
      throw new OutpostError(
        'conflict',
        repeated.decided_by.toLowerCase() === actor
          ? `You already ${repeated.decision === 'approve' ? 'approved' : 'rejected'} ${title}; a decision cannot be repeated or changed.`
          : `The approver you decide for already ${repeated.decision === 'approve' ? 'approved' : 'rejected'} ${title}.`,
        { status, reason: 'already_decided' },
      );

    const [recorded] = await queryRows<{ row: Row }>(
      sql,
      `INSERT INTO approval_decisions AS t
              (id, tenant_id, approval_id, decided_by, on_behalf_of, delegation_id, decision, reason, decided_at)
       VALUES (${derivedIdSql('$1', "'decision'")}, $2, $3, $4, $5, $6, $7, $8, now())
       RETURNING to_jsonb(t) AS row`,
      [
        mutationId,
        textOf(before['tenant_id']),
        key.id,
        actor,
        delegation?.delegator_id ?? null,
        delegation?.id ?? null,
        values.decision,
        values.reason ?? null,
      ],
    );
    if (!recorded) throw new Error('insert into approval_decisions returned no row');
    const decisionId = textOf(recorded.row['id']);
    const required = await requiredApprovals(sql, textOf(before['tenant_id']), riskLevel);
    const approvals = approvalsCounted([
      ...earlier,
      { decided_by: actor, on_behalf_of: delegation?.delegator_id ?? null, decision: values.decision },
    ]);
    const newStatus = values.decision === 'reject' ? 'rejected' : approvals >= required ? 'approved' : status;

    const changes: EntityChange[] = [];
    const decisionChange: EntityChange = {
      tenantId: textOf(before['tenant_id']),
      action: 'approval_decision.recorded',
      category: 'approvals',
      entityType: 'approval_decision',
      entityId: decisionId,
      before: null,
      after: context.catalog.publicState('approval_decisions', recorded.row),
      metadata: { approval_id: key.id, approvals, required },
    };
    if (newStatus !== status) {
      const underDelegation = delegation
        ? { decided_under_delegation: delegation.id, on_behalf_of: delegation.delegator_id }
        : {};
      const [updated] = await queryRows<{ row: Row }>(
        sql,
        `UPDATE approvals AS t
            SET status = $2::text, approved_by = $3::uuid,
                rejected_reason = CASE WHEN $2::text = 'rejected' THEN $4::text ELSE t.rejected_reason END,
                context = coalesce(t.context, '{}'::jsonb) || $5::jsonb
          WHERE t.id = $1
        RETURNING to_jsonb(t) AS row`,
        [key.id, newStatus, actor, values.reason ?? null, JSON.stringify(underDelegation)],
      );
      if (!updated) throw new OutpostError('not_found', `No approval ${key.id} is visible to you.`);
      changes.push({
        tenantId: textOf(before['tenant_id']),
        action: `approval.${newStatus}`,
        category: 'approvals',
        entityType: 'approval',
        entityId: key.id,
        before: context.catalog.publicState('approvals', before),
        after: context.catalog.publicState('approvals', updated.row),
        metadata: {
          decision: values.decision,
          approvals,
          required,
          ...(values.reason ? { reason: values.reason } : {}),
          ...(delegation ? { delegation_id: delegation.id, on_behalf_of: delegation.delegator_id } : {}),
        },
      });
      changes.push(decisionChange);
      const workItem = await followApprovalOutcome(
        sql,
        context.catalog,
        updated.row,
        newStatus as 'approved' | 'rejected',
      );
      if (workItem) changes.push(workItem);
    } else changes.push(decisionChange);
    return {
      result: {
        approval_id: key.id,
        status: newStatus,
        decided_by: actor,
        delegation_id: delegation?.id ?? null,
        decision_id: decisionId,
        approvals,
        required,
      },
      changes,
    };
  },
});

export const APPROVAL_OPERATIONS = [decide, ...DELEGATION_OPERATIONS] as const;
