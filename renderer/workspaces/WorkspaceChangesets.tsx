/**
 * renderer/workspaces/WorkspaceChangesets.tsx: the changesets of the open workspace, newest first,
 * live from `workspaces.changesets`: title, state in words, author by name, number of files and when
 * it was made (local time); the title opens its review (renderer/changesets/). A changeset just created here shows at once (changeset.create ran on this
 * device) and stays while it waits to be sent.
 */
import { choiceLabel } from '../../common/records/fields.ts';
import { formatHash } from '../app/routes.ts';
import { changesetAddress } from '../changesets/route.ts';
import { formatDateTime } from '../records/format.ts';
import { useEngine } from '../state/engine-store.ts';
import { useNamedQuery } from '../state/use-named-query.ts';

export function WorkspaceChangesets(props: { readonly workspaceId: string }) {
  const scope = useEngine((s) => s.scope);
  const mayRead = useEngine((s) => s.session?.user.permissions.includes('changesets:read') ?? false);
  const rows = useNamedQuery(
    mayRead
      ? { name: 'workspaces.changesets', params: { workspaceId: props.workspaceId, tenantId: scope } }
      : null,
  );
  if (!mayRead) return <p className="muted ws-panel-empty">You may not read changesets.</p>;
  if (rows === null) return <p className="muted ws-panel-empty">Reading this device’s data…</p>;
  if (rows.length === 0)
    return <p className="muted ws-panel-empty">No changesets yet: edit files, then create one.</p>;
  return (
    <ul className="ws-changesets" data-testid="workspace-changesets">
      {rows.map((row) => {
        const at = formatDateTime(row.created_at);
        return (
          <li key={row.id} className="ws-changeset" data-testid="workspace-changeset">
            <a
              className="ws-changeset-title"
              href={formatHash(changesetAddress, { changesetId: row.id, path: null })}
            >
              {row.title}
            </a>
            <span className={`chip ws-state-${row.status}`}>{choiceLabel(row.status)}</span>
            <span className="muted">
              {row.proposer_name ?? 'Someone you cannot see'} · {row.patch_count}{' '}
              {row.patch_count === 1 ? 'file' : 'files'}
              {at ? (
                <>
                  {' '}
                  ·{' '}
                  <time dateTime={at.iso} title={at.iso}>
                    {at.text}
                  </time>
                </>
              ) : null}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
