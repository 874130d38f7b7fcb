/**
 * renderer/explorer/RowDetail.tsx: one record in full, live (it follows sync), in people's terms
 * (renderer/records: names for references, local times, amounts, choices, formatted JSON, code), and,
 * for the fields the sync rules let this user write, an editor per field that saves through the core's
 * table writes and shows whether the change is waiting, uploading, synced or rejected (with the
 * reason as a sentence). Also the form for a new record where inserts are allowed, and Delete where
 * deletes are. The record's identity (id, tenant, created, updated) sits apart from its fields.
 *
 * The caller renders it with `key` = its target, so another row never inherits this one's draft.
 *
 * Guarantees: only changed fields are sent; a field that does not parse for its form blocks the save
 * with a sentence naming it; nothing the user typed is lost on a failed save (the form keeps it), and
 * a refused write marks the field it names.
 */
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { isOutpostError } from '../../common/errors.ts';
import type { ColumnInfo, Row, TableInfo } from '../../common/rpc/contract.ts';
import { useLive } from '../platform/use-live.ts';
import { editText, parseEdit } from '../records/edit.ts';
import { FieldEditor } from '../records/FieldEditor.tsx';
import { FieldValue } from '../records/FieldValue.tsx';
import { LifecycleActions } from '../records/LifecycleActions.tsx';
import { engineClient, useEngine } from '../state/engine-store.ts';
import { RecordHistory } from '../records/RecordHistory.tsx';
import { trackWrite, trackedText, type TrackedWrite } from './write-tracking.ts';

export type DetailTarget =
  | { readonly mode: 'row'; readonly key: Readonly<Record<string, string | number>> }
  | { readonly mode: 'new' };

/** The record's identity and bookkeeping: shown apart from its fields, never edited. */
const IDENTITY = new Set(['id', 'tenant_id', 'created_at', 'updated_at']);

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

/** The problem a refused write names for one field: the core's error details carry the column. */
interface Problem {
  readonly message: string;
  readonly column: string | null;
}

function problemOf(error: unknown): Problem {
  const message = error instanceof Error ? error.message : String(error);
  const column =
    isOutpostError(error) && typeof error.details['column'] === 'string' ? error.details['column'] : null;
  return { message, column };
}

function Field(props: {
  readonly table: string;
  readonly column: ColumnInfo;
  readonly row: Row;
  readonly labels: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly editing: boolean;
  readonly text: string;
  readonly problem: string | undefined;
  readonly onChange: (text: string) => void;
  readonly onMoved: (mutationId: string) => void;
  readonly onError: (error: unknown) => void;
}) {
  const { column } = props;
  const rowId = props.row['id'];
  const id = `field-${column.name}`;
  const wide = ['json', 'code', 'long_text', 'array', 'references'].includes(column.presentation.format);
  return (
    <div className={`detail-field ${wide ? 'detail-field-wide' : ''}`} data-column={column.name}>
      <dt>
        <label htmlFor={id} title={`${column.name} (${column.type})`}>
          {column.presentation.label}
        </label>
      </dt>
      <dd>
        {props.editing ? (
          <FieldEditor
            id={id}
            column={column}
            text={props.text}
            row={props.row}
            invalid={props.problem}
            onChange={props.onChange}
          />
        ) : (
          <FieldValue
            id={id}
            column={column}
            value={props.row[column.name]}
            row={props.row}
            labels={props.labels}
          />
        )}
        {column.presentation.format === 'lifecycle' &&
        typeof rowId === 'string' &&
        typeof props.row[column.name] === 'string' ? (
          <LifecycleActions
            table={props.table}
            id={rowId}
            state={props.row[column.name] as string}
            onMoved={props.onMoved}
            onError={props.onError}
          />
        ) : null}
        {props.problem ? (
          <p className="field-problem" role="alert">
            {props.problem}
          </p>
        ) : null}
      </dd>
    </div>
  );
}

