/**
 * common/mutations/workspace-runs.ts: a person asks for a run of record in a workspace.
 *
 *   workspace_run.request  { values: { workspace_id, run_type, changeset_id? } }     workspaces:write
 *     permission first ─► strict arguments ─► the workspace is visible (else 404) ─► the changeset,
 *     when given, is visible and belongs to that workspace (else 404 / 400)
 *     ─► INSERT workspace_runs (queued, started_by the actor), id derived from the mutation id
 *     result { run_id }
 *
 * A person cancels a queued or running run with `workspace_run.transition { event: 'cancel' }`
 * (transitions.ts: the lifecycle allows cancel only from queued and running). Every other move is the
 * server's runner (sync-server/workspaces/run-worker.ts); artifacts are written by the runner only (no
 * write rule in common/sync/rules.ts, and no operation writes them).
 *
 * Guarantees: the run's id comes from the mutation id, so the optimistic local row is the server's and
 * a replayed mutation cannot make a second run (the server answers a replay from its idempotency
 * record; a replay that reached the SQL would hit the primary key).
 */
import { z } from 'zod';
import { OutpostError } from '../errors.ts';
import { toPgArrayLiteral } from '../sync/pg-array-literal.ts';
import { workspaceRowChange } from './changeset-steps.ts';
import { defineNamedOperation, derivedIdSql, uuidArg, type Row } from './named-operation.ts';
import { queryRows, textOf } from './sql.ts';

export const WORKSPACE_RUN_TYPES = ['sdf_validate', 'jest_test', 'suiteql_assertion'] as const;
export type WorkspaceRunType = (typeof WORKSPACE_RUN_TYPES)[number];

const request = defineNamedOperation({
  name: 'workspace_run.request',
  permission: 'workspaces:write',
  writes: ['workspace_runs'],
  key: z.strictObject({}),
  values: z.strictObject({
    workspace_id: uuidArg,
    run_type: z.enum(WORKSPACE_RUN_TYPES),
    changeset_id: uuidArg.optional(),
  }),
  async run({ values: v, mutationId }, context, sql) {
    const visible = toPgArrayLiteral(context.actor.visibleTenantIds);
    const [workspace] = await queryRows<{ tenant_id: string }>(
      sql,
      `SELECT tenant_id::text AS tenant_id FROM workspaces WHERE id = $1 AND tenant_id = ANY ($2::uuid[])`,
      [v.workspace_id, visible],
    );
    if (!workspace) throw new OutpostError('not_found', `No workspace ${v.workspace_id} is visible to you.`);
    if (v.changeset_id !== undefined) {
      const [changeset] = await queryRows<{ workspace_id: string }>(
        sql,
        `SELECT workspace_id::text AS workspace_id FROM workspace_changesets
          WHERE id = $1 AND tenant_id = ANY ($2::uuid[])`,
        [v.changeset_id, visible],
      );
      if (!changeset)
        throw new OutpostError('not_found', `No changeset ${v.changeset_id} is visible to you.`);
      if (changeset.workspace_id !== v.workspace_id)
        throw new OutpostError(
          'validation',
          `Changeset ${v.changeset_id} belongs to another workspace; run it in its own workspace.`,
        );
    }
    const [inserted] = await queryRows<{ row: Row }>(
      sql,
      `INSERT INTO workspace_runs AS t (id, tenant_id, workspace_id, changeset_id, run_type, status, started_by)
       VALUES (${derivedIdSql('$1', "'run'")}, $2, $3, $4, $5, 'queued', $6)
       RETURNING to_jsonb(t) AS row`,
      [
        mutationId,
        workspace.tenant_id,
        v.workspace_id,
        v.changeset_id ?? null,
        v.run_type,
        context.actor.userId,
      ],
    );
    if (!inserted) throw new Error('insert into workspace_runs returned no row');
    return {
      result: { run_id: textOf(inserted.row['id']) },
      changes: [
        workspaceRowChange(context, 'workspace_runs', 'workspace_run', 'requested', null, inserted.row, {
          workspace_id: v.workspace_id,
          run_type: v.run_type,
        }),
      ],
    };
  },
});

export const WORKSPACE_RUN_OPERATIONS = [request] as const;
