/**
 * renderer/records/FieldValue.tsx: one field of a record, read-only, in the form its presentation
 * decides (common/records/presentation.ts): references by the referenced row's label, dates in local
 * time with a relative hint, amounts with their currency, states and choices as badges, booleans as a
 * switch, JSON formatted and collapsible, long text on several lines, code in a code viewer.
 */
import { choiceLabel } from '../../common/records/fields.ts';
import { languageOfPath, type CodeLanguage } from '../../common/records/presentation.ts';
import type { ColumnInfo, Row } from '../../common/rpc/contract.ts';
import { CodeView } from './CodeView.tsx';
import { displayText, formatDateTime, shortId, type ReferenceLabels } from './format.ts';
import { JsonView } from './JsonView.tsx';
import { textOf } from '../../common/mutations/sql.ts';

export interface FieldValueProps {
  readonly column: ColumnInfo;
  readonly value: unknown;
  readonly row: Row;
  readonly labels: ReferenceLabels;
  readonly id?: string;
}

/** The language of a code field in `row` (fixed, or from a path column's extension). */
export function codeLanguage(column: ColumnInfo, row: Row): CodeLanguage {
  const language = column.presentation.language ?? 'text';
  if (typeof language === 'string') return language;
  const path = row[language.pathColumn];
  return typeof path === 'string' ? languageOfPath(path) : 'text';
}

export function FieldValue({ column, value, row, labels, id }: FieldValueProps) {
  const p = column.presentation;
  if (value === null || value === undefined)
    return (
      <span id={id} className="field-empty">
        —
      </span>
    );
  switch (p.format) {
    case 'datetime': {
      const at = formatDateTime(value);
      if (!at) break;
      return (
        <time id={id} dateTime={at.iso} title={at.iso}>
          {at.text} <span className="muted">· {at.relative}</span>
        </time>
      );
    }
    case 'reference': {
      const label = labels[column.name]?.[textOf(value)];
      return (
        <span id={id} className={label ? 'reference' : 'reference reference-missing'} title={textOf(value)}>
          {label ?? `${shortId(textOf(value))} (not on this device)`}
        </span>
      );
    }
    case 'references':
      if (!Array.isArray(value)) break;
      return (
        <ul id={id} className="reference-list">
          {value.map((v) => {
            const key = textOf(v);
            return (
              <li key={key} title={key} className="reference">
                {labels[column.name]?.[key] ?? shortId(key)}
              </li>
            );
          })}
        </ul>
      );
    case 'lifecycle':
    case 'choice':
      return (
        <span id={id} className={`badge badge-${textOf(value).replace(/[^a-z0-9_-]/gi, '')}`}>
          {choiceLabel(textOf(value))}
        </span>
      );
    case 'boolean':
      return (
        <span id={id} className={`switch switch-static ${value === true ? 'switch-on' : ''}`}>
          <span className="switch-track" aria-hidden="true" />
          {value === true ? 'Yes' : 'No'}
        </span>
      );
    case 'json':
    case 'array':
      if (typeof value !== 'object') break;
      return (
        <div id={id}>
          <JsonView value={value} />
        </div>
      );
    case 'code':
      return (
        <div id={id}>
          <CodeView code={textOf(value)} language={codeLanguage(column, row)} label={p.label} />
        </div>
      );
    case 'long_text':
      return (
        <div id={id} className="long-text">
          {textOf(value)}
        </div>
      );
    default:
      break;
  }
  return (
    <span id={id} className={p.format === 'uuid' ? 'mono' : undefined}>
      {displayText(value, column.name, p, row, labels)}
    </span>
  );
}
