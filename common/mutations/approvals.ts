/**
 * common/mutations/approvals.ts: the approval operations, `approval.decide` and `delegation.create`.
 *
 *   approval.decide  { key: { id }, values: { decision: 'approve' | 'reject', reason? } }
 *     lock the approval (FOR UPDATE; not visible: 404)
 *       ─► already approved / rejected / expired, or past its expires_at: 409 conflict
 *       ─► authority at decision time (the database's now()): the actor is in approver_ids, or holds a
 *          delegation from one of them that is active, has started, has not ended and covers the
 *          approval's risk level (risk_levels NULL: every level); neither: 403
 *       ─► UPDATE status, approved_by (the 0050 trigger stamps approved_at); a decision under a
 *          delegation is written into `context` (decided_under_delegation, on_behalf_of), as the seed does
 *
 *   delegation.create  { key?: { id }, values: { delegate_id, starts_at?, ends_at, risk_levels?, reason? } }
 *     the delegator is always the actor, the tenant always the actor's own; the delegate must be an
 *     active user of that tenant (404 / 400); the period must end after it starts and in the future.
 *     Without key.id the delegation's id is derived from the mutation id (the same on client and server).
 *
 * Guarantees: both need their permission (approvals:decide, approvals:delegate) on top of the checks
 * above; a rejection needs a non-blank reason (400, as the database's rule says). Concurrent decisions
 * of one approval serialise on its row lock: the second sees the first's decision and gets a conflict.
 */
import { z } from 'zod';
import { OutpostError } from '../errors.ts';
import { approvalLifecycle, type ApprovalEvent, type ApprovalState } from '../lifecycles/approval.ts';
import { nextState, REFUSED } from '../lifecycles/state-machine.ts';
import { toPgArrayLiteral } from '../sync/pg-array-literal.ts';
import type { EntityChange, MutationContext } from './types.ts';
import {
  byId,
  defineNamedOperation,
  derivedIdSql,
  lockRow,
  reasonArg,
  textArg,
  uuidArg,
  type Row,
} from './named-operation.ts';
import { queryRows, textOf, type SqlQueryable } from './sql.ts';

const decision = z
  .strictObject({ decision: z.enum(['approve', 'reject']), reason: reasonArg.optional() })
  .refine((v) => v.decision === 'approve' || v.reason !== undefined, {
    message: 'a rejection needs a reason',
    path: ['reason'],
  });

const EVENT_OF = { approve: 'approve', reject: 'reject' } as const satisfies Record<string, ApprovalEvent>;

interface Delegation {
  id: string;
  delegator_id: string;
}

