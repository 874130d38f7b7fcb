/**
 * renderer/changesets/review-actions.ts: what the changeset review does, for its components and its
 * commands (renderer/changesets/view.tsx). Each step is one named operation (common/mutations/
 * changesets.ts, changeset-hunks.ts, changeset-comments.ts, changeset-apply.ts) run on this device
 * first and queued for the server, so all of it works offline:
 *
 *   submit ─► changeset.submit         approve / reject(reason) ─► changeset.review
 *   revise ─► changeset.revise         apply ─► changeset.apply (conflicts: back to the author)
 *   withdraw ─► changeset.withdraw     (the author: back to draft)
 *   accept / reject a hunk ─► changeset.decide_hunk
 *   comment on the cursor's line, the file or the changeset ─► changeset.comment
 *   resolve / reopen a thread ─► changeset.resolve_comment (each comment of it)
 *   resolve a conflict in the editor ─► drafts.open + drafts.save of the merged text ─► the editor
 *
 * Guarantees: every outcome is a sentence in the review's notice (the core's message on failure,
 * which says what was wrong); a reason-less rejection and an empty comment are refused here with a
 * sentence and never sent; resolving a conflict never overwrites a draft the author already has of
 * that file.
 */
import { isOutpostError } from '../../common/errors.ts';
import { runOperation } from '../../common/rpc/domain.ts';
import { navigate } from '../app/routes.ts';
import { engineClient } from '../state/engine-store.ts';
import { workspacesAddress } from '../workspaces/route.ts';
import { changesetAddress } from './route.ts';
import { NO_REVIEW, storeLayout, useReview } from './review-store.ts';

const store = useReview;
const messageOf = (error: unknown) => (isOutpostError(error) ? error.message : String(error));

function say(text: string, tone: 'info' | 'error' = 'info'): void {
  store.setState({ notice: { text, tone } });
}

/** Shows changeset `changesetId`; another changeset's state is dropped. */
export function enterChangeset(changesetId: string): void {
  if (store.getState().changesetId === changesetId) return;
  store.setState({ ...NO_REVIEW, changesetId });
}

export function openFileOf(changesetId: string, path: string): void {
  navigate(changesetAddress, { changesetId, path });
}

export function toggleLayout(): void {
  const sideBySide = !store.getState().sideBySide;
  storeLayout(sideBySide);
  store.setState({ sideBySide });
}

export function dismissNotice(): void {
  store.setState({ notice: null });
}

export function openRejectDialog(): void {
  store.setState({ dialog: 'reject' });
}

export function closeDialog(): void {
  store.setState({ dialog: null });
}

async function step(run: () => Promise<string>): Promise<boolean> {
  if (store.getState().busy) return false;
  store.setState({ busy: true });
  try {
    say(await run());
    return true;
  } catch (error) {
    say(messageOf(error), 'error');
    return false;
  } finally {
    store.setState({ busy: false });
  }
}

const QUEUED = 'Saved on this device; it reaches the server when online.';

export function submit(id: string): Promise<boolean> {
  return step(async () => {
    await runOperation(engineClient(), { name: 'changeset.submit', key: { id }, values: {} });
    return `Submitted for review. ${QUEUED}`;
  });
}

export function approve(id: string): Promise<boolean> {
  return step(async () => {
    const { result } = await runOperation(engineClient(), {
      name: 'changeset.review',
      key: { id },
      values: { decision: 'approve' },
    });
    const narrowed = Number(result.narrowed_patches ?? 0);
    return narrowed > 0
      ? `Approved without the rejected hunks (${narrowed} ${narrowed === 1 ? 'file' : 'files'} narrowed). ${QUEUED}`
      : `Approved. ${QUEUED}`;
  });
}

/** Rejects with `reason`: false (and nothing sent) when the reason is empty. */
export async function reject(id: string, reason: string): Promise<boolean> {
  if (reason.trim() === '') return false;
  const done = await step(async () => {
    await runOperation(engineClient(), {
      name: 'changeset.review',
      key: { id },
      values: { decision: 'reject', reason: reason.trim() },
    });
    return `Sent back to the author with your reason. ${QUEUED}`;
  });
  if (done) closeDialog();
  return done;
}

