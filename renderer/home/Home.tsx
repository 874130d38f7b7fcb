/**
 * renderer/home/Home.tsx: the start view after sign-in: who and where you are (the tenant the switcher
 * chose, by name), what waits for you there, how sync stands, the changes of yours that have not
 * reached the server yet, and what your tables hold per domain.
 */
import { formatHash, navigate } from '../app/routes.ts';
import { tenantLabel, useEngine } from '../state/engine-store.ts';
import { formatSyncedAt, summarizeSync } from '../sync/sync-summary.ts';
import { WriteList } from '../sync/WriteList.tsx';
import { explorerAddress } from '../explorer/route.ts';
import { groupByDomain, tableCountText } from '../explorer/TableList.tsx';
import { WaitingForYou } from './WaitingForYou.tsx';

export function Home() {
  const session = useEngine((s) => s.session);
  const sync = useEngine((s) => s.sync);
  const tables = useEngine((s) => s.tables);
  const tenantNames = useEngine((s) => s.tenantNames);
  const scope = useEngine((s) => s.scope);
  if (!session) return null;
  const summary = summarizeSync(sync);
  const states = new Map(sync?.tables.map((t) => [t.table, t]) ?? []);
  return (
    <div className="home">
      <header>
        <h1 data-testid="home-title">{scope ? tenantLabel(tenantNames, scope) : session.tenant.name}</h1>
        <p className="muted">
          Signed in as {session.user.fullName ?? session.user.email} ({session.user.role}) ·{' '}
          {session.user.email}
          {session.offline ? ' · working offline' : ''}
        </p>
        {session.tenant.visibleTenantIds.length > 1 ? (
          <p className="muted" data-testid="home-scope">
            {scope
              ? `Showing ${tenantLabel(tenantNames, scope)}, one of the ${session.tenant.visibleTenantIds.length} tenants of ${session.tenant.name}. The tenant switcher changes it.`
              : `Showing all ${session.tenant.visibleTenantIds.length} tenants of ${session.tenant.name}: ${session.tenant.visibleTenantIds
                  .map((id) => tenantLabel(tenantNames, id))
                  .join(', ')}.`}
          </p>
        ) : null}
      </header>
      <WaitingForYou />
      <section className="card">
        <h2>Sync</h2>
        <p data-testid="home-sync">
          {summary.label}
          {summary.progress ? ` · ${summary.progress.rows.toLocaleString('en-US')} rows so far` : ''} · last
          synced {formatSyncedAt(sync?.lastSyncedAt ?? null)}
        </p>
        {sync?.lastError ? (
          <p className="error-box">
            {sync.lastError.code}: {sync.lastError.message}
          </p>
        ) : null}
      </section>
      <section className="card">
        <h2>Your changes</h2>
        <WriteList />
      </section>
      <section className="card">
        <h2>Data on this device</h2>
        {session.tenant.visibleTenantIds.length > 1 ? (
          <p className="muted">Row counts cover every tenant you can see.</p>
        ) : null}
        {tables.length === 0 ? <p className="muted">Opening this account’s tables…</p> : null}
        <div className="domains">
          {groupByDomain(tables).map(([domain, list]) => (
            <div key={domain} className="domain">
              <h3>{domain}</h3>
              <ul>
                {list.map((t) => (
                  <li key={t.table}>
                    <a
                      href={formatHash(explorerAddress, { table: t.table })}
                      onClick={(e) => {
                        e.preventDefault();
                        navigate(explorerAddress, { table: t.table });
                      }}
                    >
                      {t.title}
                    </a>{' '}
                    <span className="muted">{tableCountText(states.get(t.table))}</span>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
      </section>
    </div>
  );
}
