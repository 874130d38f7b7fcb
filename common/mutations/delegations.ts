/**
 * common/mutations/delegations.ts: `delegation.create` and `delegation.revoke`, handing one's approval
 * authority to a colleague for a bounded period, and taking it back.
 *
 *   delegation.create  { key?: { id }, values: { delegate_id, starts_at?, ends_at, risk_levels?, reason? } }
 *     the delegator is always the actor, the tenant always the actor's own; the delegate must be an
 *     active user of that tenant (404 / 400) other than the actor (400); the period must end after it
 *     starts, in the future, and at most MAX_DELEGATION_DAYS (90) days after it starts (400); the actor
 *     must hold approvals:decide through their own roles (403): authority held only by delegation
 *     cannot be delegated again. Without key.id the id is derived from the mutation id.
 *     result { delegation_id }
 *
 *   delegation.revoke  { key: { id }, values: { reason? } }
 *     only the delegator revokes (403 for anyone else, 404 when not visible); an inactive delegation
 *     is a 409; sets is_active false (delegations have no lifecycle: is_active is their only state).
 *     result { delegation_id, is_active: false }
 *
 * A delegation is used only by approval.decide (approval-authority.ts): for approvals whose approvers
 * include the delegator, within its window and risk levels, never for the delegator's own requests.
 * The database repeats the rules (0012: not to oneself; 0050: both users in the tenant; 0303: the
 * 90-day window, and decisions only under a delegation from a direct approver).
 */
import { z } from 'zod';
import { OutpostError } from '../errors.ts';
import { toPgArrayLiteral } from '../sync/pg-array-literal.ts';
import {
  byId,
  defineNamedOperation,
  derivedIdSql,
  lockRow,
  textArg,
  uuidArg,
  type Row,
} from './named-operation.ts';
import { queryRows, textOf } from './sql.ts';

/** The longest delegation window, in days (the database's CHECK says 2160 hours). */
export const MAX_DELEGATION_DAYS = 90;
const MAX_WINDOW_MS = MAX_DELEGATION_DAYS * 24 * 3600_000;

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
  })
  .refine(
    (v) => v.starts_at === undefined || Date.parse(v.ends_at) - Date.parse(v.starts_at) <= MAX_WINDOW_MS,
    { message: `a delegation lasts at most ${MAX_DELEGATION_DAYS} days`, path: ['ends_at'] },
  );

const createDelegation = defineNamedOperation({
  name: 'delegation.create',
  permission: 'approvals:delegate',
  writes: ['approval_delegations'],
  key: z.strictObject({ id: uuidArg.optional() }),
  values: delegationValues,
  check({ values }, context) {
    if (values.delegate_id === context.actor.userId.toLowerCase())
      throw new OutpostError('validation', 'You cannot delegate to yourself.', { field: 'delegate_id' });
    if (!context.actor.permissions.has('approvals:decide'))
      throw new OutpostError(
        'forbidden',
        'You have no approval authority of your own to delegate (authority held by delegation cannot be delegated again).',
        { permission: 'approvals:decide' },
      );
  },
  async run({ key, values, mutationId }, context, sql) {
    const [delegate] = await queryRows<{
      is_active: boolean | null;
      ends_in_future: boolean;
      within_window: boolean;
    }>(
      sql,
      `SELECT u.is_active, $3::timestamptz > now() AS ends_in_future,
              $3::timestamptz <= coalesce($4::timestamptz, now()) + interval '2160 hours' AS within_window
         FROM users u WHERE u.id = $1 AND u.tenant_id = $2`,
      [values.delegate_id, context.actor.tenantId, values.ends_at, values.starts_at ?? null],
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
    if (!delegate.within_window)
      throw new OutpostError('validation', `A delegation lasts at most ${MAX_DELEGATION_DAYS} days.`, {
        field: 'ends_at',
      });
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

const revokeDelegation = defineNamedOperation({
  name: 'delegation.revoke',
  permission: 'approvals:delegate',
  writes: ['approval_delegations'],
  key: byId,
  values: z.strictObject({ reason: textArg(1000).optional() }),
  async run({ key, values }, context, sql) {
    const locked = await lockRow(sql, context, 'approval_delegations', key.id);
    if (!locked) throw new OutpostError('not_found', `No delegation ${key.id} is visible to you.`);
    const before = locked.row;
    if (textOf(before['delegator_id']).toLowerCase() !== context.actor.userId.toLowerCase())
      throw new OutpostError('forbidden', `Only the delegator may revoke delegation ${key.id}.`);
    if (before['is_active'] !== true)
      throw new OutpostError('conflict', `Delegation ${key.id} is already revoked.`, { is_active: false });
    const [updated] = await queryRows<{ row: Row }>(
      sql,
      `UPDATE approval_delegations AS t SET is_active = false WHERE t.id = $1 RETURNING to_jsonb(t) AS row`,
      [key.id],
    );
    if (!updated) throw new OutpostError('not_found', `No delegation ${key.id} is visible to you.`);
    return {
      result: { delegation_id: key.id, is_active: false as const },
      changes: [
        {
          tenantId: textOf(before['tenant_id']),
          action: 'delegation.revoked',
          category: 'approvals',
          entityType: 'approval_delegation',
          entityId: key.id,
          before: context.catalog.publicState('approval_delegations', before),
          after: context.catalog.publicState('approval_delegations', updated.row),
          ...(values.reason ? { metadata: { reason: values.reason } } : {}),
        },
      ],
    };
  },
});

export const DELEGATION_OPERATIONS = [createDelegation, revokeDelegation] as const;
