/**
 * renderer/workspaces/WorkspaceList.tsx: the workspaces the reader can see (`workspaces.list`, live),
 * by name, with their tenant's name where the reader sees several tenants, the number of files and
 * the last change in local time. Each opens the workspace's files.
 */
import { formatDateTime } from '../records/format.ts';
import { useEngine } from '../state/engine-store.ts';
import { useNamedQuery } from '../state/use-named-query.ts';
import { workspacesAddress } from './route.ts';
import { formatHash } from '../app/routes.ts';

export function WorkspaceList() {
  const scope = useEngine((s) => s.scope);
  const severalTenants = useEngine((s) => (s.session?.tenant.visibleTenantIds.length ?? 0) > 1);
  const rows = useNamedQuery({ name: 'workspaces.list', params: { tenantId: scope } });
  return (
    <div className="ws-list-view">
      <header className="ws-list-header">
        <h1>Workspaces</h1>
        <span className="muted">
          SuiteScript and SDF projects; edits stay on this device until you propose them.
        </span>
      </header>
      {rows === null ? <p className="muted">Reading this device’s data…</p> : null}
      {rows?.length === 0 ? <p className="muted">No workspace has reached this device yet.</p> : null}
      <ul className="ws-list" aria-label="Workspaces">
        {(rows ?? []).map((row) => {
          const at = formatDateTime(row.updated_at);
          return (
            <li key={row.id}>
              <a
                className="ws-list-item card"
                data-testid="workspace-item"
                href={formatHash(workspacesAddress, { workspaceId: row.id, path: null })}
              >
                <strong>{row.name}</strong>
                {severalTenants && row.tenant_name ? <span className="chip">{row.tenant_name}</span> : null}
                {row.description ? (
                  <span className="muted ws-list-description">{row.description}</span>
                ) : null}
                <span className="muted">
                  {row.file_count} {row.file_count === 1 ? 'file' : 'files'}
                  {at ? ` · changed ${at.text}` : ''}
                </span>
              </a>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
