/**
 * renderer/changesets/ReviewFiles.tsx: the "files changed" list of a review: per file its name (the
 * folder after it, the whole path as the title), what happens to it, lines added and removed, open
 * comment threads, and the reviewer's "viewed" checkbox; "N of M viewed" above. The file shown is
 * marked `aria-current`; j / k move between files (renderer/changesets/view.tsx).
 */
import type { ChangesetCommentRow } from '../../common/queries/changeset-review.ts';
import { openFileOf } from './review-actions.ts';
import type { FileReview } from './review-model.ts';
import { setViewed } from './viewed.ts';

const OPERATION = { create: 'new', modify: 'changed', delete: 'deleted' } as const;

function split(path: string): { name: string; folder: string } {
  const at = path.lastIndexOf('/');
  return { name: path.slice(at + 1), folder: at < 0 ? '' : path.slice(0, at) };
}

export function ReviewFiles(props: {
  readonly changesetId: string;
  readonly userId: string | null;
  readonly files: readonly FileReview[];
  readonly current: string | null;
  readonly viewed: ReadonlySet<string>;
  readonly comments: readonly ChangesetCommentRow[];
}) {
  const viewedCount = props.files.filter((f) => props.viewed.has(f.version)).length;
  return (
    <nav className="review-files" aria-label="Files changed" data-testid="review-files">
      <header className="review-files-header">
        <strong>
          {props.files.length} {props.files.length === 1 ? 'file' : 'files'} changed
        </strong>
        <span className="muted" data-testid="review-viewed-count">
          {viewedCount} of {props.files.length} viewed
        </span>
      </header>
      <ul>
        {props.files.map((file) => {
          const { name, folder } = split(file.path);
          const open = props.comments.filter((c) => c.file_path === file.path && !c.resolved).length;
          const seen = props.viewed.has(file.version);
          return (
            <li
              key={file.patchId}
              className={`review-file ${seen ? 'viewed' : ''}`}
              data-testid="review-file"
            >
              <input
                type="checkbox"
                checked={seen}
                aria-label={`Viewed ${file.path}`}
                title="Viewed"
                disabled={!props.userId}
                onChange={(e) => {
                  if (props.userId)
                    setViewed(props.userId, props.changesetId, file.version, e.target.checked);
                }}
              />
              <button
                type="button"
                className="review-file-link"
                aria-current={props.current === file.path ? 'true' : undefined}
                title={file.path}
                onClick={() => openFileOf(props.changesetId, file.path)}
              >
                <span className="review-file-name">{name}</span>
                {folder ? <span className="review-file-folder muted">{folder}</span> : null}
              </button>
              <span className="review-file-meta">
                <span className={`review-op ${file.operation}`}>{OPERATION[file.operation]}</span>
                <span className="diff-count add">+{file.added}</span>
                <span className="diff-count del">−{file.removed}</span>
                {open > 0 ? (
                  <span className="review-file-comments">
                    {open} {open === 1 ? 'comment' : 'comments'}
                  </span>
                ) : null}
              </span>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
