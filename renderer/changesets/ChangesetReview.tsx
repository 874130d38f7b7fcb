/**
 * renderer/changesets/ChangesetReview.tsx: one changeset under review, GitHub's "files changed" in
 * Outpost's terms: its title, state, author, workspace and reason of a rejection; the actions its
 * state allows the reader (submit, approve, request changes, revise, apply); the files changed with
 * "viewed" marks; Monaco's diff editor of the file chosen (side by side or inline); its hunks with
 * per-reviewer decisions; the comments; and the conflicts of a failed apply. All of it is live from the
 * local database, so it reads and acts the same offline.
 *
 * Guarantees: names, never ids (a person the reader cannot see is said so); dates in local time; a
 * changeset that is not on this device says so instead of an empty page; an action the state or the
 * reader's permissions do not allow is not offered (the operations refuse it anyway).
 */
import { lazy, Suspense, useEffect, useMemo } from 'react';
import { choiceLabel } from '../../common/records/fields.ts';
import { formatHash } from '../app/routes.ts';
import { useContextKey } from '../context-keys/held-keys.ts';
import { formatDateTime } from '../records/format.ts';
import { useEngine } from '../state/engine-store.ts';
import { useNamedQuery } from '../state/use-named-query.ts';
import { workspacesAddress } from '../workspaces/route.ts';
import { ReasonDialog } from './ReasonDialog.tsx';
import { ReviewActions } from './ReviewActions.tsx';
import { ReviewComments } from './ReviewComments.tsx';
import { ReviewConflicts } from './ReviewConflicts.tsx';
import { ReviewFiles } from './ReviewFiles.tsx';
import { ReviewHunks } from './ReviewHunks.tsx';
import { dismissNotice, enterChangeset, toggleLayout } from './review-actions.ts';
import { allowedActions, fileReview, type ReviewAction } from './review-model.ts';
import { useReview } from './review-store.ts';
import { setViewed, useViewed } from './viewed.ts';
import './changesets.css';

const DiffEditor = lazy(() => import('./DiffEditor.tsx'));

function Notice() {
  const notice = useReview((s) => s.notice);
  if (!notice) return null;
  return (
    <div
      className={`review-notice ${notice.tone === 'error' ? 'error-box' : 'info-box'}`}
      role="status"
      data-testid="review-notice"
    >
      <span>{notice.text}</span>
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={dismissNotice}>
        ×
      </button>
    </div>
  );
}

function When(props: { readonly value: string | null; readonly prefix: string }) {
  const at = formatDateTime(props.value);
  if (!at) return null;
  return (
    <>
      {props.prefix}{' '}
      <time dateTime={at.iso} title={at.iso}>
        {at.text}
      </time>
    </>
  );
}

