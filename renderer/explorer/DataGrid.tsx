/**
 * renderer/explorer/DataGrid.tsx: the explorer's virtualized grid: only the rows in view are in the
 * DOM (@tanstack/react-virtual), and only their pages are queried (use-table-pages.ts), so 100k rows
 * scroll as smoothly as 100. Sorting by a header click; keyboard: arrows, Page Up/Down, Home/End move
 * the active row, Enter opens it. These keys are handled here, on the focused grid (the shortcut sheet
 * lists them from the explorer view's elementKeys); while the grid has focus it holds the `listFocus`
 * context key, so keybindings in that context apply.
 *
 * Accessibility: role=grid with aria-rowcount/aria-rowindex, the active row is aria-selected and has a
 * visible focus ring; header buttons say their sort state.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ColumnInfo, Row } from '../../common/rpc/contract.ts';
import { useFocusContextKey } from '../context-keys/held-keys.ts';
import { displayText } from '../records/format.ts';
import { columnWidth } from './column-kinds.ts';
import type { TablePages } from './use-table-pages.ts';
import { textOf } from '../../common/mutations/sql.ts';

const ROW_HEIGHT = 30;

export interface SortState {
  readonly column: string;
  readonly direction: 'asc' | 'desc';
}

export interface DataGridProps {
  readonly columns: readonly ColumnInfo[];
  readonly pages: TablePages;
  readonly sort: SortState | null;
  readonly onSort: (sort: SortState | null) => void;
  readonly active: number;
  readonly onActive: (index: number) => void;
  readonly onOpen: (index: number, row: Row) => void;
  readonly onVisible: (range: { first: number; last: number }) => void;
  readonly label: string;
}

function nextSort(sort: SortState | null, column: string): SortState | null {
  if (!sort || sort.column !== column) return { column, direction: 'asc' };
  return sort.direction === 'asc' ? { column, direction: 'desc' } : null;
}

export function DataGrid(props: DataGridProps) {
  const { columns, pages, sort, active } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const count = pages.total ?? 0;
  // TanStack Virtual keeps its state outside React; this component does not rely on compiler memoization.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  const { onVisible } = props;
  useEffect(() => onVisible({ first, last }), [first, last, onVisible]);
  const [focused, setFocused] = useState(false);
  useFocusContextKey('listFocus', scroller);
  const template = columns.map((c) => `${columnWidth(c)}px`).join(' ');
  const width = columns.reduce((sum, c) => sum + columnWidth(c), 0);

  function move(to: number) {
    if (count === 0) return;
    const index = Math.max(0, Math.min(count - 1, to));
    props.onActive(index);
    virtualizer.scrollToIndex(index, { align: 'auto' });
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 300) / ROW_HEIGHT) - 1);
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(active + 1),
      ArrowUp: () => move(active - 1),
      PageDown: () => move(active + page),
      PageUp: () => move(active - page),
      Home: () => move(0),
      End: () => move(count - 1),
      Enter: () => {
        const row = pages.row(active);
        if (row) props.onOpen(active, row);
      },
    };
    const action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  }

  return (
    <div
      className={`grid ${focused ? 'grid-focused' : ''}`}
      role="grid"
      aria-label={props.label}
      aria-rowcount={count + 1}
      aria-colcount={columns.length}
      aria-activedescendant={items.some((i) => i.index === active) ? `grid-row-${active}` : undefined}
      tabIndex={0}
      ref={scroller}
      data-testid="data-grid"
      onKeyDown={onKeyDown}
      onFocus={() => setFocused(true)}
      onBlur={() => setFocused(false)}
    >
      <div
        className="grid-header"
        role="row"
        aria-rowindex={1}
        style={{ gridTemplateColumns: template, width }}
      >
        {columns.map((c) => {
          const sorted = sort && sort.column === c.name ? sort.direction : null;
          return (
            <div
              key={c.name}
              role="columnheader"
              aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
              className="grid-cell grid-head"
            >
              <button
                type="button"
                tabIndex={-1}
                title={`${c.presentation.label}: column ${c.name} (${c.type}). Click to sort.`}
                onClick={() => props.onSort(nextSort(sort, c.name))}
              >
                {c.presentation.label}
                <span className="sort-mark" aria-hidden="true">
                  {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
                </span>
              </button>
            </div>
          );
        })}
      </div>
      <div className="grid-body" style={{ height: virtualizer.getTotalSize(), width }}>
        {items.map((item) => {
          const row = pages.row(item.index);
          const isActive = item.index === active;
          return (
            <div
              key={item.key}
              id={`grid-row-${item.index}`}
              role="row"
              aria-rowindex={item.index + 2}
              aria-selected={isActive}
              className={`grid-row ${isActive ? 'grid-row-active' : ''} ${item.index % 2 ? 'grid-row-odd' : ''}`}
              style={{ transform: `translateY(${item.start}px)`, gridTemplateColumns: template, width }}
              onClick={() => {
                props.onActive(item.index);
                if (row) props.onOpen(item.index, row);
              }}
            >
              {columns.map((c) => {
                if (!row)
                  return (
                    <div key={c.name} role="gridcell" className="grid-cell grid-loading">
                      …
                    </div>
                  );
                const value = row[c.name];
                const text = displayText(value, c.name, c.presentation, row, pages.labels(item.index));
                const format = c.presentation.format;
                return (
                  <div
                    key={c.name}
                    role="gridcell"
                    className={`grid-cell grid-cell-${format} ${value === null ? 'grid-null' : ''}`}
                    title={text.length > 30 ? text : undefined}
                  >
                    {value === null ? (
                      '—'
                    ) : format === 'lifecycle' || format === 'choice' ? (
                      <span className={`badge badge-${textOf(value).replace(/[^a-z0-9_-]/gi, '')}`}>
                        {text}
                      </span>
                    ) : (
                      text
                    )}
                  </div>
                );
              })}
            </div>
          );
        })}
      </div>
      {pages.total === 0 ? <div className="grid-empty">No rows match.</div> : null}
    </div>
  );
}
