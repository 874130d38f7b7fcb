/**
 * common/queries/changesets.ts: workspace changesets from a reviewer's point of view.
 *
 *   changesets.awaitingMyReview { tenantId?, limit? }
 *     changesets in `pending_review` of the reader's visible tenants (narrowed to `tenantId`) that the
 *     reader did not propose (nobody reviews their own change), oldest submission first, with the
 *     workspace's and the author's names and the number of patches. Needs changesets:review, the
 *     permission changeset.review checks.
 *   changesets.awaitingMyReviewCount { tenantId? }
 *     how many of those there are, all of them (the list stops at its limit).
 *   changesets.patches { changesetId }
 *     the patches of one changeset in their order (path, operation, unified diff, new content), for the
 *     inbox's diff preview. Needs changesets:read.
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

export interface ChangesetReviewRow {
  readonly id: string;
  readonly tenant_id: string;
  readonly tenant_name: string | null;
  readonly workspace_id: string;
  readonly workspace_name: string | null;
  readonly title: string;
  readonly description: string | null;
  readonly proposed_by: string | null;
  readonly proposer_name: string | null;
  readonly patch_count: number;
  readonly created_at: string;
  readonly updated_at: string;
}

/**
 * The changesets waiting for the reader's review, as `c` ($1 the reader, $2 the visible tenants, $3 the
 * tenant scope): shared by the list and its count.
 */
const AWAITING_REVIEW_WHERE = `
       WHERE c.status = 'pending_review' AND ${tenantCondition('c', 2)}
         AND c.proposed_by IS DISTINCT FROM $1::uuid`;

export const changesetsAwaitingMyReview = defineQuery<ChangesetReviewRow>()({
  name: 'changesets.awaitingMyReview',
  permission: 'changesets:review',
  params: z.strictObject({ tenantId: tenantScopeParam, limit: limitParam(1000, 500) }),
  reads: ['workspace_changesets', 'workspace_patches', 'workspaces', 'users', 'tenants'],
  statement: ({ tenantId, limit }, reader) => ({
    // The patch count is taken for the rows returned only (after ORDER BY ... LIMIT), not for every
    // changeset pending review: at 20,000 of them that was most of the query's time (bench/inbox-query.ts).
    text: `
      SELECT c.*, (SELECT count(*)::int FROM workspace_patches p WHERE p.changeset_id = c.id::uuid) AS patch_count
        FROM (
      SELECT c.id::text AS id, c.tenant_id::text AS tenant_id, tn.name AS tenant_name,
             c.workspace_id::text AS workspace_id, w.name AS workspace_name, c.title, c.description,
             c.proposed_by::text AS proposed_by, ${personName('pu')} AS proposer_name,
             c.created_at, c.updated_at
        FROM workspace_changesets c
        LEFT JOIN workspaces w ON w.id = c.workspace_id
        LEFT JOIN users pu ON pu.id = c.proposed_by
        LEFT JOIN tenants tn ON tn.id = c.tenant_id
${AWAITING_REVIEW_WHERE}
       ORDER BY c.updated_at ASC, c.id
       LIMIT $4) c
       ORDER BY c.updated_at ASC, c.id::uuid`,
    params: [reader.userId, toPgArrayLiteral(reader.visibleTenantIds), tenantId, limit],
  }),
});

/** How many changesets wait for the reader's review (the list stops at its limit). */
export const changesetsAwaitingMyReviewCount = defineQuery<{ readonly count: number }>()({
  name: 'changesets.awaitingMyReviewCount',
  permission: 'changesets:review',
  params: z.strictObject({ tenantId: tenantScopeParam }),
  reads: ['workspace_changesets'],
  statement: ({ tenantId }, reader) => ({
    text: `
      SELECT count(*)::int AS count FROM workspace_changesets c
${AWAITING_REVIEW_WHERE}`,
    params: [reader.userId, toPgArrayLiteral(reader.visibleTenantIds), tenantId],
  }),
});

export interface ChangesetPatchRow {
  readonly id: string;
  readonly file_path: string;
  readonly operation: 'create' | 'modify' | 'delete';
  readonly unified_diff: string | null;
  readonly new_content: string | null;
  readonly position: number;
}

/** The patches of one changeset, in their order, for a diff preview. */
export const changesetPatches = defineQuery<ChangesetPatchRow>()({
  name: 'changesets.patches',
  permission: 'changesets:read',
  params: z.strictObject({ changesetId: uuidParam, tenantId: tenantScopeParam }),
  reads: ['workspace_patches'],
  statement: ({ changesetId, tenantId }, reader) => ({
    text: `
      SELECT p.id::text AS id, p.file_path, p.operation, p.unified_diff, p.new_content, p.position
        FROM workspace_patches p
       WHERE p.changeset_id = $1::uuid AND ${tenantCondition('p', 2)}
       ORDER BY p.position, p.file_path, p.id`,
    params: [changesetId, toPgArrayLiteral(reader.visibleTenantIds), tenantId],
  }),
});
