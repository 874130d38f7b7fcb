/**
 * common/mutations/changesets.ts: the workspace changeset lifecycle as named mutations.
 *
 *   changeset.submit  { key: { id } }                          draft ──► pending_review   changesets:submit
 *   changeset.review  { key: { id }, values: { decision,       pending_review ──► approved
 *                        reason? } }                                         └─► rejected changesets:review
 *   changeset.revise  { key: { id } }                          rejected ──► draft         changesets:write
 *   changeset.apply   { key: { id } }                          approved ──► applied       changesets:apply
 *
 * Every operation locks the changeset (FOR UPDATE; not visible: 404) and asks common/lifecycles for
 * the move; a move the lifecycle refuses is 409 `invalid_transition` (the 0050 trigger would refuse it
 * with OP001 too). submit needs at least one patch; a rejection needs a reason.
 *
 * apply writes the patches, in `position` order, into the workspace's files: `create` inserts the file
 * (it must not exist), `modify` and `delete` need the file, and when the patch has a unified diff it
 * must still apply to the file's current content (jsdiff, no fuzz): a file changed since the
 * changeset was made is a 409 conflict (revise the changeset). A created file's id is derived from the
 * mutation id and the patch id, so the client's optimistic file is the server's. Deploying to NetSuite
 * is a separate job.
 */
import { applyPatch } from 'diff';
import { z } from 'zod';
import { OutpostError } from '../errors.ts';
import { changesetLifecycle, type ChangesetEvent, type ChangesetState } from '../lifecycles/changeset.ts';
import { nextState, REFUSED } from '../lifecycles/state-machine.ts';
import type { EntityChange, MutationContext } from './types.ts';
import {
  byId,
  defineNamedOperation,
  derivedIdSql,
  lockRow,
  noValues,
  reasonArg,
  type Row,
} from './named-operation.ts';
import { queryRows, textOf, type SqlQueryable } from './sql.ts';

async function lockChangeset(sql: SqlQueryable, context: MutationContext, id: string): Promise<Row> {
  const locked = await lockRow(sql, context, 'workspace_changesets', id);
  if (!locked) throw new OutpostError('not_found', `No changeset ${id} is visible to you.`);
  return locked.row;
}

/** The state `event` leads to from the changeset's state, or 409 invalid_transition. */
function transition(changeset: Row, event: ChangesetEvent): ChangesetState {
  const from = changeset['status'] as ChangesetState;
  const to = nextState(changesetLifecycle, from, event);
  if (to === REFUSED) {
    const allowedFrom = changesetLifecycle.states.filter(
      (s) => nextState(changesetLifecycle, s, event) !== REFUSED,
    );
    throw new OutpostError(
      'invalid_transition',
      `Changeset ${textOf(changeset['id'])} is ${from}; ${event} is allowed only from ${allowedFrom.join(' or ')}.`,
      { from, event },
    );
  }
  return to;
}

function changesetChange(
  context: MutationContext,
  action: string,
  before: Row,
  after: Row,
  metadata: Row = {},
): EntityChange {
  return {
    tenantId: textOf(before['tenant_id']),
    action: `changeset.${action}`,
    category: 'workspaces',
    entityType: 'workspace_changeset',
    entityId: textOf(before['id']),
    before: context.catalog.publicState('workspace_changesets', before),
    after: context.catalog.publicState('workspace_changesets', after),
    metadata: { title: before['title'], workspace_id: before['workspace_id'], ...metadata },
  };
}

