/**
 * renderer/changesets/ReviewConflicts.tsx: why an approved changeset was not applied: the files whose
 * changes conflict with what changed in the workspace since, each with its conflict regions counted
 * and, for the author, "Resolve in the editor" (the merged text with git-style markers becomes their
 * draft of the file, made against the file as it is now; review-actions.ts resolveInEditor).
 */
import type { PatchConflictRow } from '../../common/queries/changeset-review.ts';
import { CONFLICT_MARKERS } from '../../common/workspaces/merge.ts';
import { formatDateTime } from '../records/format.ts';
import { resolveInEditor } from './review-actions.ts';

function regionsIn(text: string): number {
  return text.split('\n').filter((l) => l.startsWith(CONFLICT_MARKERS.ours)).length;
}

export function ReviewConflicts(props: {
  readonly workspaceId: string;
  readonly conflicts: readonly PatchConflictRow[];
  readonly mayResolve: boolean;
}) {
  const at = formatDateTime(props.conflicts[0]?.created_at);
  return (
    <section className="review-conflicts error-box" aria-label="Conflicts" data-testid="review-conflicts">
      <h2>
        Not applied: {props.conflicts.length}{' '}
        {props.conflicts.length === 1 ? 'file conflicts' : 'files conflict'} with changes made since
      </h2>
      <p>
        {at ? (
          <>
            Apply tried{' '}
            <time dateTime={at.iso} title={at.iso}>
              {at.text}
            </time>
            .{' '}
          </>
        ) : null}
        Nothing of this changeset was written. Resolve each file in the editor, then create a new changeset
        from your drafts.
      </p>
      <ul>
        {props.conflicts.map((c) => {
          const regions = regionsIn(c.merged_content);
          return (
            <li key={c.id} data-testid="review-conflict">
              <code>{c.file_path}</code>{' '}
              <span className="muted">
                {regions} {regions === 1 ? 'conflict' : 'conflicts'}
              </span>
              {props.mayResolve ? (
                <button
                  type="button"
                  className="button"
                  onClick={() => void resolveInEditor(props.workspaceId, c.file_path, c.merged_content)}
                >
                  Resolve in the editor
                </button>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
