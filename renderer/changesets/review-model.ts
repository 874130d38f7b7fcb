/**
 * renderer/changesets/review-model.ts: a changeset's review as the screen shows it, from its rows
 * (changesets.patches, .hunkDecisions, .comments): per file the text before and after (for Monaco's
 * diff editor), its hunks with every reviewer's decision, the lines added and removed, and the comment
 * threads; and what the signed-in person may do with the changeset in its state.
 *
 * Pure. Guarantees: the text before a change is the patch undone on its new content (baseOf), never
 * guessed: a patch whose diff does not fit says so (`problem`) and shows no diff; a hunk counts as
 * rejected when any reviewer rejected it, which is what approving does with it (changeset.review
 * narrows to the hunks nobody rejected).
 */
import type {
  ChangesetCommentRow,
  ChangesetDetailRow,
  HunkDecisionRow,
} from '../../common/queries/changeset-review.ts';
import type { ChangesetPatchRow } from '../../common/queries/changesets.ts';
import { baseOf, hunksOf, type PatchHunk } from '../../common/workspaces/patch.ts';

export interface HunkReview extends PatchHunk {
  /** The signed-in reviewer's decision, if any. */
  readonly mine: 'accept' | 'reject' | null;
  readonly acceptedBy: readonly string[];
  readonly rejectedBy: readonly string[];
  readonly added: number;
  readonly removed: number;
}

export interface FileReview {
  readonly patchId: string;
  readonly path: string;
  readonly operation: ChangesetPatchRow['operation'];
  /** The text before the change ('' for a new file); null when it cannot be read (see problem). */
  readonly original: string | null;
  /** The text after the change ('' for a deleted file). */
  readonly modified: string;
  readonly hunks: readonly HunkReview[];
  readonly added: number;
  readonly removed: number;
  /** Why the change cannot be shown, or null. */
  readonly problem: string | null;
  /** Identifies this version of the patch: a revised patch is a new one to view. */
  readonly version: string;
}

const nameOf = (d: HunkDecisionRow) => d.decider_name ?? 'Someone';

function count(hunk: PatchHunk, mark: '+' | '-'): number {
  return hunk.lines.filter((l) => l[0] === mark).length;
}

/** A short hash of a string (FNV-1a 32), to tell two versions of a patch apart. */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

export function fileReview(
  patch: ChangesetPatchRow,
  decisions: readonly HunkDecisionRow[],
  me: string,
): FileReview {
  const modified = patch.operation === 'delete' ? '' : (patch.new_content ?? '');
  const diff = patch.unified_diff ?? '';
  let original: string | null = patch.operation === 'create' && diff === '' ? '' : null;
  let hunks: PatchHunk[] = [];
  let problem: string | null = null;
  if (diff !== '') {
    try {
      hunks = hunksOf(diff);
      if (hunks.some((h) => !Number.isInteger(h.oldStart) || !Number.isInteger(h.newStart)))
        throw new Error('a hunk header has no line numbers');
      original = baseOf(modified, diff);
      if (original === null) problem = 'This patch’s diff does not fit its new content; it cannot be shown.';
    } catch (error) {
      problem = `The diff could not be read: ${error instanceof Error ? error.message : String(error)}.`;
    }
  } else if (patch.operation !== 'create') problem = 'This patch carries no diff.';
  const mineFor = (hunkId: string) =>
    decisions.find((d) => d.patch_id === patch.id && d.hunk_id === hunkId && d.decided_by === me)?.decision ??
    null;
  const reviewed = hunks.map((h) => {
    const on = decisions.filter((d) => d.patch_id === patch.id && d.hunk_id === h.id);
    return {
      ...h,
      mine: mineFor(h.id),
      acceptedBy: on.filter((d) => d.decision === 'accept').map(nameOf),
      rejectedBy: on.filter((d) => d.decision === 'reject').map(nameOf),
      added: count(h, '+'),
      removed: count(h, '-'),
    };
  });
  const addedLines =
    patch.operation === 'create' && diff === '' && modified !== ''
      ? modified.replace(/\r?\n$/, '').split(/\r?\n/).length
      : 0;
  return {
    patchId: patch.id,
    path: patch.file_path,
    operation: patch.operation,
    original: problem ? null : original,
    modified,
    hunks: reviewed,
    added: addedLines + reviewed.reduce((n, h) => n + h.added, 0),
    removed: reviewed.reduce((n, h) => n + h.removed, 0),
    problem,
    version: `${patch.id}:${shortHash(diff || modified)}`,
  };
}

/** The lines a hunk covers, in words: after the change, or before it when it only removes lines. */
export function hunkRange(hunk: Pick<PatchHunk, 'oldStart' | 'oldLines' | 'newStart' | 'newLines'>): string {
  const [start, lines, prefix] =
    hunk.newLines > 0 ? [hunk.newStart, hunk.newLines, ''] : [hunk.oldStart, hunk.oldLines, 'removes '];
  return lines === 1 ? `${prefix}line ${start}` : `${prefix}lines ${start}–${start + lines - 1}`;
}

export interface CommentThread {
  /** null: about the file as a whole, or the changeset when the path is null too. */
  readonly line: number | null;
  readonly side: 'old' | 'new';
  readonly comments: readonly ChangesetCommentRow[];
  readonly resolved: boolean;
}

/** The comments on `path` (null: on the changeset as a whole), as threads by line, in line order. */
export function threadsOf(comments: readonly ChangesetCommentRow[], path: string | null): CommentThread[] {
  const threads = new Map<string, ChangesetCommentRow[]>();
  for (const c of comments) {
    if (c.file_path !== path) continue;
    const key = `${c.side}:${c.line ?? ''}`;
    threads.set(key, [...(threads.get(key) ?? []), c]);
  }
  return [...threads.values()]
    .map((list) => {
      const first = list[0]!;
      return { line: first.line, side: first.side, comments: list, resolved: list.every((c) => c.resolved) };
    })
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || a.side.localeCompare(b.side));
}

export type ReviewAction =
  'submit' | 'approve' | 'reject' | 'revise' | 'withdraw' | 'apply' | 'decideHunks' | 'comment';

/** What `me`, holding `permissions`, may do with `changeset` in its state (the operations' own rules). */
export function allowedActions(
  changeset: Pick<ChangesetDetailRow, 'status' | 'proposed_by'>,
  me: string,
  permissions: readonly string[],
): ReadonlySet<ReviewAction> {
  const has = (p: string) => permissions.includes(p);
  const mine = changeset.proposed_by?.toLowerCase() === me.toLowerCase();
  const actions = new Set<ReviewAction>();
  if (mine || has('changesets:review')) actions.add('comment');
  switch (changeset.status) {
    case 'draft':
      if (has('changesets:submit')) actions.add('submit');
      break;
    case 'pending_review':
      if (has('changesets:review') && !mine) {
        actions.add('approve');
        actions.add('reject');
        actions.add('decideHunks');
      }
      if (mine && has('changesets:submit')) actions.add('withdraw');
      break;
    case 'approved':
      if (has('changesets:apply')) actions.add('apply');
      if (mine && has('changesets:submit')) actions.add('withdraw');
      break;
    case 'rejected':
      if (has('changesets:write')) actions.add('revise');
      break;
    case 'applied':
      break;
  }
  return actions;
}
