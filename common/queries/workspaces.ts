/**
 * common/queries/workspaces.ts: what the workspace editor (renderer/workspaces/) reads.
 *
 *   workspaces.list { tenantId? }
 *     the workspaces of the reader's visible tenants (narrowed to `tenantId`), by name, with the
 *     tenant's name, the number of files and the last change. Needs workspaces:read.
 *   workspaces.files { workspaceId, tenantId? }
 *     the paths of one workspace's files (no content: the tree is built from the paths), by path,
 *     with each file's size in characters and its last change. Needs workspaces:read.
 *   workspaces.fileTexts { workspaceId, tenantId? }
 *     path and content of every file of one workspace, for local validation
 *     (common/workspaces/validate.ts). Needs workspaces:read.
 *   workspaces.changesets { workspaceId, tenantId?, limit? }
 *     the changesets of one workspace, newest first, with the author's name and the number of
 *     patches. Needs changesets:read.
 *
 * Guarantees: every statement is limited to the reader's visible tenants (tenantCondition), as every
 * named query is; a file's text is only read by fileTexts.
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

export interface WorkspaceRow {
  readonly id: string;
  readonly tenant_id: string;
  readonly tenant_name: string | null;
  readonly name: string;
  readonly description: string | null;
  readonly file_count: number;
  readonly updated_at: string;
}

export const workspacesList = defineQuery<WorkspaceRow>()({
  name: 'workspaces.list',
  permission: 'workspaces:read',
  params: z.strictObject({ tenantId: tenantScopeParam }),
  reads: ['workspaces', 'workspace_files', 'tenants'],
  statement: ({ tenantId }, reader) => ({
    text: `
      SELECT w.id::text AS id, w.tenant_id::text AS tenant_id, tn.name AS tenant_name, w.name,
             w.description,
             (SELECT count(*)::int FROM workspace_files f WHERE f.workspace_id = w.id) AS file_count,
             w.updated_at
        FROM workspaces w
        LEFT JOIN tenants tn ON tn.id = w.tenant_id
       WHERE ${tenantCondition('w', 1)}
       ORDER BY w.name, w.id`,
    params: [toPgArrayLiteral(reader.visibleTenantIds), tenantId],
  }),
});

export interface WorkspaceFileRow {
  readonly id: string;
  readonly path: string;
  readonly size: number;
  readonly updated_at: string;
}

const workspaceParams = z.strictObject({ workspaceId: uuidParam, tenantId: tenantScopeParam });

export const workspaceFiles = defineQuery<WorkspaceFileRow>()({
  name: 'workspaces.files',
  permission: 'workspaces:read',
  params: workspaceParams,
  reads: ['workspace_files'],
  statement: ({ workspaceId, tenantId }, reader) => ({
    text: `
      SELECT f.id::text AS id, f.path, coalesce(length(f.content), 0)::int AS size, f.updated_at
        FROM workspace_files f
       WHERE f.workspace_id = $1::uuid AND ${tenantCondition('f', 2)}
       ORDER BY f.path`,
    params: [workspaceId, toPgArrayLiteral(reader.visibleTenantIds), tenantId],
  }),
});

export interface WorkspaceFileTextRow {
  readonly path: string;
  readonly content: string;
}

export const workspaceFileTexts = defineQuery<WorkspaceFileTextRow>()({
  name: 'workspaces.fileTexts',
  permission: 'workspaces:read',
  params: workspaceParams,
  reads: ['workspace_files'],
  statement: ({ workspaceId, tenantId }, reader) => ({
    text: `
      SELECT f.path, coalesce(f.content, '') AS content
        FROM workspace_files f
       WHERE f.workspace_id = $1::uuid AND ${tenantCondition('f', 2)}
       ORDER BY f.path`,
    params: [workspaceId, toPgArrayLiteral(reader.visibleTenantIds), tenantId],
  }),
});

export interface WorkspaceChangesetRow {
  readonly id: string;
  readonly title: string;
  readonly description: string | null;
  readonly status: string;
  readonly proposer_name: string | null;
  readonly patch_count: number;
  readonly created_at: string;
}

export const workspaceChangesets = defineQuery<WorkspaceChangesetRow>()({
  name: 'workspaces.changesets',
  permission: 'changesets:read',
  params: z.strictObject({
    workspaceId: uuidParam,
    tenantId: tenantScopeParam,
    limit: limitParam(500, 100),
  }),
  reads: ['workspace_changesets', 'workspace_patches', 'users'],
  statement: ({ workspaceId, tenantId, limit }, reader) => ({
    text: `
      SELECT c.id::text AS id, c.title, c.description, c.status, ${personName('pu')} AS proposer_name,
             (SELECT count(*)::int FROM workspace_patches p WHERE p.changeset_id = c.id) AS patch_count,
             c.created_at
        FROM workspace_changesets c
        LEFT JOIN users pu ON pu.id = c.proposed_by
       WHERE c.workspace_id = $1::uuid AND ${tenantCondition('c', 2)}
       ORDER BY c.created_at DESC, c.id
       LIMIT $4`,
    params: [workspaceId, toPgArrayLiteral(reader.visibleTenantIds), tenantId, limit],
  }),
});
