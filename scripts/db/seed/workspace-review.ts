/**
 * scripts/db/seed/workspace-review.ts: the review side of the seeded changesets (migration 0320):
 * each patch's base hash, reviewers' comments, their per-hunk decisions, and the recorded conflicts of
 * a rejected changeset's apply attempt.
 *
 *   every patch                   ─► workspace_patch_bases (SHA-256 of the content it was made against)
 *   pending_review / reviewed     ─► a reviewer's comment on the first changed line of the first patch
 *   approved / applied            ─► 'accept' for every hunk by the reviewer
 *   rejected                      ─► 'reject' for the first hunk; the merge of a modify patch against a
 *                                    newer file recorded as a conflict (what changeset.apply stores)
 *
 * The rows are what the named operations of common/mutations/changeset-*.ts would have written, with
 * hunk ids from common/workspaces/patch.ts, so the review screens read seeded data as they read real.
 */
import { createHash } from 'node:crypto';
import { hunksOf } from '../../../common/workspaces/patch.ts';
import type { SeedContext } from './context.ts';
import type { TableWriter } from './copy.ts';
import type { Rng } from './random.ts';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

const COMMENTS = [
  'Can this read the threshold from the policy profile instead?',
  'Please add a test for the empty-lines case.',
  'Looks right; one nit: log the record id here.',
];

export interface ReviewedPatch {
  readonly id: string;
  readonly path: string;
  readonly operation: 'create' | 'modify' | 'delete';
  readonly before: string;
  readonly unifiedDiff: string;
}

export interface ReviewedChangeset {
  readonly id: string;
  readonly tenantId: string;
  readonly status: string;
  readonly reviewerId: string;
  readonly reviewedAt: Date | null;
  readonly submittedAt: Date;
  readonly patches: readonly ReviewedPatch[];
}

export function workspaceReviewWriters(ctx: SeedContext, parents: readonly TableWriter[]) {
  return {
    bases: ctx.writer(
      'workspace_patch_bases',
      ['id', 'tenant_id', 'changeset_id', 'patch_id', 'base_sha256', 'created_at'],
      { parents },
    ),
    comments: ctx.writer(
      'workspace_changeset_comments',
      [
        'id',
        'tenant_id',
        'changeset_id',
        'patch_id',
        'file_path',
        'line',
        'hunk_id',
        'body',
        'author_id',
        'created_at',
        'updated_at',
      ],
      { parents },
    ),
    decisions: ctx.writer(
      'workspace_hunk_decisions',
      [
        'id',
        'tenant_id',
        'changeset_id',
        'patch_id',
        'hunk_id',
        'decided_by',
        'decision',
        'created_at',
        'updated_at',
      ],
      { parents },
    ),
    conflicts: ctx.writer(
      'workspace_patch_conflicts',
      [
        'id',
        'tenant_id',
        'changeset_id',
        'patch_id',
        'attempt_id',
        'file_path',
        'base_sha256',
        'current_sha256',
        'merged_content',
        'regions',
        'created_at',
      ],
      { parents },
    ),
  };
}

export type WorkspaceReviewWriters = ReturnType<typeof workspaceReviewWriters>;

/** The review rows of one seeded changeset (see the module header). */
export async function addReviewRows(
  rng: Rng,
  w: WorkspaceReviewWriters,
  c: ReviewedChangeset,
): Promise<void> {
  for (const p of c.patches)
    await w.bases.add({
      id: rng.uuid(),
      tenant_id: c.tenantId,
      changeset_id: c.id,
      patch_id: p.id,
      base_sha256: sha256(p.before),
      created_at: c.submittedAt,
    });
  if (c.status === 'draft') return;
  const at = c.reviewedAt ?? c.submittedAt;
  const first = c.patches.find((p) => hunksOf(p.unifiedDiff).length > 0);
  if (!first) return;
  const hunks = hunksOf(first.unifiedDiff);
  const hunk = hunks[0];
  if (!hunk) return;
  await w.comments.add({
    id: rng.uuid(),
    tenant_id: c.tenantId,
    changeset_id: c.id,
    patch_id: first.id,
    file_path: first.path,
    line: Math.max(1, hunk.newStart),
    hunk_id: hunk.id,
    body: rng.pick(COMMENTS),
    author_id: c.reviewerId,
    created_at: at,
    updated_at: at,
  });
  if (c.status === 'approved' || c.status === 'applied')
    for (const p of c.patches)
      for (const h of hunksOf(p.unifiedDiff))
        await w.decisions.add({
          id: rng.uuid(),
          tenant_id: c.tenantId,
          changeset_id: c.id,
          patch_id: p.id,
          hunk_id: h.id,
          decided_by: c.reviewerId,
          decision: 'accept',
          created_at: at,
          updated_at: at,
        });
  if (c.status !== 'rejected') return;
  await w.decisions.add({
    id: rng.uuid(),
    tenant_id: c.tenantId,
    changeset_id: c.id,
    patch_id: first.id,
    hunk_id: hunk.id,
    decided_by: c.reviewerId,
    decision: 'reject',
    created_at: at,
    updated_at: at,
  });
  if (first.operation !== 'modify') return;
  // A newer edit of the same lines met this patch: the merge left markers around the first hunk.
  const mine = hunk.lines.filter((l) => !l.startsWith('-')).map((l) => l.slice(1));
  const theirs = hunk.lines.filter((l) => !l.startsWith('+')).map((l) => l.slice(1));
  const merged = ['<<<<<<< changeset', ...mine, '=======', ...theirs, '>>>>>>> current'].join('\n') + '\n';
  await w.conflicts.add({
    id: rng.uuid(),
    tenant_id: c.tenantId,
    changeset_id: c.id,
    patch_id: first.id,
    attempt_id: rng.uuid(),
    file_path: first.path,
    base_sha256: sha256(first.before),
    current_sha256: sha256(`${first.before}// edited meanwhile\n`),
    merged_content: merged,
    regions: [{ start: 1, end: mine.length + theirs.length + 3 }],
    created_at: at,
  });
}
