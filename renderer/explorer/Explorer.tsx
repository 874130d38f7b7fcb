/**
 * renderer/explorer/Explorer.tsx: the data explorer: the table list, and for the chosen table its
 * filters, the virtualized grid and the row detail. For holding users who see several tenants the
 * tenant column comes first and shows tenant names; the tenant switcher's scope narrows every query.
 *
 * Keyboard: the explorer view's keybindings (renderer/explorer/view.tsx: `/` filter, `n` new row,
 * Escape closes the row detail) read the context keys this view holds: explorer.tableOpen,
 * explorer.canInsert, explorer.detailOpen; the grid holds listFocus while it has focus.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ColumnInfo, Row, TableInfo } from '../../common/rpc/contract.ts';
import { useContextKey } from '../context-keys/held-keys.ts';
import { displayKeys } from '../keyboard/keys.ts';
import { useEngine } from '../state/engine-store.ts';
import { DataGrid, type SortState } from './DataGrid.tsx';
import { closeRowDetail, focusGrid, openRowDetail, useExplorerUi } from './explorer-ui.ts';
import { FilterBar, type Filter } from './FilterBar.tsx';
import { RowDetail, keyOf } from './RowDetail.tsx';
import { TableList } from './TableList.tsx';
import { useTablePages } from './use-table-pages.ts';

/** Bookkeeping a person rarely reads first: shown after the record's own fields. */
const TRAILING = new Set(['created_at', 'updated_at']);

/**
 * The grid's columns: the tenant first for users who see several (else not at all: it is always theirs),
 * then the record's own fields, then its id and its timestamps.
 */
export function gridColumns(table: TableInfo, multiTenant: boolean): ColumnInfo[] {
  const isKey = (c: ColumnInfo) => table.primaryKey.includes(c.name) && c.presentation.format === 'uuid';
  const tenant = table.columns.filter((c) => c.name === 'tenant_id' && multiTenant);
  const own = table.columns.filter((c) => c.name !== 'tenant_id' && !isKey(c) && !TRAILING.has(c.name));
  const trailing = table.columns.filter((c) => isKey(c) || TRAILING.has(c.name));
  return [...tenant, ...own, ...trailing];
}

function TableView({ table }: { readonly table: TableInfo }) {
  const session = useEngine((s) => s.session);
  const scope = useEngine((s) => s.scope);
  const multiTenant = (session?.tenant.visibleTenantIds.length ?? 0) > 1;
  const [filters, setFilters] = useState<Filter[]>([]);
  const [sort, setSort] = useState<SortState | null>(null);
  const [active, setActive] = useState(0);
  const detail = useExplorerUi((s) => s.detail);
  const [visible, setVisible] = useState({ first: 0, last: 50 });

  const columns: ColumnInfo[] = useMemo(() => gridColumns(table, multiTenant), [table, multiTenant]);

  const query = useMemo(() => {
    const scoped = scope && table.hasTenant ? [{ column: 'tenant_id', op: 'eq' as const, value: scope }] : [];
    return { table: table.table, filters: [...scoped, ...filters], sort: sort ? [sort] : [] };
  }, [table, filters, sort, scope]);
  const pages = useTablePages(query, visible);
  const onVisible = useCallback((range: { first: number; last: number }) => setVisible(range), []);
  const canInsert = table.writable?.operations.includes('insert') ?? false;
  useContextKey('explorer.tableOpen', true);
  useContextKey('explorer.canInsert', canInsert);
  useContextKey('explorer.detailOpen', detail !== null);

  // Opening a table puts the keyboard on its rows (arrows, Enter), wherever it was opened from; the
  // row detail belongs to this table and closes with it.
  useEffect(() => {
    focusGrid();
    return () => closeRowDetail({ focusGrid: false });
  }, []);

  return (
    <div className={`table-view ${detail ? 'with-detail' : ''}`}>
      <div className="table-main">
        <header className="table-head">
          <h1 title={table.table}>{table.title}</h1>
          <span className="muted" data-testid="row-total">
            {pages.total === null
              ? 'loading…'
              : `${pages.total.toLocaleString()} ${pages.total === 1 ? table.noun : `${table.noun}s`}`}
          </span>
          <span className="muted">{table.domainLabel}</span>
          {table.writable ? (
            <span className="chip">
              you can{' '}
              {table.writable.operations
                .map((op) => (op === 'insert' ? 'add' : op === 'update' ? 'edit' : 'delete'))
                .join(', ')}
            </span>
          ) : (
            <span className="chip">read-only</span>
          )}
          {canInsert ? (
            <button type="button" className="button" onClick={() => openRowDetail({ mode: 'new' })}>
              New {table.noun} (n)
            </button>
          ) : null}
        </header>
        <FilterBar
          columns={columns}
          filters={filters}
          onChange={(f) => {
            setFilters(f);
            setActive(0);
          }}
        />
        {pages.error ? (
          <p className="error-box" role="alert">
            {pages.error.message}
          </p>
        ) : null}
        <DataGrid
          label={`${table.title}`}
          columns={columns}
          pages={pages}
          sort={sort}
          onSort={(s) => {
            setSort(s);
            setActive(0);
          }}
          active={active}
          onActive={setActive}
          onOpen={(_index, row: Row) => openRowDetail({ mode: 'row', key: keyOf(table, row) })}
          onVisible={onVisible}
        />
      </div>
      {detail ? (
        <RowDetail
          key={JSON.stringify(detail)}
          table={table}
          target={detail}
          onClose={() => closeRowDetail({ focusGrid: false })}
        />
      ) : null}
    </div>
  );
}

export function Explorer({ table }: { readonly table: string | null }) {
  const tables = useEngine((s) => s.tables);
  const catalogError = useEngine((s) => s.catalogError);
  const info = tables.find((t) => t.table === table) ?? null;
  return (
    <div className="explorer">
      <TableList selected={table} />
      <section className="explorer-main">
        {catalogError ? <p className="error-box">The table list could not be read: {catalogError}</p> : null}
        {info ? (
          <TableView key={info.table} table={info} />
        ) : table && tables.length > 0 ? (
          <p className="info-box">There is no table “{table}” you may read. Choose one from the list.</p>
        ) : tables.length === 0 && !catalogError ? (
          <p className="boot-message">Loading the table list…</p>
        ) : (
          <div className="explorer-intro">
            <h1>Data explorer</h1>
            <p>
              {tables.length.toLocaleString('en-US')} tables are synced to this device. Choose one on the
              left, or press <kbd>{displayKeys('Mod+K').join(' ')}</kbd> and type its name.
            </p>
          </div>
        )}
      </section>
    </div>
  );
}