export function RowDetail(props: {
  readonly table: TableInfo;
  readonly target: DetailTarget;
  readonly onClose: () => void;
}) {
  const { table, target } = props;
  const session = useEngine((s) => s.session);
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
  const row: Row = (target.mode === 'row' ? live.value?.rows[0] : undefined) ?? {};
  const labels = live.value?.labels ?? {};
  const writable = table.writable;
  const editable = useMemo(
    () =>
      new Set(
        target.mode === 'new'
          ? (writable?.insertColumns ?? []).filter((c) => !table.primaryKey.includes(c))
          : (writable?.updateColumns ?? []),
      ),
    [writable, target.mode, table.primaryKey],
  );
  const canUpdate = writable?.operations.includes('update') ?? false;
  const canInsert = writable?.operations.includes('insert') ?? false;
  const canDelete = writable?.operations.includes('delete') ?? false;
  const mayEdit = target.mode === 'new' ? canInsert : canUpdate;
  // A record opens to be read (names, local times, amounts); Edit turns its writable fields into
  // editors. A new record starts editing.
  const [editMode, setEditMode] = useState(target.mode === 'new');
  const editing = mayEdit && editMode;
  const multiTenant = (session?.tenant.visibleTenantIds.length ?? 0) > 1;
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [problems, setProblems] = useState<Problem[]>([]);
  const [mutationId, setMutationId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  // The caller keys this component by its target, so a new target starts with a fresh form.
  useEffect(() => heading.current?.focus(), []);

  const columnOf = (name: string) => table.columns.find((c) => c.name === name);
  const original = (name: string) => {
    const column = columnOf(name);
    return column && target.mode === 'row' ? editText(row[name], column) : '';
  };
  const value = (name: string) => draft[name] ?? original(name);
  const changed = Object.keys(draft).filter((name) =>
    target.mode === 'new' ? draft[name] !== '' : draft[name] !== original(name),
  );
  const fields = table.columns.filter(
    (c) =>
      !IDENTITY.has(c.name) &&
      !(target.mode === 'row' && table.primaryKey.includes(c.name)) &&
      (target.mode === 'row' || editable.has(c.name)),
  );
  const identity = table.columns.filter((c) => IDENTITY.has(c.name) || table.primaryKey.includes(c.name));

  async function save(event: FormEvent) {
    event.preventDefault();
    const values: Record<string, unknown> = {};
    const found: Problem[] = [];
    for (const name of changed) {
      const column = columnOf(name);
      if (!column) continue;
      const parsed = parseEdit(draft[name] ?? '', column);
      if (parsed.ok) values[name] = parsed.value;
      else found.push({ message: parsed.error, column: name });
    }
    setProblems(found);
    if (found.length > 0 || changed.length === 0) return;
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
      if (target.mode === 'row') setEditMode(false);
    } catch (error) {
      setProblems([problemOf(error)]);
    } finally {
      setBusy(false);
    }
  }

  function stopEditing() {
    setDraft({});
    setProblems([]);
    setEditMode(false);
  }

  async function remove() {
    if (target.mode !== 'row') return;
    const name = live.value?.rowLabels[0] || `this ${table.noun}`;
    if (!window.confirm(`Delete ${name}? The deletion is uploaded like any other change.`)) return;
    setBusy(true);
    try {
      const result = await engineClient().call('table.write', {
        table: table.table,
        op: 'delete',
        key: target.key,
      });
      setMutationId(result.mutationId);
    } catch (error) {
      setProblems([problemOf(error)]);
    } finally {
      setBusy(false);
    }
  }

  const problemFor = (name: string) => problems.find((p) => p.column === name)?.message;
  const general = problems.filter((p) => p.column === null || !fields.some((f) => f.name === p.column));
  const gone = target.mode === 'row' && live.value !== undefined && !live.value.rows[0];
  const title =
    target.mode === 'new'
      ? `New ${table.noun}`
      : gone
        ? `This ${table.noun} is gone`
        : live.value?.rowLabels[0] || `${table.noun} (loading…)`;
  return (
    <aside className="row-detail" aria-label={title} data-testid="row-detail">
      <header>
        <div>
          <p className="eyebrow">{target.mode === 'new' ? table.title : table.noun}</p>
          <h2 tabIndex={-1} ref={heading}>
            {title}
          </h2>
        </div>
        <button type="button" className="icon-button" aria-label="Close (Escape)" onClick={props.onClose}>
          ×
        </button>
      </header>
      {mutationId ? <WriteStatus id={mutationId} /> : null}
      {target.mode === 'row' && live.error ? <p className="error-box">{live.error.message}</p> : null}
      {target.mode === 'row' && live.value && !live.value.rows[0] ? (
        <p className="info-box">
          This {table.noun} is no longer visible: it was deleted, or it left your scope.
        </p>
      ) : null}
      <form onSubmit={(e) => void save(e)} className="detail-form">
        <dl className="detail-fields">
          {fields.map((column) => (
            <Field
              key={column.name}
              table={table.table}
              column={column}
              row={row}
              labels={labels}
              editing={editing && editable.has(column.name)}
              text={value(column.name)}
              problem={problemFor(column.name)}
              onChange={(text) => setDraft((d) => ({ ...d, [column.name]: text }))}
              onMoved={(id) => {
                setProblems([]);
                setMutationId(id);
              }}
              onError={(error) => setProblems([problemOf(error)])}
            />
          ))}
        </dl>
        {general.length > 0 ? (
          <div className="error-box" role="alert">
            {general.map((p) => (
              <div key={p.message}>{p.message}</div>
            ))}
          </div>
        ) : null}
        <div className="detail-actions">
          {!mayEdit || editable.size === 0 ? (
            <p className="muted">
              {target.mode === 'row' && canInsert
                ? `A ${table.noun} is not edited once it exists; its state moves through its own actions.`
                : `You can read ${table.title.toLowerCase()}; your role may not change them.`}
            </p>
          ) : editing ? (
            <button type="submit" className="button button-primary" disabled={busy || changed.length === 0}>
              {target.mode === 'new' ? `Create ${table.noun}` : 'Save changes'}
            </button>
          ) : (
            <button type="button" className="button button-primary" onClick={() => setEditMode(true)}>
              Edit
            </button>
          )}
          {editing && target.mode === 'row' ? (
            <button type="button" className="button" onClick={stopEditing}>
              {changed.length > 0 ? 'Discard changes' : 'Done'}
            </button>
          ) : editing && changed.length > 0 ? (
            <button type="button" className="button" onClick={() => setDraft({})}>
              Discard
            </button>
          ) : null}
          {target.mode === 'row' && canDelete && live.value?.rows[0] ? (
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
      {target.mode === 'row' && live.value?.rows[0] ? (
        <details className="detail-identity">
          <summary>Record</summary>
          <dl className="detail-fields">
            {identity
              .filter((c) => c.name !== 'tenant_id' || multiTenant)
              .map((column) => (
                <div key={column.name} className="detail-field" data-column={column.name}>
                  <dt>{column.presentation.label}</dt>
                  <dd>
                    <FieldValue
                      id={`field-${column.name}`}
                      column={column}
                      value={row[column.name]}
                      row={row}
                      labels={labels}
                    />
                  </dd>
                </div>
              ))}
          </dl>
        </details>
      ) : null}
      {target.mode === 'row' && table.primaryKey.length === 1 && live.value?.rows[0] ? (
        <RecordHistory table={table.table} id={String(row[table.primaryKey[0] ?? 'id'])} />
      ) : null}
    </aside>
  );
}
