/**
 * renderer/records/AuditChanges.tsx: the fields an audit event changed, each as "label: before → after"
 * in words (renderer/audit/audit-model.ts fieldChanges), never raw JSON. Shared by the audit timeline
 * and the record history panel.
 */
import type { AuditEventRow } from '../../common/queries/audit.ts';
import { fieldChanges } from '../audit/audit-model.ts';

export function AuditChanges({
  row,
  limit = 50,
}: {
  readonly row: Pick<AuditEventRow, 'changes' | 'before_state' | 'after_state'>;
  readonly limit?: number;
}) {
  const changes = fieldChanges(row);
  if (changes.length === 0) return null;
  const shown = changes.slice(0, limit);
  return (
    <dl className="audit-changes">
      {shown.map((c) => (
        <div key={c.field} className="audit-change">
          <dt>{c.label}</dt>
          <dd>
            {c.before !== null ? <span className="audit-before">{c.before}</span> : null}
            {c.before !== null && c.after !== null ? <span aria-label="changed to"> → </span> : null}
            {c.after !== null ? <span className="audit-after">{c.after}</span> : null}
          </dd>
        </div>
      ))}
      {changes.length > shown.length ? (
        <p className="muted">and {changes.length - shown.length} more fields</p>
      ) : null}
    </dl>
  );
}
