/**
 * renderer/inbox/WhoDecided.tsx: who decided, and who may, by name, in the places the inbox needs it:
 *   - DecisionTrail: the decisions recorded for one approval so far (a quorum collects several), live
 *     from `approvals.decisions`, each with the decider, whom they acted for and when;
 *   - WhoMayDecide: the approval's approvers, live from its record, the reader marked;
 *   - WhatHappened: for a decision of the reader's that the server refused, what the record says now
 *     (approved or rejected by whom and when, with the reason; expired; escalated; a changeset's
 *     review), so a refusal always shows what won instead of only that it lost.
 *
 * Each says "Reading…" until its data has answered, and says an empty answer in words ("None yet",
 * "Nobody can decide this now"): never a dash, which reads as "nobody" while it is still loading.
 */
import type { TablePage } from '../../common/rpc/contract.ts';
import { useNamedQuery } from '../state/use-named-query.ts';
import { formatDateTime } from '../records/format.ts';
import { useRecord } from '../records/live-record.ts';
import type { InboxItem } from './inbox-model.ts';

/** A row's value as text ('' for anything that is not a string or a number). */
function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

function at(iso: unknown): string {
  return typeof iso === 'string' ? (formatDateTime(iso)?.text ?? '') : '';
}

export function DecisionTrail({ approvalId }: { readonly approvalId: string }) {
  const rows = useNamedQuery({ name: 'approvals.decisions', params: { approvalId } });
  if (rows === null) return <span className="muted">Reading…</span>;
  if (rows.length === 0) return <>None yet</>;
  return (
    <ul className="inbox-people" data-testid="inbox-decision-trail">
      {rows.map((d) => (
        <li key={d.id}>
          {d.decided_by_name ?? 'Someone you cannot see'} {d.decision === 'approve' ? 'approved' : 'rejected'}
          {d.on_behalf_of_name ? ` for ${d.on_behalf_of_name}` : ''}
          <span className="muted"> · {at(d.decided_at)}</span>
          {d.reason ? <span className="muted"> · “{d.reason}”</span> : null}
        </li>
      ))}
    </ul>
  );
}

/** Who may decide approval `approvalId`, by name, live. */
export function WhoMayDecide({
  approvalId,
  me,
}: {
  readonly approvalId: string;
  readonly me: string | null;
}) {
  return <Approvers page={useRecord('approvals', approvalId)} me={me} />;
}

/** The approvers of an approval's record page (null: still reading) by name, the reader marked. */
export function Approvers({ page, me }: { readonly page: TablePage | null; readonly me: string | null }) {
  if (page === null) return <span className="muted">Reading…</span>;
  const row = page.rows[0];
  if (!row) return <span className="muted">Not on this device</span>;
  const ids = Array.isArray(row['approver_ids']) ? (row['approver_ids'] as string[]) : [];
  if (ids.length === 0) return <>Nobody can decide this now</>;
  const names = page.labels['approver_ids'] ?? {};
  return (
    <ul className="inbox-people" data-testid="inbox-approvers">
      {ids.map((id) => (
        <li key={id}>
          {names[id] ?? 'Someone you cannot see'}
          {id === me ? <span className="muted"> (you)</span> : null}
        </li>
      ))}
    </ul>
  );
}

const APPROVAL_WORDS: Readonly<Record<string, string>> = {
  approved: 'Approved',
  rejected: 'Rejected',
  expired: 'Expired',
  escalated: 'Escalated',
  pending: 'Still pending',
};

/** What the item's record says now, in one sentence, by name. */
export function WhatHappened({ item }: { readonly item: InboxItem }) {
  const table =
    item.kind === 'changeset' ? 'workspace_changesets' : item.kind === 'approval' ? 'approvals' : null;
  const page = useRecord(table, item.id);
  const row = page?.rows[0];
  if (!page || !row) return null;
  const status = text(row['status']);
  let sentence: string;
  if (item.kind === 'approval') {
    const who = page.labels['approved_by']?.[text(row['approved_by'])];
    sentence = APPROVAL_WORDS[status] ?? status;
    if ((status === 'approved' || status === 'rejected') && who) sentence += ` by ${who}`;
    if (status === 'approved' || status === 'rejected')
      sentence += row['approved_at'] ? ` on ${at(row['approved_at'])}` : '';
    if (status === 'expired') sentence += ` on ${at(row['expires_at'])}`;
    if (status === 'escalated') sentence += ` (${text(row['escalation_count']) || '1'}×), to other approvers`;
    if (status === 'rejected' && row['rejected_reason']) sentence += `: “${text(row['rejected_reason'])}”`;
  } else {
    const who = page.labels['reviewed_by']?.[text(row['reviewed_by'])];
    const words: Readonly<Record<string, string>> = {
      draft: 'Sent back to its author',
      pending_review: 'Still waiting for review',
      approved: 'Approved',
      applied: 'Approved and applied',
    };
    sentence = `${words[status] ?? status}${who ? ` by ${who}` : ''}${row['reviewed_at'] ? ` on ${at(row['reviewed_at'])}` : ''}`;
  }
  return (
    <span className="inbox-what-happened" data-testid="inbox-what-happened">
      Now: {sentence}.
    </span>
  );
}
