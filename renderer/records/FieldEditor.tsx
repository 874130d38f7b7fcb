/**
 * renderer/records/FieldEditor.tsx: the editor of one field, chosen by its presentation
 * (common/records/presentation.ts): a select for a fixed choice, a picker of named rows for a reference,
 * a switch for a boolean, a date or local date-and-time input, a number input with its currency, a
 * multi-line box for long text, JSON and code. It edits text (edit.ts parses it on save), so nothing the
 * user typed is lost when a value does not parse.
 *
 * Accessibility: every editor is labelled by the field's <label htmlFor>, the switch is a button with
 * role=switch and aria-checked, and an invalid field has aria-invalid and names its error.
 */
import { useMemo, useState } from 'react';
import { choiceLabel } from '../../common/records/fields.ts';
import type { ColumnInfo, Row } from '../../common/rpc/contract.ts';
import { useLive } from '../platform/use-live.ts';
import { currencyOf } from './format.ts';

export interface FieldEditorProps {
  readonly id: string;
  readonly column: ColumnInfo;
  readonly text: string;
  readonly row: Row;
  readonly invalid?: string | undefined;
  readonly onChange: (text: string) => void;
}

function ReferencePicker(props: FieldEditorProps & { readonly table: string }) {
  const live = useLive('table.query', { table: props.table, limit: 1000 });
  const [filter, setFilter] = useState('');
  const options = useMemo(() => {
    const page = live.value;
    if (!page) return [];
    return page.rows
      .map((row, i) => ({ id: String(row['id']), label: page.rowLabels[i] || String(row['id']) }))
      .sort((a, b) => a.label.localeCompare(b.label));
  }, [live.value]);
  const shown = filter
    ? options.filter((o) => o.label.toLowerCase().includes(filter.toLowerCase()) || o.id === props.text)
    : options;
  return (
    <div className="reference-picker">
      {options.length > 12 ? (
        <input
          type="search"
          className="reference-filter"
          aria-label={`Find a ${props.column.presentation.label.toLowerCase()}`}
          placeholder="Type to narrow the list…"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      ) : null}
      <select
        id={props.id}
        value={props.text}
        aria-invalid={props.invalid ? true : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      >
        <option value="">{props.column.nullable ? '(none)' : 'Choose…'}</option>
        {props.text && !options.some((o) => o.id === props.text) ? (
          <option value={props.text}>{props.text} (not on this device)</option>
        ) : null}
        {shown.map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </select>
      {live.error ? <span className="muted"> {live.error.message}</span> : null}
    </div>
  );
}

export function FieldEditor(props: FieldEditorProps) {
  const { id, column, text, onChange } = props;
  const p = column.presentation;
  const invalid = props.invalid ? true : undefined;
  switch (p.format) {
    case 'choice':
      return (
        <select id={id} value={text} aria-invalid={invalid} onChange={(e) => onChange(e.target.value)}>
          {column.nullable || text === '' ? (
            <option value="">{column.nullable ? '(none)' : 'Choose…'}</option>
          ) : null}
          {(p.choices ?? []).map((choice) => (
            <option key={choice} value={choice}>
              {choiceLabel(choice)}
            </option>
          ))}
        </select>
      );
    case 'reference':
      if (p.references) return <ReferencePicker {...props} table={p.references} />;
      break;
    case 'boolean': {
      const on = text === 'true';
      return (
        <button
          id={id}
          type="button"
          role="switch"
          aria-checked={on}
          className={`switch ${on ? 'switch-on' : ''}`}
          onClick={() => onChange(on ? 'false' : 'true')}
        >
          <span className="switch-track" aria-hidden="true" />
          {on ? 'Yes' : 'No'}
        </button>
      );
    }
    case 'date':
      return (
        <input
          id={id}
          type="date"
          value={text}
          aria-invalid={invalid}
          onChange={(e) => onChange(e.target.value)}
        />
      );
    case 'datetime':
      return (
        <input
          id={id}
          type="datetime-local"
          value={text}
          aria-invalid={invalid}
          onChange={(e) => onChange(e.target.value)}
        />
      );
    case 'money':
    case 'number':
    case 'percent': {
      const currency = p.format === 'money' ? currencyOf(p, props.row) : null;
      return (
        <span className="number-input">
          <input
            id={id}
            inputMode="decimal"
            value={text}
            aria-invalid={invalid}
            onChange={(e) => onChange(e.target.value)}
          />
          {currency ? <span className="muted"> {currency}</span> : null}
        </span>
      );
    }
    case 'json':
    case 'array':
    case 'references':
    case 'long_text':
    case 'code':
      return (
        <textarea
          id={id}
          className={p.format === 'code' || p.format === 'json' ? 'mono' : undefined}
          rows={Math.min(16, Math.max(3, text.split('\n').length + 1))}
          value={text}
          aria-invalid={invalid}
          spellCheck={p.format === 'long_text'}
          onChange={(e) => onChange(e.target.value)}
        />
      );
    default:
      break;
  }
  return <input id={id} value={text} aria-invalid={invalid} onChange={(e) => onChange(e.target.value)} />;
}
