/**
 * renderer/explorer/TableList.tsx: every table this user syncs, grouped by domain, with its local row
 * count from the sync status, and a filter box.
 */
import { useState } from 'react';
import type { TableInfo } from '../../common/rpc/contract.ts';
import { formatHash, navigate } from '../app/routes.ts';
import { useEngine } from '../state/engine-store.ts';
import { explorerAddress } from './route.ts';

export function groupByDomain(tables: readonly TableInfo[]): [string, TableInfo[]][] {
  const groups = new Map<string, TableInfo[]>();
  for (const table of tables)
    groups.set(table.domainLabel, [...(groups.get(table.domainLabel) ?? []), table]);
  return [...groups.entries()];
}

/**
 * The number beside a table: its row count once this session has synced it (the count comes from the
 * sync status, which starts again at every start of sync), `…` while it syncs, `!` after an error.
 */
export function tableCountText(state: { state: string; rows: number } | undefined): string {
  if (!state) return '';
  if (state.state === 'up-to-date') return Math.max(0, state.rows).toLocaleString('en-US');
  if (state.state === 'syncing') return '…';
  return state.state === 'error' ? '!' : '';
}

export function TableList(props: { readonly selected: string | null }) {
  const tables = useEngine((s) => s.tables);
  const sync = useEngine((s) => s.sync);
  const [filter, setFilter] = useState('');
  const rows = new Map(sync?.tables.map((t) => [t.table, t]) ?? []);
  const wanted = filter.trim().toLowerCase();
  const shown = tables.filter((t) => t.table.includes(wanted) || t.title.toLowerCase().includes(wanted));
  return (
    <nav className="table-list" aria-label="Tables">
      <input
        type="search"
        aria-label="Find a table"
        placeholder="Find a table"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
      />
      {groupByDomain(shown).map(([domain, list]) => (
        <section key={domain}>
          <h3>{domain}</h3>
          <ul>
            {list.map((t) => {
              const state = rows.get(t.table);
              return (
                <li key={t.table}>
                  <a
                    href={formatHash(explorerAddress, { table: t.table })}
                    aria-current={props.selected === t.table ? 'page' : undefined}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(explorerAddress, { table: t.table });
                    }}
                  >
                    <span title={t.table}>{t.title}</span>
                    <span className="muted count" title={state ? `sync: ${state.state}` : undefined}>
                      {tableCountText(state)}
                    </span>
                  </a>
                </li>
              );
            })}
          </ul>
        </section>
      ))}
      {shown.length === 0 ? <p className="muted">No table matches “{filter}”.</p> : null}
    </nav>
  );
}
