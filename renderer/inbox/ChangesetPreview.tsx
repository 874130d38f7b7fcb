/**
 * renderer/inbox/ChangesetPreview.tsx: the diff preview of a changeset in the inbox's detail pane:
 * "N files changed" with the lines added and removed per file, and each file's hunks with old and new
 * line numbers, additions and removals marked by colour and by sign (so it reads without colour too).
 * Live from `changesets.patches`; long files are cut at a few hundred lines with the count left out.
 * "Review hunks and comments" opens the full review (renderer/changesets/).
 */
import { formatHash } from '../app/routes.ts';
import { changesetAddress } from '../changesets/route.ts';
import { useNamedQuery } from '../state/use-named-query.ts';
import { previewPatch, type FilePreview } from './changeset-preview.ts';

const OPERATION = { create: 'new file', modify: 'changed', delete: 'deleted' } as const;
const SIGN = { add: '+', del: '−', ctx: ' ', hunk: '' } as const;

function File({ file }: { readonly file: FilePreview }) {
  return (
    <details className="diff-file" open data-testid="diff-file">
      <summary>
        <span className="diff-path">{file.path}</span>
        <span className={`diff-op ${file.operation}`}>{OPERATION[file.operation]}</span>
        <span className="diff-count add">+{file.added}</span>
        <span className="diff-count del">−{file.removed}</span>
      </summary>
      {file.problem ? <p className="muted">{file.problem}</p> : null}
      {file.lines.length > 0 ? (
        <table className="diff-lines">
          <tbody>
            {file.lines.map((line, i) => (
              <tr key={i} className={`diff-line ${line.kind}`}>
                <td className="diff-no">{line.oldNo ?? ''}</td>
                <td className="diff-no">{line.newNo ?? ''}</td>
                <td className="diff-text">
                  <span className="diff-sign" aria-hidden="true">
                    {SIGN[line.kind]}
                  </span>
                  {line.text}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {file.more > 0 ? <p className="muted">{file.more} more lines not shown.</p> : null}
    </details>
  );
}

export function ChangesetPreview({ changesetId }: { readonly changesetId: string }) {
  const patches = useNamedQuery({ name: 'changesets.patches', params: { changesetId } });
  if (patches === null) return <p className="muted">Reading the changes…</p>;
  const files = patches.map((p) => previewPatch(p));
  const added = files.reduce((n, f) => n + f.added, 0);
  const removed = files.reduce((n, f) => n + f.removed, 0);
  return (
    <section className="changeset-preview" aria-label="Changes" data-testid="changeset-preview">
      <h3>
        {files.length === 1 ? '1 file changed' : `${files.length} files changed`}{' '}
        <span className="diff-count add">+{added}</span> <span className="diff-count del">−{removed}</span>{' '}
        <a
          className="changeset-review-link"
          href={formatHash(changesetAddress, { changesetId, path: null })}
          data-testid="changeset-review-link"
        >
          Review hunks and comments
        </a>
      </h3>
      {files.length === 0 ? <p className="muted">This changeset has no patches.</p> : null}
      {files.map((f, i) => (
        <File key={`${f.path}:${i}`} file={f} />
      ))}
    </section>
  );
}
