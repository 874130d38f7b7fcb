/**
 * renderer/explorer/RowDetail.tsx: one row in full, live (it follows sync), and, for the columns the
 * sync rules let this user write, an editor that saves through the core's table writes and shows
 * whether the change is waiting, uploading, synced or rejected (with the server's reason). Also the
 * form for a new row where inserts are allowed, and Delete where deletes are.
 *
 * The caller renders it with `key` = its target, so another row never inherits this one's draft.
 *
 * Guarantees: only changed fields are sent; a field that does not parse for its type blocks the save
 * with an error naming it; nothing the user typed is lost on a failed save (the form keeps it).
 */
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { Row, TableInfo } from '../../common/rpc/contract.ts';
import { useLive } from '../platform/use-live.ts';
import { engineClient, tenantLabel, useEngine } from '../state/engine-store.ts';
import { columnKind, editText, formatDetail, parseEdit } from './column-kinds.ts';
import { trackWrite, trackedText, type TrackedWrite } from './write-tracking.ts';

export type DetailTarget =
  | { readonly mode: 'row'; readonly key: Readonly<Record<string, string | number>> }
  | { readonly mode: 'new' };

export function keyOf(table: TableInfo, row: Row): Record<string, string | number> {
  const key: Record<string, string | number> = {};
  for (const column of table.primaryKey) {
    const value = row[column];
    key[column] = typeof value === 'number' ? value : String(value);
  }
  return key;
}

function WriteStatus({ id }: { id: string }) {
  const writes = useEngine((s) => s.writes);
  const [seen, setSeen] = useState(false);
  const [rejection, setRejection] = useState<TrackedWrite | null>(null);
  const listed = writes.some((w) => w.id === id);
  const tracked = trackWrite(writes, id, seen || listed, rejection);
  // Remembered during render (React's pattern for state derived from a previous render).
  if (listed && !seen) setSeen(true);
  if (tracked.status === 'rejected' && rejection === null) setRejection(tracked);
  return (
    <p
      className={`write-state write-state-${tracked.status}`}
      data-testid="write-state"
      data-status={tracked.status}
      role="status"
    >
      {trackedText(tracked)}
    </p>
  );
}

