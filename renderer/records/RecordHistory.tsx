/**
 * renderer/records/RecordHistory.tsx: what happened to one record, from the audit log on this device
 * (the named query records.history, live): when, who (by name), what (the action in words) and which
 * fields changed, each before → after (AuditChanges, as in the audit timeline). The explorer's row
 * detail and the inbox's detail show it. Shown only to users who may read the audit log (it is not synced to others).
 */
import { useEffect, useState } from 'react';
import { choiceLabel, fieldLabel, joinWords } from '../../common/records/fields.ts';
import type { QueryRow } from '../../common/queries/registry.ts';
import { followQuery } from '../../common/rpc/domain.ts';
import { AuditChanges } from './AuditChanges.tsx';
import { formatDateTime } from './format.ts';
import { useEngine } from '../state/engine-store.ts';

type HistoryRow = QueryRow<'records.history'>;

/** `workspace_changeset.approved` → "Approved", `work_items.update` → "Updated". */
export function actionText(action: string): string {
  const verb = action.split('.').pop() ?? action;
  const words: Readonly<Record<string, string>> = {
    insert: 'Created',
    update: 'Updated',
    delete: 'Deleted',
    created: 'Created',
  };
  return words[verb] ?? choiceLabel(verb);
}

/** The fields an event changed, from its before and after states (or its metadata's column list). */
export function changedFields(row: Pick<HistoryRow, 'before_state' | 'after_state' | 'metadata'>): string[] {
  const listed = row.metadata?.['columns'];
  if (Array.isArray(listed)) return listed.filter((c): c is string => typeof c === 'string');
  if (!row.before_state || !row.after_state) return [];
  const keys = new Set([...Object.keys(row.before_state), ...Object.keys(row.after_state)]);
  return [...keys].filter(
    (k) =>
      k !== 'updated_at' && JSON.stringify(row.before_state?.[k]) !== JSON.stringify(row.after_state?.[k]),
  );
}

export function RecordHistory({ table, id }: { readonly table: string; readonly id: string }) {
  const client = useEngine((s) => s.client);
  const mayRead = useEngine((s) => s.session?.user.permissions.includes('audit:read') ?? false);
  const [rows, setRows] = useState<HistoryRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!client || !mayRead) return;
    return followQuery(client, { name: 'records.history', params: { table, id, limit: 50 } }, setRows, (e) =>
      setError(e.message),
    );
  }, [client, mayRead, table, id]);
  if (!mayRead) return null;
  return (
    <section className="record-history" aria-label="History">
      <h3>History</h3>
      {error ? <p className="error-box">{error}</p> : null}
      {rows === null && !error ? <p className="muted">Reading the audit log on this device…</p> : null}
      {rows?.length === 0 ? <p className="muted">No recorded changes on this device.</p> : null}
      <ol className="timeline">
        {(rows ?? []).map((row) => {
          const at = formatDateTime(row.created_at);
          const fields = changedFields(row);
          return (
            <li key={row.id}>
              <span className="timeline-what">
                {actionText(row.action)}
                {fields.length > 0 ? ` ${joinWords(fields.map((f) => fieldLabel(f).toLowerCase()))}` : ''}
              </span>{' '}
              <span className="muted">
                by {row.actor_name ?? choiceLabel(row.actor_type).toLowerCase()}
                {at ? (
                  <>
                    {' · '}
                    <time dateTime={at.iso} title={at.text}>
                      {at.relative}
                    </time>
                  </>
                ) : null}
              </span>
              <AuditChanges row={row} limit={8} />
            </li>
          );
        })}
      </ol>
    </section>
  );
}
