/**
 * renderer/changesets/ReviewActions.tsx: the buttons a changeset's state allows the reader
 * (review-model.ts allowedActions), with their keys: Submit for review; Approve (a) and Request
 * changes (r) for a reviewer; Revise for a rejected one; Apply for an approved one; Withdraw for
 * the author of one in review or approved (a draft again). A sentence says why there is nothing (else)
 * to do (your own changeset in review, applied, no permission).
 */
import type { ChangesetDetailRow } from '../../common/queries/changeset-review.ts';
import { apply, approve, openRejectDialog, revise, submit, withdraw } from './review-actions.ts';
import type { ReviewAction } from './review-model.ts';

/** Why the reader has nothing (else) to do, or null. */
function idle(changeset: ChangesetDetailRow, userId: string | null, any: boolean): string | null {
  if (changeset.status === 'pending_review' && changeset.proposed_by === userId)
    return 'Waiting for a reviewer: nobody reviews their own changeset.';
  if (any) return null;
  if (changeset.status === 'applied') return 'Applied: its files are in the workspace.';
  return 'Nothing for you to do here.';
}

export function ReviewActions(props: {
  readonly changeset: ChangesetDetailRow;
  readonly actions: ReadonlySet<ReviewAction>;
  readonly busy: boolean;
  readonly userId: string | null;
}) {
  const { changeset, actions, busy } = props;
  const id = changeset.id;
  const any = ['submit', 'approve', 'reject', 'revise', 'apply', 'withdraw'].some((a) =>
    actions.has(a as ReviewAction),
  );
  const why = idle(changeset, props.userId, any);
  return (
    <div className="review-actions" data-testid="review-actions">
      {actions.has('submit') ? (
        <button
          type="button"
          className="button button-primary"
          disabled={busy}
          onClick={() => void submit(id)}
        >
          Submit for review
        </button>
      ) : null}
      {actions.has('approve') ? (
        <button
          type="button"
          className="button button-primary"
          disabled={busy}
          onClick={() => void approve(id)}
        >
          Approve <kbd>a</kbd>
        </button>
      ) : null}
      {actions.has('reject') ? (
        <button type="button" className="button button-danger" disabled={busy} onClick={openRejectDialog}>
          Request changes <kbd>r</kbd>
        </button>
      ) : null}
      {actions.has('revise') ? (
        <button type="button" className="button" disabled={busy} onClick={() => void revise(id)}>
          Revise
        </button>
      ) : null}
      {actions.has('apply') ? (
        <button
          type="button"
          className="button button-primary"
          disabled={busy}
          onClick={() => void apply(id)}
        >
          Apply to the workspace
        </button>
      ) : null}
      {actions.has('withdraw') ? (
        <button
          type="button"
          className="button"
          disabled={busy}
          title="Take it back to draft: it needs a new review once submitted again"
          onClick={() => void withdraw(id)}
        >
          Withdraw
        </button>
      ) : null}
      {why ? <span className="muted">{why}</span> : null}
    </div>
  );
}