export function RowDetail(props: {
  readonly table: TableInfo;
  readonly target: DetailTarget;
  readonly onClose: () => void;
}) {
  const { table, target } = props;
  const tenantNames = useEngine((s) => s.tenantNames);
  const live = useLive(
    'table.query',
    target.mode === 'row'
      ? {
          table: table.table,
          filters: Object.entries(target.key).map(([column, value]) => ({
            column,
            op: 'eq' as const,
            value,
          })),
          limit: 1,
        }
      : null,
  );
  const row = target.mode === 'row' ? live.value?.rows[0] : undefined;
  const writable = useMemo(() => new Set(table.writable?.columns ?? []), [table.writable]);
  const canUpdate = table.writable?.operations.includes('update') ?? false;
  const canInsert = table.writable?.operations.includes('insert') ?? false;
  const canDelete = table.writable?.operations.includes('delete') ?? false;
  const editing = target.mode === 'new' ? canInsert : canUpdate;
  // A row's identity (primary key) and its tenant are fixed once it exists; a new row may set them
  // where the rules allow (an empty primary key takes the database default).
  const fixed = new Set(target.mode === 'row' ? [...table.primaryKey, 'tenant_id'] : []);
  const editable = table.columns.filter(
    (c) => writable.has(c.name) && !fixed.has(c.name) && columnKind(c.type) !== 'vector',
  );
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<string[]>([]);
  const [mutationId, setMutationId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  // The caller keys this component by its target, so a new target starts with a fresh form.
  useEffect(() => heading.current?.focus(), []);

  const original = (name: string) =>
    editText(row?.[name], columnKind(table.columns.find((c) => c.name === name)?.type ?? 'text'));
  const value = (name: string) => draft[name] ?? (target.mode === 'row' ? original(name) : '');
  const changed = Object.keys(draft).filter((name) =>
    target.mode === 'new' ? draft[name] !== '' : draft[name] !== original(name),
  );

  async function save(event: FormEvent) {
    event.preventDefault();
    const values: Record<string, unknown> = {};
    const problems: string[] = [];
    for (const name of changed) {
      const column = table.columns.find((c) => c.name === name);
      if (!column) continue;
      const parsed = parseEdit(draft[name] ?? '', column);
      if (parsed.ok) values[name] = parsed.value;
      else problems.push(parsed.error);
    }
    setErrors(problems);
    if (problems.length > 0 || changed.length === 0) return;
    setBusy(true);
    try {
      const result =
        target.mode === 'new'
          ? await engineClient().call('table.write', { table: table.table, op: 'insert', values })
          : await engineClient().call('table.write', {
              table: table.table,
              op: 'update',
              key: target.key,
              values,
            });
      setMutationId(result.mutationId);
      setDraft({});
    } catch (error) {
      setErrors([(error as Error).message]);
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    if (target.mode !== 'row') return;
    if (!window.confirm(`Delete this row of ${table.table}? The deletion is uploaded like any other change.`))
      return;
    setBusy(true);
    try {
      const result = await engineClient().call('table.write', {
        table: table.table,
        op: 'delete',
        key: target.key,
      });
      setMutationId(result.mutationId);
    } catch (error) {
      setErrors([(error as Error).message]);
    } finally {
      setBusy(false);
    }
  }

  const title = target.mode === 'new' ? `New row in ${table.table}` : `${table.table} row`;
  return (
    <aside className="row-detail" aria-label={title} data-testid="row-detail">
      <header>
        <h2 tabIndex={-1} ref={heading}>
          {title}
        </h2>
        <button
          type="button"
          className="icon-button"
          aria-label="Close row detail (Escape)"
          onClick={props.onClose}
        >
          ×
        </button>
      </header>
      {mutationId ? <WriteStatus id={mutationId} /> : null}
      {target.mode === 'row' && live.error ? <p className="error-box">{live.error.message}</p> : null}
      {target.mode === 'row' && live.value && !row ? (
        <p className="info-box">This row is no longer visible: it was deleted, or it left your scope.</p>
      ) : null}
      <form onSubmit={(e) => void save(e)} className="detail-form">
        <dl className="detail-fields">
          {table.columns.map((column) => {
            const kind = columnKind(column.type);
            const canEdit = editing && editable.includes(column);
            if (target.mode === 'new' && !canEdit) return null;
            const current = row?.[column.name];
            return (
              <div key={column.name} className="detail-field">
                <dt>
                  <label htmlFor={`field-${column.name}`}>{column.name}</label>
                  <span className="muted"> {column.type}</span>
                </dt>
                <dd>
                  {canEdit ? (
                    kind === 'json' || kind === 'array' ? (
                      <textarea
                        id={`field-${column.name}`}
                        rows={Math.min(10, Math.max(3, value(column.name).split('\n').length))}
                        value={value(column.name)}
                        onChange={(e) => setDraft((d) => ({ ...d, [column.name]: e.target.value }))}
                      />
                    ) : kind === 'boolean' ? (
                      <select
                        id={`field-${column.name}`}
                        value={value(column.name)}
                        onChange={(e) => setDraft((d) => ({ ...d, [column.name]: e.target.value }))}
                      >
                        {column.nullable || value(column.name) === '' ? (
                          <option value="">(empty)</option>
                        ) : null}
                        <option value="true">true</option>
                        <option value="false">false</option>
                      </select>
                    ) : (
                      <input
                        id={`field-${column.name}`}
                        value={value(column.name)}
                        inputMode={kind === 'number' ? 'decimal' : undefined}
                        onChange={(e) => setDraft((d) => ({ ...d, [column.name]: e.target.value }))}
                      />
                    )
                  ) : column.name === 'tenant_id' ? (
                    <span id={`field-${column.name}`}>{tenantLabel(tenantNames, current)}</span>
                  ) : (
                    <pre id={`field-${column.name}`} className={current === null ? 'grid-null' : ''}>
                      {current === null ? 'null' : formatDetail(current, kind)}
                    </pre>
                  )}
                </dd>
              </div>
            );
          })}
        </dl>
        {errors.length > 0 ? (
          <div className="error-box" role="alert">
            {errors.map((e) => (
              <div key={e}>{e}</div>
            ))}
          </div>
        ) : null}
        <div className="detail-actions">
          {editing && editable.length > 0 ? (
            <button type="submit" className="button button-primary" disabled={busy || changed.length === 0}>
              {target.mode === 'new' ? 'Create' : 'Save changes'}
            </button>
          ) : (
            <p className="muted">You can read this table; your role may not change it.</p>
          )}
          {editing && changed.length > 0 ? (
            <button type="button" className="button" onClick={() => setDraft({})}>
              Discard
            </button>
          ) : null}
          {target.mode === 'row' && canDelete && row ? (
            <button
              type="button"
              className="button button-danger"
              disabled={busy}
              onClick={() => void remove()}
            >
              Delete
            </button>
          ) : null}
        </div>
      </form>
    </aside>
  );
}
