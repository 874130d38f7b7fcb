/**
 * common/queries/workspace-runs.ts: what the runs panel of the workspace editor reads (live on the
 * client; renderer/workspaces/RunsPanel.tsx).
 *
 *   workspaces.runs { workspaceId, tenantId?, limit? }
 *     the runs of one workspace, newest first: type, state, who asked for it (by name), the changeset's
 *     title when it ran one, when it was asked for, started and finished, and its summary. Needs
 *     workspaces:read.
 *   workspaces.runArtifacts { runId, tenantId? }
 *     the artifacts of one run (stdout, stderr, report) with content, size and SHA-256, in that
 *     order. Needs workspaces:read.
 *
 * Guarantees: every statement is limited to the reader's visible tenants (tenantCondition).
 */
import { z } from 'zod';
import { toPgArrayLiteral } from '../sync/pg-array-literal.ts';
import {
  defineQuery,
  limitParam,
  personName,
  tenantCondition,
  tenantScopeParam,
  uuidParam,
} from './query.ts';

export interface WorkspaceRunRow {
  readonly id: string;
  readonly run_type: string;
  readonly status: string;
  readonly started_by: string | null;
  readonly starter_name: string | null;
  readonly changeset_title: string | null;
  readonly summary: Record<string, unknown> | null;
  readonly created_at: string;
  readonly started_at: string | null;
  readonly finished_at: string | null;
}

export const workspaceRuns = defineQuery<WorkspaceRunRow>()({
  name: 'workspaces.runs',
  permission: 'workspaces:read',
  params: z.strictObject({ workspaceId: uuidParam, tenantId: tenantScopeParam, limit: limitParam(200, 50) }),
  reads: ['workspace_runs', 'workspace_changesets', 'users'],
  statement: ({ workspaceId, tenantId, limit }, reader) => ({
    text: `
      SELECT r.id::text AS id, r.run_type, r.status, r.started_by::text AS started_by,
             ${personName('u')} AS starter_name, c.title AS changeset_title, r.summary,
             r.created_at, r.started_at, r.finished_at
        FROM workspace_runs r
        LEFT JOIN users u ON u.id = r.started_by
        LEFT JOIN workspace_changesets c ON c.id = r.changeset_id
       WHERE r.workspace_id = $1::uuid AND ${tenantCondition('r', 2)}
       ORDER BY r.created_at DESC, r.id
       LIMIT $4`,
    params: [workspaceId, toPgArrayLiteral(reader.visibleTenantIds), tenantId, limit],
  }),
});

export interface WorkspaceArtifactRow {
  readonly id: string;
  readonly artifact_type: 'stdout' | 'stderr' | 'report';
  readonly content: string | null;
  readonly content_type: string | null;
  readonly size_bytes: number | null;
  readonly sha256: string | null;
}

export const workspaceRunArtifacts = defineQuery<WorkspaceArtifactRow>()({
  name: 'workspaces.runArtifacts',
  permission: 'workspaces:read',
  params: z.strictObject({ runId: uuidParam, tenantId: tenantScopeParam }),
  reads: ['workspace_artifacts'],
  statement: ({ runId, tenantId }, reader) => ({
    text: `
      SELECT a.id::text AS id, a.artifact_type, a.content, a.content_type, a.size_bytes::int AS size_bytes, a.sha256
        FROM workspace_artifacts a
       WHERE a.run_id = $1::uuid AND ${tenantCondition('a', 2)}
       ORDER BY array_position(ARRAY['stdout', 'stderr', 'report']::text[], a.artifact_type::text), a.id`,
    params: [runId, toPgArrayLiteral(reader.visibleTenantIds), tenantId],
  }),
});
