/**
 * renderer/records/JsonView.tsx: a JSON value formatted and collapsible: objects and arrays are
 * disclosure sections (open to the second level, then closed), keys in words of their own, strings
 * quoted, numbers and booleans as themselves. Keyboard: every section is a native <details>/<summary>,
 * so Tab reaches it and Enter or Space opens and closes it.
 */
import type { ReactNode } from 'react';
import { textOf } from '../../common/mutations/sql.ts';

const MAX_ITEMS = 200;

function scalar(value: unknown): ReactNode {
  if (value === null) return <span className="json-null">null</span>;
  if (typeof value === 'string') return <span className="json-string">“{value}”</span>;
  if (typeof value === 'number' || typeof value === 'boolean')
    return <span className="json-scalar">{textOf(value)}</span>;
  return <span className="json-scalar">{textOf(value)}</span>;
}

function summary(value: unknown): string {
  if (Array.isArray(value)) return `[${value.length} item${value.length === 1 ? '' : 's'}]`;
  const keys = Object.keys(value as object);
  return `{${keys.length} field${keys.length === 1 ? '' : 's'}}`;
}

function Node({ name, value, depth }: { name: string | null; value: unknown; depth: number }) {
  if (value === null || typeof value !== 'object')
    return (
      <div className="json-row">
        {name !== null ? <span className="json-key">{name}: </span> : null}
        {scalar(value)}
      </div>
    );
  const entries: (readonly [string, unknown])[] = Array.isArray(value)
    ? (value as unknown[]).map((v, i) => [String(i), v] as const)
    : Object.entries(value as Record<string, unknown>);
  return (
    <details className="json-node" open={depth < 2}>
      <summary>
        {name !== null ? <span className="json-key">{name}: </span> : null}
        <span className="muted">{summary(value)}</span>
      </summary>
      <div className="json-children">
        {entries.slice(0, MAX_ITEMS).map(([key, child]) => (
          <Node key={key} name={key} value={child} depth={depth + 1} />
        ))}
        {entries.length > MAX_ITEMS ? (
          <div className="muted">… and {entries.length - MAX_ITEMS} more</div>
        ) : null}
      </div>
    </details>
  );
}

export function JsonView({ value }: { readonly value: unknown }) {
  return (
    <div className="json-view">
      <Node name={null} value={value} depth={0} />
    </div>
  );
}
