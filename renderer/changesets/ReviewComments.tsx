/**
 * renderer/changesets/ReviewComments.tsx: the discussion of a review: the threads on the file shown
 * (by line; choosing a line reveals it in the diff) and on the changeset as a whole, each with who
 * wrote it and when, Resolve / Reopen; and the form for a new comment about the line the diff's cursor
 * is on, the file, or the whole changeset. Mod+Enter sends; Escape leaves the field (keeping its text)
 * so the review's single-key shortcuts work again.
 */
import { useState } from 'react';
import type { ChangesetCommentRow } from '../../common/queries/changeset-review.ts';
import { formatDateTime } from '../records/format.ts';
import { revealLine } from './diff-handle.ts';
import { comment, resolveThread } from './review-actions.ts';
import { threadsOf, type CommentThread, type FileReview } from './review-model.ts';
import { useReview } from './review-store.ts';

function Thread(props: {
  readonly thread: CommentThread;
  readonly path: string | null;
  readonly mayWrite: boolean;
}) {
  const { thread } = props;
  const where =
    thread.line !== null
      ? `Line ${thread.line}${thread.side === 'old' ? ' (before)' : ''}`
      : props.path
        ? 'This file'
        : 'The changeset';
  return (
    <li className={`review-thread ${thread.resolved ? 'resolved' : ''}`} data-testid="review-thread">
      <header>
        {thread.line !== null && props.path ? (
          <button
            type="button"
            className="link-button"
            onClick={() => revealLine(props.path!, thread.line!, thread.side)}
          >
            {where}
          </button>
        ) : (
          <strong>{where}</strong>
        )}
        {thread.resolved ? <span className="chip">Resolved</span> : null}
        {props.mayWrite ? (
          <button
            type="button"
            className="link-button review-thread-resolve"
            onClick={() =>
              void resolveThread(
                thread.comments.map((c) => c.id),
                !thread.resolved,
              )
            }
          >
            {thread.resolved ? 'Reopen' : 'Resolve'}
          </button>
        ) : null}
      </header>
      {thread.comments.map((c) => {
        const at = formatDateTime(c.created_at);
        return (
          <div key={c.id} className="review-comment" data-testid="review-comment">
            <p className="review-comment-meta muted">
              <strong>{c.author_name ?? 'Someone you cannot see'}</strong>
              {at ? (
                <>
                  {' · '}
                  <time dateTime={at.iso} title={at.iso}>
                    {at.text}
                  </time>
                </>
              ) : null}
            </p>
            <p className="review-comment-body">{c.body}</p>
          </div>
        );
      })}
    </li>
  );
}

type About = 'line' | 'file' | 'changeset';

export function ReviewComments(props: {
  readonly changesetId: string;
  readonly file: FileReview | null;
  readonly comments: readonly ChangesetCommentRow[];
  readonly mayWrite: boolean;
}) {
  const draft = useReview((s) => s.commentDraft);
  const cursor = useReview((s) => s.cursor);
  const busy = useReview((s) => s.busy);
  const [chosen, setChosen] = useState<About | null>(null);
  const path = props.file?.path ?? null;
  const line = cursor && cursor.path === path ? cursor : null;
  const about: About = chosen ?? (line ? 'line' : path ? 'file' : 'changeset');
  const fileThreads = path ? threadsOf(props.comments, path) : [];
  const general = threadsOf(props.comments, null);
  const send = async () => {
    const target =
      about === 'line' && line && props.file
        ? { patchId: props.file.patchId, path, line: line.line, side: line.side }
        : about === 'file' && props.file
          ? { patchId: props.file.patchId, path, line: null, side: 'new' as const }
          : { patchId: null, path: null, line: null, side: 'new' as const };
    if (await comment(props.changesetId, draft, target)) setChosen(null);
  };
  return (
    <section className="review-comments" aria-label="Comments">
      <h2>Comments</h2>
      {fileThreads.length + general.length === 0 ? (
        <p className="muted review-side-note">No comments yet.</p>
      ) : (
        <ul className="review-threads">
          {fileThreads.map((t) => (
            <Thread key={`${t.side}:${t.line}`} thread={t} path={path} mayWrite={props.mayWrite} />
          ))}
          {general.map((t) => (
            <Thread key="changeset" thread={t} path={null} mayWrite={props.mayWrite} />
          ))}
        </ul>
      )}
      {props.mayWrite ? (
        <form
          className="review-comment-form"
          data-testid="review-comment-form"
          onSubmit={(e) => {
            e.preventDefault();
            void send();
          }}
        >
          <label htmlFor="review-comment-about">About</label>
          <select
            id="review-comment-about"
            value={about}
            onChange={(e) => setChosen(e.target.value as About)}
          >
            {line ? (
              <option value="line">
                Line {line.line}
                {line.side === 'old' ? ' (before)' : ''} of {path?.slice(path.lastIndexOf('/') + 1)}
              </option>
            ) : null}
            {path ? <option value="file">This file</option> : null}
            <option value="changeset">The whole changeset</option>
          </select>
          <textarea
            aria-label="Comment"
            rows={3}
            placeholder={
              line
                ? `Comment on line ${line.line}…`
                : 'Put the cursor on a line in the diff to comment on it…'
            }
            value={draft}
            onChange={(e) => useReview.setState({ commentDraft: e.target.value })}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) {
                e.preventDefault();
                void send();
              } else if (e.key === 'Escape') {
                // Back to the review's keys (j, k, v, t, a, r); the text stays for later.
                e.preventDefault();
                e.stopPropagation();
                e.currentTarget.blur();
              }
            }}
          />
          <button type="submit" className="button" disabled={busy}>
            Comment
          </button>
        </form>
      ) : null}
    </section>
  );
}