export function ChangesetReview(props: { readonly changesetId: string; readonly path: string | null }) {
  const { changesetId } = props;
  const userId = useEngine((s) => s.session?.user.id ?? null);
  const permissions = useEngine((s) => s.session?.user.permissions ?? []);
  const sideBySide = useReview((s) => s.sideBySide);
  const dialog = useReview((s) => s.dialog);
  const busy = useReview((s) => s.busy);
  useEffect(() => enterChangeset(changesetId), [changesetId]);
  const params = { changesetId };
  const rows = useNamedQuery({ name: 'changesets.one', params });
  const patches = useNamedQuery({ name: 'changesets.patches', params });
  const decisions = useNamedQuery({ name: 'changesets.hunkDecisions', params });
  const comments = useNamedQuery({ name: 'changesets.comments', params });
  const conflicts = useNamedQuery({ name: 'changesets.conflicts', params });
  const changeset = rows?.[0] ?? null;
  const files = useMemo(
    () => (patches ?? []).map((p) => fileReview(p, decisions ?? [], userId ?? '')),
    [patches, decisions, userId],
  );
  const viewed = useViewed(userId, changesetId);
  const file = files.find((f) => f.path === props.path) ?? files[0] ?? null;
  const actions = changeset ? allowedActions(changeset, userId ?? '', permissions) : new Set<ReviewAction>();
  useContextKey('changeset.mayReview', actions.has('approve'));
  useContextKey('changeset.mayApply', actions.has('apply'));
  useContextKey('changeset.maySubmit', actions.has('submit'));
  useContextKey('changeset.mayRevise', actions.has('revise'));
  useContextKey('changeset.mayWithdraw', actions.has('withdraw'));
  useEffect(() => {
    useReview.setState({
      paths: files.map((f) => f.path),
      path: file?.path ?? null,
      version: file?.version ?? null,
    });
  }, [files, file]);

  // One object per comments answer and file: the diff editor resets its gutter marks only then.
  const commentLines = useMemo(() => {
    const on = (side: 'old' | 'new') =>
      (comments ?? [])
        .filter((c) => c.file_path === file?.path && c.side === side && c.line)
        .map((c) => c.line!);
    return { old: on('old'), new: on('new') };
  }, [comments, file?.path]);
  if (rows === null) return <p className="muted review-loading">Reading this changeset…</p>;
  if (!changeset)
    return (
      <div className="review-missing">
        <h1>Changeset not found</h1>
        <p>This changeset is not on this device, or it is not yours to see.</p>
        <a href={formatHash(workspacesAddress, { workspaceId: null, path: null })}>All workspaces</a>
      </div>
    );

  const seen = file ? viewed.has(file.version) : false;
  return (
    <div className="review" data-testid="changeset-review">
      <header className="review-header">
        <div className="review-heading">
          <a
            className="review-back"
            href={formatHash(workspacesAddress, { workspaceId: changeset.workspace_id, path: null })}
          >
            {changeset.workspace_name ?? 'Workspace'}
          </a>
          <h1>{changeset.title}</h1>
          <span className={`chip review-state-${changeset.status}`} data-testid="review-state">
            {choiceLabel(changeset.status)}
          </span>
        </div>
        <p className="review-byline muted">
          <strong>{changeset.proposer_name ?? 'Someone you cannot see'}</strong>{' '}
          <When prefix="proposed it" value={changeset.created_at} />
          {changeset.reviewer_name ? (
            <>
              {' · '}
              {changeset.status === 'rejected' ? 'sent back by' : 'reviewed by'}{' '}
              <strong>{changeset.reviewer_name}</strong> <When prefix="" value={changeset.reviewed_at} />
            </>
          ) : null}
          {changeset.applied_at ? (
            <>
              {' · '}
              <When prefix="applied" value={changeset.applied_at} />
            </>
          ) : null}
        </p>
        {changeset.description ? <p className="review-description">{changeset.description}</p> : null}
        {changeset.status === 'rejected' && changeset.rejected_reason ? (
          <p className="review-reason" data-testid="review-reason">
            <strong>Why it came back:</strong> {changeset.rejected_reason}
          </p>
        ) : null}
        <ReviewActions changeset={changeset} actions={actions} busy={busy} userId={userId} />
      </header>
      <Notice />
      {changeset.status === 'rejected' && conflicts && conflicts.length > 0 ? (
        <ReviewConflicts
          workspaceId={changeset.workspace_id}
          conflicts={conflicts}
          mayResolve={permissions.includes('changesets:write')}
        />
      ) : null}
      <div className="review-body">
        <ReviewFiles
          changesetId={changesetId}
          userId={userId}
          files={files}
          current={file?.path ?? null}
          viewed={viewed}
          comments={comments ?? []}
        />
        <section className="review-main" aria-label="Diff">
          {file ? (
            <>
              <div className="review-file-bar">
                <strong className="review-file-path" title={file.path}>
                  {file.path}
                </strong>
                <span className="spacer" />
                <button type="button" className="button" onClick={toggleLayout} aria-pressed={!sideBySide}>
                  {sideBySide ? 'Inline' : 'Side by side'}
                </button>
                <label className="review-viewed">
                  <input
                    type="checkbox"
                    checked={seen}
                    disabled={!userId}
                    onChange={(e) => {
                      if (userId) setViewed(userId, changesetId, file.version, e.target.checked);
                    }}
                  />
                  Viewed
                </label>
              </div>
              {file.original === null ? (
                <p className="error-box review-problem">{file.problem}</p>
              ) : (
                <Suspense fallback={<p className="muted review-side-note">Loading the diff…</p>}>
                  <DiffEditor
                    path={file.path}
                    original={file.original}
                    modified={file.modified}
                    sideBySide={sideBySide}
                    commentLines={commentLines}
                  />
                </Suspense>
              )}
            </>
          ) : (
            <p className="muted review-side-note">
              {patches === null ? 'Reading the changes…' : 'This changeset has no files.'}
            </p>
          )}
        </section>
        <aside className="review-side" aria-label="Review">
          {file ? (
            <section aria-label="Hunks">
              <h2>Hunks</h2>
              <ReviewHunks
                changesetId={changesetId}
                file={file}
                mayDecide={actions.has('decideHunks')}
                busy={busy}
              />
            </section>
          ) : null}
          <ReviewComments
            changesetId={changesetId}
            file={file}
            comments={comments ?? []}
            mayWrite={actions.has('comment')}
          />
        </aside>
      </div>
      {dialog === 'reject' ? <ReasonDialog changesetId={changesetId} title={changeset.title} /> : null}
    </div>
  );
}