/** A delegation that lets the actor decide for one of `approvers` now, at this risk level. */
async function validDelegation(
  sql: SqlQueryable,
  context: MutationContext,
  approvers: readonly string[],
  riskLevel: number,
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
      ORDER BY d.ends_at DESC, d.id
      LIMIT 1`,
    [
      context.actor.userId,
      toPgArrayLiteral(approvers),
      toPgArrayLiteral(context.actor.visibleTenantIds),
      String(riskLevel),
    ],
  );
  return found ?? null;
}

const decide = defineNamedOperation({
  name: 'approval.decide',
  permission: 'approvals:decide',
  writes: ['approvals'],
  key: byId,
  values: decision,
  async run({ key, values }, context, sql) {
    const locked = await lockRow(sql, context, 'approvals', key.id, `t.expires_at <= now() AS past_expiry`);
    if (!locked) throw new OutpostError('not_found', `No approval ${key.id} is visible to you.`);
    const before = locked.row;
    const status = before['status'] as ApprovalState;
    if (nextState(approvalLifecycle, status, EVENT_OF[values.decision]) === REFUSED)
      throw new OutpostError(
        'conflict',
        `Approval ${key.id} is already ${status}${before['approved_at'] ? ` (decided at ${textOf(before['approved_at'])})` : ''}; decisions are final.`,
        { status },
      );
    if (locked['past_expiry'] === true)
      throw new OutpostError(
        'conflict',
        `Approval ${key.id} expired at ${textOf(before['expires_at'])}; it can no longer be decided.`,
        { status: 'expired' },
      );
    const approvers = ((before['approver_ids'] as string[] | null) ?? []).map((a) => a.toLowerCase());
    const direct = approvers.includes(context.actor.userId.toLowerCase());
    const delegation = direct
      ? null
      : await validDelegation(sql, context, approvers, Number(before['risk_level']));
    if (!direct && !delegation)
      throw new OutpostError(
        'forbidden',
        `You are not an approver of approval ${key.id} and hold no delegation from one of its approvers that is valid now for risk level ${textOf(before['risk_level'])}.`,
      );
    const underDelegation = delegation
      ? { decided_under_delegation: delegation.id, on_behalf_of: delegation.delegator_id }
      : {};
    const newStatus = values.decision === 'approve' ? 'approved' : 'rejected';
    const [updated] = await queryRows<{ row: Row }>(
      sql,
      `UPDATE approvals AS t
          SET status = $2::text, approved_by = $3::uuid,
              rejected_reason = CASE WHEN $2::text = 'rejected' THEN $4::text ELSE t.rejected_reason END,
              context = coalesce(t.context, '{}'::jsonb) || $5::jsonb
        WHERE t.id = $1
      RETURNING to_jsonb(t) AS row`,
      [key.id, newStatus, context.actor.userId, values.reason ?? null, JSON.stringify(underDelegation)],
    );
    if (!updated) throw new OutpostError('not_found', `No approval ${key.id} is visible to you.`);
    const change: EntityChange = {
      tenantId: textOf(before['tenant_id']),
      action: `approval.${newStatus}`,
      category: 'approvals',
      entityType: 'approval',
      entityId: key.id,
      before: context.catalog.publicState('approvals', before),
      after: context.catalog.publicState('approvals', updated.row),
      metadata: {
        decision: values.decision,
        ...(values.reason ? { reason: values.reason } : {}),
        ...(delegation ? { delegation_id: delegation.id, on_behalf_of: delegation.delegator_id } : {}),
      },
    };
    return {
      result: {
        approval_id: key.id,
        status: newStatus,
        decided_by: context.actor.userId,
        delegation_id: delegation?.id ?? null,
      },
      changes: [change],
    };
  },
});

const isoTime = z.iso.datetime({ offset: true });

const delegationValues = z
  .strictObject({
    delegate_id: uuidArg,
    starts_at: isoTime.optional(),
    ends_at: isoTime,
    risk_levels: z
      .array(z.number().int().min(0).max(5))
      .min(1)
      .max(6)
      .refine((l) => new Set(l).size === l.length, 'risk levels must not repeat')
      .nullable()
      .optional(),
    reason: textArg(1000).optional(),
  })
  .refine((v) => v.starts_at === undefined || Date.parse(v.ends_at) > Date.parse(v.starts_at), {
    message: 'the delegation must end after it starts',
    path: ['ends_at'],
  });

const createDelegation = defineNamedOperation({
  name: 'delegation.create',
  permission: 'approvals:delegate',
  writes: ['approval_delegations'],
  key: z.strictObject({ id: uuidArg.optional() }),
  values: delegationValues,
  check({ values }, context) {
    if (values.delegate_id === context.actor.userId.toLowerCase())
      throw new OutpostError('validation', 'You cannot delegate to yourself.', { field: 'delegate_id' });
  },
  async run({ key, values, mutationId }, context, sql) {
    const [delegate] = await queryRows<{ is_active: boolean | null; ends_in_future: boolean }>(
      sql,
      `SELECT u.is_active, $3::timestamptz > now() AS ends_in_future
         FROM users u WHERE u.id = $1 AND u.tenant_id = $2`,
      [values.delegate_id, context.actor.tenantId, values.ends_at],
    );
    if (!delegate)
      throw new OutpostError('not_found', `No user ${values.delegate_id} in your tenant can be a delegate.`);
    if (delegate.is_active === false)
      throw new OutpostError(
        'validation',
        `User ${values.delegate_id} is deactivated and cannot be a delegate.`,
      );
    if (!delegate.ends_in_future)
      throw new OutpostError(
        'validation',
        'The delegation would already have ended: ends_at is in the past.',
        {
          field: 'ends_at',
        },
      );
    const [inserted] = await queryRows<{ row: Row }>(
      sql,
      `INSERT INTO approval_delegations AS t
              (id, tenant_id, delegator_id, delegate_id, risk_levels, starts_at, ends_at, reason, is_active)
       VALUES (coalesce($1::uuid, ${derivedIdSql('$9', "'delegation'")}), $2, $3, $4, $5::int[],
               coalesce($6::timestamptz, now()), $7, $8, true)
       RETURNING to_jsonb(t) AS row`,
      [
        key.id ?? null,
        context.actor.tenantId,
        context.actor.userId,
        values.delegate_id,
        values.risk_levels ? toPgArrayLiteral(values.risk_levels) : null,
        values.starts_at ?? null,
        values.ends_at,
        values.reason ?? null,
        mutationId,
      ],
    );
    if (!inserted) throw new Error('insert into approval_delegations returned no row');
    const id = textOf(inserted.row['id']);
    return {
      result: { delegation_id: id },
      changes: [
        {
          tenantId: context.actor.tenantId,
          action: 'delegation.created',
          category: 'approvals',
          entityType: 'approval_delegation',
          entityId: id,
          before: null,
          after: context.catalog.publicState('approval_delegations', inserted.row),
        },
      ],
    };
  },
});

export const APPROVAL_OPERATIONS = [decide, createDelegation] as const;
