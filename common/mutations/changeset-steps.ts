/**
 * common/mutations/changeset-steps.ts: the steps every changeset operation shares: lock the changeset,
 * ask its lifecycle for a move, make the move, and describe a changed row for the audit log.
 *
 * Guarantees: a changeset that is not visible to the actor is 404 (never "forbidden", which would
 * tell that it exists); a move the lifecycle refuses is 409 `invalid_transition`, naming the states it
 * is allowed from (the 0050 trigger would refuse it with OP001 too); audit states never carry
 * server-only columns (WriteCatalog.publicState).
 */
import { OutpostError } from '../errors.ts';
import { changesetLifecycle, type ChangesetEvent, type ChangesetState } from '../lifecycles/changeset.ts';
import { nextState, REFUSED } from '../lifecycles/state-machine.ts';
import type { EntityChange, MutationContext } from './types.ts';
import { lockRow, type Row } from './named-operation.ts';
import { queryRows, textOf, type SqlQueryable } from './sql.ts';

export async function lockChangeset(sql: SqlQueryable, context: MutationContext, id: string): Promise<Row> {
  const locked = await lockRow(sql, context, 'workspace_changesets', id);
  if (!locked) throw new OutpostError('not_found', `No changeset ${id} is visible to you.`);
  return locked.row;
}

/** The state `event` leads to from the changeset's state, or 409 invalid_transition. */
export function transition(changeset: Row, event: ChangesetEvent): ChangesetState {
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

export function changesetChange(
  context: MutationContext,
  action: string,
  before: Row | null,
  after: Row,
  metadata: Row = {},
): EntityChange {
  return {
    tenantId: textOf(after['tenant_id']),
    action: `changeset.${action}`,
    category: 'workspaces',
    entityType: 'workspace_changeset',
    entityId: textOf(after['id']),
    before: context.catalog.publicState('workspace_changesets', before),
    after: context.catalog.publicState('workspace_changesets', after),
    metadata: { title: after['title'], workspace_id: after['workspace_id'], ...metadata },
  };
}

/** A row of one of the workspace tables, created, changed or removed by a changeset operation. */
export function workspaceRowChange(
  context: MutationContext,
  table: string,
  entityType: string,
  action: string,
  before: Row | null,
  after: Row | null,
  metadata: Row = {},
): EntityChange {
  const row = (after ?? before) as Row;
  return {
    tenantId: textOf(row['tenant_id']),
    action: `${entityType}.${action}`,
    category: 'workspaces',
    entityType,
    entityId: textOf(row['id']),
    before: context.catalog.publicState(table, before),
    after: context.catalog.publicState(table, after),
    metadata,
  };
}

/** UPDATE workspace_changesets SET status (and who reviewed, why rejected); the trigger stamps times. */
export async function moveTo(
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
            reviewed_by = CASE WHEN $2::text IN ('approved', 'rejected') AND $3::uuid IS NOT NULL
                               THEN $3::uuid ELSE t.reviewed_by END,
            rejected_reason = CASE WHEN $2::text = 'rejected' THEN $4::text ELSE t.rejected_reason END
      WHERE t.id = $1
    RETURNING to_jsonb(t) AS row`,
    [id, status, reviewer, reason],
  );
  if (!updated) throw new OutpostError('not_found', `No changeset ${id} is visible to you.`);
  return updated.row;
}

/** The changeset's patches in apply order. */
export interface PatchRow {
  readonly id: string;
  readonly file_path: string;
  readonly operation: 'create' | 'modify' | 'delete';
  readonly unified_diff: string | null;
  readonly new_content: string | null;
  /** From workspace_patch_bases (0320); null for a patch written without one. */
  readonly base_sha256: string | null;
}

export async function patchesOf(sql: SqlQueryable, changeset: Row): Promise<PatchRow[]> {
  return queryRows<PatchRow>(
    sql,
    `SELECT p.id::text AS id, p.file_path, p.operation, p.unified_diff, p.new_content, b.base_sha256
       FROM workspace_patches p
       LEFT JOIN workspace_patch_bases b ON b.patch_id = p.id AND b.tenant_id = p.tenant_id
      WHERE p.changeset_id = $1 AND p.tenant_id = $2 ORDER BY p.position, p.created_at, p.id`,
    [changeset['id'], changeset['tenant_id']],
  );
}
