/**
 * common/mutations/changesets.ts: the workspace changeset lifecycle as named mutations.
 *
 *   changeset.submit  { key: { id } }                          draft ──► pending_review   changesets:submit
 *   changeset.review  { key: { id }, values: { decision,       pending_review ──► approved
 *                        reason? } }                                         └─► rejected changesets:review
 *   changeset.revise  { key: { id } }                          rejected ──► draft         changesets:write
 *   changeset.withdraw { key: { id } }         pending_review | approved ──► draft      changesets:submit
 *                                                                       (the author only)
 *   changeset.apply   { key: { id } }                          approved ──► applied       changesets:apply
 *                                                                       └─► rejected (conflicts)
 *   changeset.create, changeset.decide_hunk, changeset.comment, changeset.resolve_comment: below.
 *
 * Every operation locks the changeset (FOR UPDATE; not visible: 404) and asks common/lifecycles for
 * the move; a move the lifecycle refuses is 409 `invalid_transition` (the 0050 trigger would refuse it
 * with OP001 too). submit needs at least one patch; a rejection needs a reason; nobody reviews a
 * changeset they proposed (403 `forbidden`, reason own_changeset, as changeset.decide_hunk).
 *
 * changeset.apply is in changeset-apply.ts (base hashes, three-way merge, conflicts back to the
 * author); changeset.create in changeset-create.ts; per-hunk decisions in changeset-hunks.ts: an
 * approval narrows the patches to the hunks no reviewer rejected, in the same transaction.
 */
import { z } from 'zod';
import { OutpostError } from '../errors.ts';
import { CHANGESET_APPLY_OPERATIONS } from './changeset-apply.ts';
import { CHANGESET_CREATE_OPERATIONS } from './changeset-create.ts';
import { CHANGESET_COMMENT_OPERATIONS } from './changeset-comments.ts';
import { CHANGESET_HUNK_OPERATIONS, narrowToAcceptedHunks } from './changeset-hunks.ts';
import { changesetChange, lockChangeset, moveTo, transition } from './changeset-steps.ts';
import { byId, defineNamedOperation, noValues, reasonArg } from './named-operation.ts';
import { queryRows, textOf } from './sql.ts';

const submit = defineNamedOperation({
  name: 'changeset.submit',
  permission: 'changesets:submit',
  writes: ['workspace_changesets'],
  key: byId,
  values: noValues,
  async run({ key }, context, sql) {
    const before = await lockChangeset(sql, context, key.id);
    const to = transition(before, 'submit');
    const [count] = await queryRows<{ n: number }>(
      sql,
      `SELECT count(*)::int AS n FROM workspace_patches WHERE changeset_id = $1 AND tenant_id = $2`,
      [key.id, before['tenant_id']],
    );
    if ((count?.n ?? 0) === 0)
      throw new OutpostError(
        'validation',
        `Changeset ${key.id} has no patches; add one before submitting it.`,
      );
    const after = await moveTo(sql, key.id, to, null, null);
    return {
      result: { changeset_id: key.id, status: to },
      changes: [changesetChange(context, 'submitted', before, after, { patches: count?.n ?? 0 })],
    };
  },
});

const review = defineNamedOperation({
  name: 'changeset.review',
  permission: 'changesets:review',
  // An approval narrows patches to their accepted hunks (changeset-hunks.ts).
  writes: [
    'workspace_changesets',
    'workspace_patches',
    'workspace_patch_bases',
    'workspace_hunk_decisions',
    'workspace_changeset_comments',
  ],
  key: byId,
  values: z
    .strictObject({ decision: z.enum(['approve', 'reject']), reason: reasonArg.optional() })
    .refine((v) => v.decision === 'approve' || v.reason !== undefined, {
      message: 'a rejection needs a reason',
      path: ['reason'],
    }),
  async run({ key, values }, context, sql) {
    const before = await lockChangeset(sql, context, key.id);
    const to = transition(before, values.decision);
    if (textOf(before['proposed_by']).toLowerCase() === context.actor.userId.toLowerCase())
      throw new OutpostError('forbidden', `You proposed changeset ${key.id}; someone else reviews it.`, {
        reason: 'own_changeset',
      });
    const narrowed = values.decision === 'approve' ? await narrowToAcceptedHunks(sql, context, before) : [];
    const after = await moveTo(sql, key.id, to, context.actor.userId, values.reason ?? null);
    return {
      result: { changeset_id: key.id, status: to, narrowed_patches: narrowed.length },
      changes: [
        changesetChange(context, to, before, after, {
          decision: values.decision,
          ...(values.reason ? { reason: values.reason } : {}),
          ...(narrowed.length > 0 ? { narrowed_patches: narrowed.length } : {}),
        }),
        ...narrowed,
      ],
    };
  },
});

const revise = defineNamedOperation({
  name: 'changeset.revise',
  permission: 'changesets:write',
  writes: ['workspace_changesets'],
  key: byId,
  values: noValues,
  async run({ key }, context, sql) {
    const before = await lockChangeset(sql, context, key.id);
    const to = transition(before, 'revise');
    const after = await moveTo(sql, key.id, to, null, null);
    return {
      result: { changeset_id: key.id, status: to },
      changes: [changesetChange(context, 'revised', before, after)],
    };
  },
});

/** The author takes a changeset back before it is applied: a draft again, to change or leave. */
const withdraw = defineNamedOperation({
  name: 'changeset.withdraw',
  permission: 'changesets:submit',
  writes: ['workspace_changesets'],
  key: byId,
  values: noValues,
  async run({ key }, context, sql) {
    const before = await lockChangeset(sql, context, key.id);
    if (textOf(before['proposed_by']).toLowerCase() !== context.actor.userId.toLowerCase())
      throw new OutpostError('forbidden', `Only the author of changeset ${key.id} can withdraw it.`, {
        reason: 'not_own_changeset',
      });
    const to = transition(before, 'withdraw');
    const after = await moveTo(sql, key.id, to, null, null);
    return {
      result: { changeset_id: key.id, status: to },
      changes: [changesetChange(context, 'withdrawn', before, after)],
    };
  },
});

export const CHANGESET_OPERATIONS = [
  ...CHANGESET_CREATE_OPERATIONS,
  submit,
  review,
  revise,
  withdraw,
  ...CHANGESET_APPLY_OPERATIONS,
  ...CHANGESET_HUNK_OPERATIONS,
  ...CHANGESET_COMMENT_OPERATIONS,
] as const;
