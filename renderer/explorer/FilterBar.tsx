/**
 * renderer/explorer/FilterBar.tsx: the explorer's filters: one chip per filter (removable), and a
 * small form to add one (column, operator, value). `/` focuses the value field (Explorer.tsx).
 */
import { useState, type FormEvent } from 'react';
import type { ColumnInfo } from '../../common/rpc/contract.ts';
import { filterValue } from './column-kinds.ts';

/** The id of the value field, which `/` focuses. */
export const FILTER_VALUE_ID = 'filter-value';

export type FilterOp = 'eq' | 'neq' | 'lt' | 'lte' | 'gt' | 'gte' | 'contains' | 'is_null' | 'not_null';

export interface Filter {
  readonly column: string;
  readonly op: FilterOp;
  readonly value?: string | number | boolean | null;
}

export const OP_LABELS: Readonly<Record<FilterOp, string>> = {
  contains: 'contains',
  eq: '=',
  neq: '≠',
  lt: '<',
  lte: '≤',
  gt: '>',
  gte: '≥',
  is_null: 'is empty',
  not_null: 'is not empty',
};

const NO_VALUE: ReadonlySet<FilterOp> = new Set(['is_null', 'not_null']);

export function FilterBar(props: {
  readonly columns: readonly ColumnInfo[];
  readonly filters: readonly Filter[];
  readonly onChange: (filters: Filter[]) => void;
}) {
  const { columns, filters, onChange } = props;
  // The column that names the records, else the first shown.
  const [column, setColumn] = useState(
    columns.find((c) => c.name === 'name' || c.name === 'title')?.name ?? columns[0]?.name ?? '',
  );
  const [op, setOp] = useState<FilterOp>('contains');
  const [value, setValue] = useState('');
  const labelOf = (name: string) => columns.find((c) => c.name === name)?.presentation.label ?? name;

  function add(event: FormEvent) {
    event.preventDefault();
    const info = columns.find((c) => c.name === column);
    if (!info) return;
    const filter: Filter = NO_VALUE.has(op)
      ? { column, op }
      : { column, op, value: filterValue(value, info) };
    onChange([...filters, filter]);
    setValue('');
  }

  return (
    <div className="filter-bar">
      <ul className="chips" aria-label="Filters">
        {filters.map((f, i) => (
          <li key={`${f.column}-${f.op}-${String(f.value)}-${i}`} className="chip">
            {labelOf(f.column)} {OP_LABELS[f.op]} {NO_VALUE.has(f.op) ? '' : JSON.stringify(f.value)}
            <button
              type="button"
              className="icon-button"
              aria-label={`Remove filter ${labelOf(f.column)} ${OP_LABELS[f.op]}`}
              onClick={() => onChange(filters.filter((_, j) => j !== i))}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <form className="filter-form" onSubmit={add} aria-label="Add a filter">
        <select aria-label="Filter column" value={column} onChange={(e) => setColumn(e.target.value)}>
          {columns.map((c) => (
            <option key={c.name} value={c.name}>
              {c.presentation.label}
            </option>
          ))}
        </select>
        <select aria-label="Filter operator" value={op} onChange={(e) => setOp(e.target.value as FilterOp)}>
          {Object.entries(OP_LABELS).map(([key, label]) => (
            <option key={key} value={key}>
              {label}
            </option>
          ))}
        </select>
        <input
          id={FILTER_VALUE_ID}
          aria-label="Filter value"
          placeholder="value  ( / )"
          disabled={NO_VALUE.has(op)}
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
        <button type="submit" className="button">
          Add filter
        </button>
        {filters.length > 0 ? (
          <button type="button" className="link-button" onClick={() => onChange([])}>
            Clear
          </button>
        ) : null}
      </form>
    </div>
  );
}