/** UPDATE workspace_changesets SET status (and the given extra assignments); the trigger stamps times. */
async function moveTo(
  sql: SqlQueryable,
  id: string,
  status: ChangesetState,
  reviewer: string | null,
  reason: string | null,
): Promise<Row> {
  const [updated] = await queryRows<{ row: Row }>(
    sql,
    `UPDATE workspace_changesets AS t
        SET status = $2::text,
            reviewed_by = CASE WHEN $2::text IN ('approved', 'rejected') THEN $3::uuid ELSE t.reviewed_by END,
            rejected_reason = CASE WHEN $2::text = 'rejected' THEN $4::text ELSE t.rejected_reason END
      WHERE t.id = $1
    RETURNING to_jsonb(t) AS row`,
    [id, status, reviewer, reason],
  );
  if (!updated) throw new OutpostError('not_found', `No changeset ${id} is visible to you.`);
  return updated.row;
}

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
  writes: ['workspace_changesets'],
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
    const after = await moveTo(sql, key.id, to, context.actor.userId, values.reason ?? null);
    return {
      result: { changeset_id: key.id, status: to },
      changes: [
        changesetChange(context, to, before, after, {
          decision: values.decision,
          ...(values.reason ? { reason: values.reason } : {}),
        }),
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

interface Patch {
  id: string;
  file_path: string;
  operation: 'create' | 'modify' | 'delete';
  unified_diff: string | null;
  new_content: string | null;
}

const conflict = (changeset: string, message: string) =>
  new OutpostError('conflict', `Changeset ${changeset} cannot be applied: ${message}`);

/** Writes one patch into the workspace's files; returns the file's change. */
async function applyOne(
  sql: SqlQueryable,
  context: MutationContext,
  mutationId: string,
  changeset: Row,
  patch: Patch,
): Promise<EntityChange> {
  const changesetId = textOf(changeset['id']);
  const tenant = textOf(changeset['tenant_id']);
  const workspace = textOf(changeset['workspace_id']);
  const [current] = await queryRows<{ row: Row }>(
    sql,
    `SELECT to_jsonb(t) AS row FROM workspace_files t
      WHERE t.workspace_id = $1 AND t.tenant_id = $2 AND t.path = $3 FOR UPDATE`,
    [workspace, tenant, patch.file_path],
  );
  const change = (action: string, before: Row | null, after: Row | null): EntityChange => ({
    tenantId: tenant,
    action: `workspace_file.${action}`,
    category: 'workspaces',
    entityType: 'workspace_file',
    entityId: textOf((after ?? before)?.['id']),
    before: context.catalog.publicState('workspace_files', before),
    after: context.catalog.publicState('workspace_files', after),
    metadata: { changeset_id: changesetId, patch_id: patch.id, path: patch.file_path },
  });
  if (patch.operation === 'create') {
    if (current) throw conflict(changesetId, `it creates ${patch.file_path}, which already exists.`);
    const [inserted] = await queryRows<{ row: Row }>(
      sql,
      `INSERT INTO workspace_files AS t (id, tenant_id, workspace_id, path, content)
       VALUES (${derivedIdSql('$5', '$6')}, $1, $2, $3, $4) RETURNING to_jsonb(t) AS row`,
      [tenant, workspace, patch.file_path, patch.new_content ?? '', mutationId, patch.id],
    );
    if (!inserted) throw new Error('insert into workspace_files returned no row');
    return change('created', null, inserted.row);
  }
  if (!current) throw conflict(changesetId, `${patch.file_path} no longer exists in the workspace.`);
  const content = typeof current.row['content'] === 'string' ? current.row['content'] : '';
  const patched = patch.unified_diff ? applyPatch(content, patch.unified_diff) : null;
  if (patched === false)
    throw conflict(
      changesetId,
      `${patch.file_path} changed since the changeset was made; revise it against the current file.`,
    );
  if (patch.operation === 'delete') {
    const [deleted] = await queryRows<{ row: Row }>(
      sql,
      `DELETE FROM workspace_files AS t WHERE t.id = $1 RETURNING to_jsonb(t) AS row`,
      [current.row['id']],
    );
    if (!deleted) throw new Error('delete from workspace_files returned no row');
    return change('deleted', deleted.row, null);
  }
  const next = patch.new_content ?? patched;
  if (next === null)
    throw new OutpostError(
      'validation',
      `Patch ${patch.id} of changeset ${changesetId} has neither new content nor a diff.`,
    );
  const [updated] = await queryRows<{ row: Row }>(
    sql,
    `UPDATE workspace_files AS t SET content = $2, updated_at = now() WHERE t.id = $1 RETURNING to_jsonb(t) AS row`,
    [current.row['id'], next],
  );
  if (!updated) throw new Error('update of workspace_files returned no row');
  return change('modified', current.row, updated.row);
}

const apply = defineNamedOperation({
  name: 'changeset.apply',
  permission: 'changesets:apply',
  writes: ['workspace_changesets', 'workspace_files'],
  key: byId,
  values: noValues,
  async run({ key, mutationId }, context, sql) {
    const before = await lockChangeset(sql, context, key.id);
    const to = transition(before, 'apply');
    const patches = await queryRows<Patch>(
      sql,
      `SELECT id::text AS id, file_path, operation, unified_diff, new_content FROM workspace_patches
        WHERE changeset_id = $1 AND tenant_id = $2 ORDER BY position, created_at, id`,
      [key.id, before['tenant_id']],
    );
    const fileChanges: EntityChange[] = [];
    for (const patch of patches) fileChanges.push(await applyOne(sql, context, mutationId, before, patch));
    const after = await moveTo(sql, key.id, to, null, null);
    const count = (op: string) => patches.filter((p) => p.operation === op).length;
    const files = { created: count('create'), modified: count('modify'), deleted: count('delete') };
    return {
      result: { changeset_id: key.id, status: to, files },
      changes: [changesetChange(context, 'applied', before, after, { files }), ...fileChanges],
    };
  },
});

export const CHANGESET_OPERATIONS = [submit, review, revise, apply] as const;
