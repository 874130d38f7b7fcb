/**
 * renderer/shell/TenantSwitcher.tsx: for users of a holding tenant who see several tenants: narrow
 * every view to one of them, or show them all. (Signing in to another tenant is in the account menu:
 * each tenant sign-in is its own account with its own local data.)
 */
import { tenantLabel, useEngine } from '../state/engine-store.ts';

export function TenantSwitcher() {
  const session = useEngine((s) => s.session);
  const names = useEngine((s) => s.tenantNames);
  const scope = useEngine((s) => s.scope);
  const setScope = useEngine((s) => s.setScope);
  if (!session) return null;
  const visible = session.tenant.visibleTenantIds;
  if (visible.length <= 1) return <span className="tenant-name">{session.tenant.name}</span>;
  return (
    <label className="tenant-switcher">
      <span className="sr-only">Tenant shown</span>
      <select
        data-testid="tenant-switcher"
        value={scope ?? ''}
        onChange={(e) => setScope(e.target.value === '' ? null : e.target.value)}
      >
        <option value="">
          {session.tenant.name}: all {visible.length} tenants
        </option>
        {visible.map((id) => (
          <option key={id} value={id}>
            {tenantLabel(names, id)}
          </option>
        ))}
      </select>
    </label>
  );
}
