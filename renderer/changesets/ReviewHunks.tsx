/**
 * renderer/changesets/ReviewHunks.tsx: the hunks of the file shown, each with its line range, lines
 * added and removed, what every reviewer decided, and (for a reviewer while the changeset is pending
 * review) Accept and Reject. Choosing a hunk's range reveals it in the diff. A hunk anyone rejected is
 * marked: approving leaves it out (common/mutations/changeset-hunks.ts).
 */
import { revealLine } from './diff-handle.ts';
import { decideHunk } from './review-actions.ts';
import { hunkRange, type FileReview } from './review-model.ts';

function people(names: readonly string[]): string {
  return names.length <= 2
    ? names.join(' and ')
    : `${names.slice(0, 2).join(', ')} and ${names.length - 2} more`;
}

export function ReviewHunks(props: {
  readonly changesetId: string;
  readonly file: FileReview;
  readonly mayDecide: boolean;
  readonly busy: boolean;
}) {
  const { file } = props;
  if (file.hunks.length === 0)
    return (
      <p className="muted review-side-note">
        {file.operation === 'create'
          ? 'A new file: every line is added.'
          : 'No hunks to decide in this file.'}
      </p>
    );
  return (
    <ol className="review-hunks" aria-label={`Hunks of ${file.path}`}>
      {file.hunks.map((hunk, i) => {
        const rejected = hunk.rejectedBy.length > 0;
        const line = hunk.newLines > 0 ? hunk.newStart : Math.max(1, hunk.oldStart);
        return (
          <li
            key={hunk.id}
            className={`review-hunk ${rejected ? 'rejected' : hunk.acceptedBy.length > 0 ? 'accepted' : ''}`}
            data-testid="review-hunk"
            data-decision={hunk.mine ?? undefined}
          >
            <button
              type="button"
              className="review-hunk-range"
              title="Show this hunk in the diff"
              onClick={() => revealLine(file.path, line, hunk.newLines > 0 ? 'new' : 'old')}
            >
              Hunk {i + 1} · {hunkRange(hunk)}
            </button>
            <span className="diff-count add">+{hunk.added}</span>
            <span className="diff-count del">−{hunk.removed}</span>
            {hunk.acceptedBy.length > 0 || hunk.rejectedBy.length > 0 ? (
              <p className="review-hunk-who muted">
                {hunk.acceptedBy.length > 0 ? `Accepted by ${people(hunk.acceptedBy)}. ` : ''}
                {rejected ? `Rejected by ${people(hunk.rejectedBy)}: left out on approval.` : ''}
              </p>
            ) : null}
            {props.mayDecide ? (
              <span className="review-hunk-actions">
                <button
                  type="button"
                  className="button"
                  aria-pressed={hunk.mine === 'accept'}
                  disabled={props.busy}
                  onClick={() => void decideHunk(props.changesetId, file.patchId, hunk.id, 'accept')}
                >
                  Accept
                </button>
                <button
                  type="button"
                  className="button"
                  aria-pressed={hunk.mine === 'reject'}
                  disabled={props.busy}
                  onClick={() => void decideHunk(props.changesetId, file.patchId, hunk.id, 'reject')}
                >
                  Reject
                </button>
              </span>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
