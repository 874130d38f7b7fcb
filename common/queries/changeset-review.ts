/**
 * common/queries/changeset-review.ts: what the changeset review (renderer/changesets/) reads of one
 * changeset, besides its patches (changesets.patches in ./changesets.ts).
 *
 *   changesets.one { changesetId, tenantId? }
 *     the changeset with its workspace's, author's and reviewer's names, its state, the reason of a
 *     rejection and its number of patches; no row when it is not visible.
 *   changesets.hunkDecisions { changesetId, tenantId? }
 *     every reviewer's accept or reject of a hunk, with the reviewer's name.
 *   changesets.comments { changesetId, tenantId? }
 *     the review comments, oldest first, with the author's and resolver's names.
 *   changesets.conflicts { changesetId, tenantId? }
 *     the conflicts of the changeset's last failed apply (its latest attempt only), by file.
 *
 * All need changesets:read. Guarantees: like every named query, each statement is limited to the
 * reader's visible tenants (tenantCondition).
 */
import { z } from 'zod';
import { toPgArrayLiteral } from '../sync/pg-array-literal.ts';
import { defineQuery, personName, tenantCondition, tenantScopeParam, uuidParam } from './query.ts';

const oneChangeset = z.strictObject({ changesetId: uuidParam, tenantId: tenantScopeParam });

export interface ChangesetDetailRow {
  readonly id: string;
  readonly tenant_id: string;
  readonly workspace_id: string;
  readonly workspace_name: string | null;
  readonly title: string;
  readonly description: string | null;
  readonly status: 'draft' | 'pending_review' | 'approved' | 'rejected' | 'applied';
  readonly rejected_reason: string | null;
  readonly proposed_by: string | null;
  readonly proposer_name: string | null;
  readonly reviewed_by: string | null;
  readonly reviewer_name: string | null;
  readonly reviewed_at: string | null;
  readonly applied_at: string | null;
  readonly patch_count: number;
  readonly created_at: string;
  readonly updated_at: string;
}

export const changesetOne = defineQuery<ChangesetDetailRow>()({
  name: 'changesets.one',
  permission: 'changesets:read',
  params: oneChangeset,
  reads: ['workspace_changesets', 'workspace_patches', 'workspaces', 'users'],
  statement: ({ changesetId, tenantId }, reader) => ({
    text: `
      SELECT c.id::text AS id, c.tenant_id::text AS tenant_id, c.workspace_id::text AS workspace_id,
             w.name AS workspace_name, c.title, c.description, c.status, c.rejected_reason,
             c.proposed_by::text AS proposed_by, ${personName('pu')} AS proposer_name,
             c.reviewed_by::text AS reviewed_by, ${personName('ru')} AS reviewer_name,
             c.reviewed_at, c.applied_at, c.created_at, c.updated_at,
             (SELECT count(*)::int FROM workspace_patches p WHERE p.changeset_id = c.id) AS patch_count
        FROM workspace_changesets c
        LEFT JOIN workspaces w ON w.id = c.workspace_id
        LEFT JOIN users pu ON pu.id = c.proposed_by
        LEFT JOIN users ru ON ru.id = c.reviewed_by
       WHERE c.id = $1::uuid AND ${tenantCondition('c', 2)}`,
    params: [changesetId, toPgArrayLiteral(reader.visibleTenantIds), tenantId],
  }),
});

export interface HunkDecisionRow {
  readonly patch_id: string;
  readonly hunk_id: string;
  readonly decision: 'accept' | 'reject';
  readonly decided_by: string;
  readonly decider_name: string | null;
  readonly updated_at: string;
}

export const changesetHunkDecisions = defineQuery<HunkDecisionRow>()({
  name: 'changesets.hunkDecisions',
  permission: 'changesets:read',
  params: oneChangeset,
  reads: ['workspace_hunk_decisions', 'users'],
  statement: ({ changesetId, tenantId }, reader) => ({
    text: `
      SELECT d.patch_id::text AS patch_id, d.hunk_id, d.decision, d.decided_by::text AS decided_by,
             ${personName('u')} AS decider_name, d.updated_at
        FROM workspace_hunk_decisions d
        LEFT JOIN users u ON u.id = d.decided_by
       WHERE d.changeset_id = $1::uuid AND ${tenantCondition('d', 2)}
       ORDER BY d.updated_at, d.id`,
    params: [changesetId, toPgArrayLiteral(reader.visibleTenantIds), tenantId],
  }),
});

export interface ChangesetCommentRow {
  readonly id: string;
  readonly patch_id: string | null;
  readonly file_path: string | null;
  readonly line: number | null;
  readonly side: 'old' | 'new';
  readonly hunk_id: string | null;
  readonly body: string;
  readonly author_id: string;
  readonly author_name: string | null;
  readonly resolved: boolean;
  readonly resolver_name: string | null;
  readonly resolved_at: string | null;
  readonly created_at: string;
}

export const changesetComments = defineQuery<ChangesetCommentRow>()({
  name: 'changesets.comments',
  permission: 'changesets:read',
  params: oneChangeset,
  reads: ['workspace_changeset_comments', 'users'],
  statement: ({ changesetId, tenantId }, reader) => ({
    text: `
      SELECT k.id::text AS id, k.patch_id::text AS patch_id, k.file_path, k.line, k.side, k.hunk_id,
             k.body, k.author_id::text AS author_id, ${personName('au')} AS author_name, k.resolved,
             ${personName('ru')} AS resolver_name, k.resolved_at, k.created_at
        FROM workspace_changeset_comments k
        LEFT JOIN users au ON au.id = k.author_id
        LEFT JOIN users ru ON ru.id = k.resolved_by
       WHERE k.changeset_id = $1::uuid AND ${tenantCondition('k', 2)}
       ORDER BY k.created_at, k.id`,
    params: [changesetId, toPgArrayLiteral(reader.visibleTenantIds), tenantId],
  }),
});

export interface PatchConflictRow {
  readonly id: string;
  readonly patch_id: string;
  readonly file_path: string;
  readonly merged_content: string;
  readonly created_at: string;
}

export const changesetConflicts = defineQuery<PatchConflictRow>()({
  name: 'changesets.conflicts',
  permission: 'changesets:read',
  params: oneChangeset,
  reads: ['workspace_patch_conflicts'],
  statement: ({ changesetId, tenantId }, reader) => ({
    text: `
      SELECT x.id::text AS id, x.patch_id::text AS patch_id, x.file_path, x.merged_content, x.created_at
        FROM workspace_patch_conflicts x
       WHERE x.changeset_id = $1::uuid AND ${tenantCondition('x', 2)}
         AND x.attempt_id = (SELECT y.attempt_id FROM workspace_patch_conflicts y
                              WHERE y.changeset_id = x.changeset_id
                              ORDER BY y.created_at DESC, y.id DESC LIMIT 1)
       ORDER BY x.file_path`,
    params: [changesetId, toPgArrayLiteral(reader.visibleTenantIds), tenantId],
  }),
});
