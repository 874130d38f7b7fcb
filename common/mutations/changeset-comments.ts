/**
 * common/mutations/changeset-comments.ts: review comments on a changeset, a file of it, or a line.
 *
 *   changeset.comment          { key: { id }, values: { body, patch_id?, file_path?, line?, side?,
 *                                 hunk_id? } }                                        changesets:read
 *     the changeset is visible (else 404); the actor is its proposer or holds changesets:review
 *     (else 403: the author and the reviewers discuss a change); a patch must be one of the
 *     changeset's (its path is the comment's file); a line needs a file
 *     ─► INSERT workspace_changeset_comments (id derived from the mutation id, author the actor)
 *   changeset.resolve_comment  { key: { id }, values: { resolved? = true } }           changesets:read
 *     the comment is visible (else 404); the same people may resolve or reopen it
 *     ─► resolved, resolved_by, resolved_at (now, or all cleared when reopened)
 *
 * Guarantees: a comment's author is always the signed-in user; nobody edits another's comment (there
 * is no edit); row-level security keeps comments inside the tenant on the server (0322), and the
 * changeset lookup is scoped to the actor's visible tenants on both databases. Every write is an
 * audit event (workspace_changeset_comment.added / resolved / reopened).
 */
import { z } from 'zod';
import { OutpostError } from '../errors.ts';
import type { MutationContext } from './types.ts';
import {
  byId,
  defineNamedOperation,
  derivedIdSql,
  lockRow,
  textArg,
  uuidArg,
  type Row,
} from './named-operation.ts';
import { lockChangeset, patchesOf, workspaceRowChange } from './changeset-steps.ts';
import { HUNK_ID } from './changeset-hunks.ts';
import { queryRows, textOf } from './sql.ts';

/** The proposer of the changeset, or a reviewer: 403 for anyone else. */
function mayDiscuss(context: MutationContext, changeset: Row): void {
  const actor = context.actor.userId.toLowerCase();
  const proposer = changeset['proposed_by'] ? textOf(changeset['proposed_by']).toLowerCase() : null;
  if (proposer !== actor && !context.actor.permissions.has('changesets:review'))
    throw new OutpostError(
      'forbidden',
      `Only the author of changeset ${textOf(changeset['id'])} and its reviewers (changesets:review) discuss it.`,
      { permission: 'changesets:review' },
    );
}

const comment = defineNamedOperation({
  name: 'changeset.comment',
  permission: 'changesets:read',
  writes: ['workspace_changeset_comments'],
  key: byId,
  values: z
    .strictObject({
      body: textArg(10000).refine((s) => s.length > 0, 'a comment must not be blank'),
      patch_id: uuidArg.optional(),
      file_path: textArg(1000).optional(),
      line: z.number().int().min(1).max(10_000_000).optional(),
      side: z.enum(['old', 'new']).optional(),
      hunk_id: HUNK_ID.optional(),
    })
    .refine((v) => v.line === undefined || v.file_path !== undefined || v.patch_id !== undefined, {
      message: 'a line needs a file (file_path or patch_id)',
      path: ['line'],
    }),
  async run({ key, values, mutationId }, context, sql) {
    const changeset = await lockChangeset(sql, context, key.id);
    mayDiscuss(context, changeset);
    let path = values.file_path ?? null;
    if (values.patch_id !== undefined) {
      const patch = (await patchesOf(sql, changeset)).find((p) => p.id === values.patch_id);
      if (!patch) throw new OutpostError('not_found', `Changeset ${key.id} has no patch ${values.patch_id}.`);
      path = patch.file_path;
    }
    const [added] = await queryRows<{ row: Row }>(
      sql,
      `INSERT INTO workspace_changeset_comments AS t (id, tenant_id, changeset_id, patch_id, file_path, line, side,
              hunk_id, body, author_id)
       VALUES (${derivedIdSql('$1', "'comment'")}, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING to_jsonb(t) AS row`,
      [
        mutationId,
        changeset['tenant_id'],
        key.id,
        values.patch_id ?? null,
        path,
        values.line ?? null,
        values.side ?? 'new',
        values.hunk_id ?? null,
        values.body,
        context.actor.userId,
      ],
    );
    if (!added) throw new Error('insert into workspace_changeset_comments returned no row');
    return {
      result: { changeset_id: key.id, comment_id: textOf(added.row['id']) },
      changes: [
        workspaceRowChange(
          context,
          'workspace_changeset_comments',
          'workspace_changeset_comment',
          'added',
          null,
          added.row,
          { changeset_id: key.id, path, line: values.line ?? null },
        ),
      ],
    };
  },
});

const resolveComment = defineNamedOperation({
  name: 'changeset.resolve_comment',
  permission: 'changesets:read',
  writes: ['workspace_changeset_comments'],
  key: byId,
  values: z.strictObject({ resolved: z.boolean().optional() }),
  async run({ key, values }, context, sql) {
    const locked = await lockRow(sql, context, 'workspace_changeset_comments', key.id);
    if (!locked) throw new OutpostError('not_found', `No comment ${key.id} is visible to you.`);
    const before = locked.row;
    const changeset = await lockChangeset(sql, context, textOf(before['changeset_id']));
    mayDiscuss(context, changeset);
    const resolved = values.resolved ?? true;
    const [after] = await queryRows<{ row: Row }>(
      sql,
      `UPDATE workspace_changeset_comments AS t
          SET resolved = $2, resolved_by = CASE WHEN $2 THEN $3::uuid END,
              resolved_at = CASE WHEN $2 THEN now() END, updated_at = now()
        WHERE t.id = $1 RETURNING to_jsonb(t) AS row`,
      [key.id, resolved, context.actor.userId],
    );
    if (!after) throw new OutpostError('not_found', `No comment ${key.id} is visible to you.`);
    return {
      result: { comment_id: key.id, resolved },
      changes: [
        workspaceRowChange(
          context,
          'workspace_changeset_comments',
          'workspace_changeset_comment',
          resolved ? 'resolved' : 'reopened',
          before,
          after.row,
          { changeset_id: textOf(before['changeset_id']) },
        ),
      ],
    };
  },
});

export const CHANGESET_COMMENT_OPERATIONS = [comment, resolveComment] as const;