export function revise(id: string): Promise<boolean> {
  return step(async () => {
    await runOperation(engineClient(), { name: 'changeset.revise', key: { id }, values: {} });
    return `Back to draft: change it, then submit it again. ${QUEUED}`;
  });
}

/** The author takes it back to draft (from review or approved): it needs a new review once resubmitted. */
export function withdraw(id: string): Promise<boolean> {
  return step(async () => {
    await runOperation(engineClient(), { name: 'changeset.withdraw', key: { id }, values: {} });
    return `Withdrawn: a draft again. Change it, or submit it again for a new review. ${QUEUED}`;
  });
}

export function apply(id: string): Promise<boolean> {
  return step(async () => {
    const { result } = await runOperation(engineClient(), {
      name: 'changeset.apply',
      key: { id },
      values: {},
    });
    const conflicts = (result as { conflicts?: readonly string[] }).conflicts ?? [];
    if (conflicts.length > 0)
      return `Not applied: ${conflicts.join(', ')} changed since and ${conflicts.length === 1 ? 'its changes conflict' : 'their changes conflict'}. It goes back to its author to resolve.`;
    return `Applied on this device; the server applies it again against its own files when it arrives.`;
  });
}

export function decideHunk(
  id: string,
  patchId: string,
  hunkId: string,
  decision: 'accept' | 'reject',
): Promise<boolean> {
  return step(async () => {
    await runOperation(engineClient(), {
      name: 'changeset.decide_hunk',
      key: { id },
      values: { patch_id: patchId, hunk_id: hunkId, decision },
    });
    return decision === 'accept' ? 'Hunk accepted.' : 'Hunk rejected: approving the changeset leaves it out.';
  });
}

export interface CommentTarget {
  readonly patchId: string | null;
  readonly path: string | null;
  readonly line: number | null;
  readonly side: 'old' | 'new';
}

/** Adds a comment: false (nothing sent) when the text is empty. */
export async function comment(id: string, body: string, on: CommentTarget): Promise<boolean> {
  const text = body.trim();
  if (text === '') {
    say('Write the comment first: an empty comment is not sent.', 'error');
    return false;
  }
  const done = await step(async () => {
    await runOperation(engineClient(), {
      name: 'changeset.comment',
      key: { id },
      values: {
        body: text,
        ...(on.patchId ? { patch_id: on.patchId } : {}),
        ...(on.path ? { file_path: on.path } : {}),
        ...(on.line !== null ? { line: on.line, side: on.side } : {}),
      },
    });
    return on.line !== null ? `Comment added on line ${on.line}.` : 'Comment added.';
  });
  if (done) store.setState({ commentDraft: '' });
  return done;
}

/** Resolves (or reopens) every comment of a thread. */
export function resolveThread(commentIds: readonly string[], resolved: boolean): Promise<boolean> {
  return step(async () => {
    for (const commentId of commentIds)
      await runOperation(engineClient(), {
        name: 'changeset.resolve_comment',
        key: { id: commentId },
        values: { resolved },
      });
    return resolved ? 'Thread resolved.' : 'Thread reopened.';
  });
}

/**
 * Puts a conflicted file's merged text (with its conflict markers) into the author's draft of it,
 * made against the file as it is now, and opens it in the editor.
 */
export function resolveInEditor(workspaceId: string, path: string, merged: string): Promise<boolean> {
  return step(async () => {
    const client = engineClient();
    const drafts = await client.call('drafts.list', { workspaceId });
    const existing = drafts.find((d) => d.path === path);
    if (existing)
      throw new Error(
        `You already have a draft of ${path}; open it in the editor and merge by hand (your draft was left as it is).`,
      );
    await client.call('drafts.open', { workspaceId, path });
    await client.call('drafts.save', { workspaceId, path, text: merged });
    navigate(workspacesAddress, { workspaceId, path });
    return `${path} is a draft with the conflict markers: keep what is right, remove the markers, then create a changeset.`;
  });
}
