/**
 * renderer/inbox/InboxDetail.tsx: the inbox's detail pane for the active item: title, description, who
 * asks (and for which assistant), the work item with its estimated cost and context, risk, a live
 * expiry countdown and the escalations, who decided so far and who else may decide, the actions
 * (approve, reject, open the record), a changeset's diff preview, and the item's history from the
 * audit log on this device. Everything by name: approvers and people through the page labels of the
 * local tables (core/tables), never as ids.
 */
import { navigate } from '../app/routes.ts';
import { openRowDetail } from '../explorer/explorer-ui.ts';
import { explorerAddress } from '../explorer/route.ts';
import { formatDateTime, formatMoney } from '../records/format.ts';
import { JsonView } from '../records/JsonView.tsx';
import { useNow, useRecord } from '../records/live-record.ts';
import { RecordHistory } from '../records/RecordHistory.tsx';
import { useEngine } from '../state/engine-store.ts';
import { ChangesetPreview } from './ChangesetPreview.tsx';
import { decide, startReject } from './inbox-actions.ts';
import { countdown, quorumText, type InboxItem } from './inbox-model.ts';
import { DecisionTrail, WhoMayDecide } from './WhoDecided.tsx';

function openRecord(item: InboxItem): void {
  navigate(explorerAddress, { table: item.table });
  openRowDetail({ mode: 'row', key: { id: item.id } });
}

function Fact({ label, children }: { readonly label: string; readonly children: React.ReactNode }) {
  return (
    <div className="inbox-fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function When({ iso }: { readonly iso: string | null }) {
  const at = formatDateTime(iso);
  return at ? <time dateTime={at.iso} title={at.iso}>{`${at.text} (${at.relative})`}</time> : <>—</>;
}

export function InboxDetail({ item }: { readonly item: InboxItem | null }) {
  const now = useNow(1000);
  const me = useEngine((s) => s.session?.user.id ?? null);
  const workItem = useRecord(item?.workItemId ? 'work_items' : null, item?.workItemId ?? null);
  if (!item)
    return (
      <section className="inbox-detail empty" aria-label="Item">
        <p className="muted">Choose an item with j and k, or click one.</p>
      </section>
    );
  const expiry = formatDateTime(item.expiresAt);
  const left = countdown(item.expiresAt, now);
  const context = workItem?.rows[0]?.['context'];
  const cost = item.estimatedCost ? formatMoney(item.estimatedCost, 'USD') : null;
  return (
    <section className="inbox-detail" aria-label="Item" data-testid="inbox-detail">
      <header>
        <p className="inbox-kind">
          {item.kind === 'approval' ? 'Approval' : item.kind === 'changeset' ? 'Changeset' : 'Work item'}
          {item.tenantName ? ` · ${item.tenantName}` : ''}
        </p>
        <h2>{item.title}</h2>
        {item.description ? <p className="inbox-description">{item.description}</p> : null}
      </header>
      {item.decidable ? (
        <div className="inbox-actions">
          <button
            type="button"
            className="button button-primary"
            onClick={() => void decide('approve', null, [item])}
          >
            Approve <kbd>a</kbd>
          </button>
          <button type="button" className="button button-danger" onClick={() => startReject([item])}>
            Reject… <kbd>r</kbd>
          </button>
          <button type="button" className="button" onClick={() => openRecord(item)}>
            Open record <kbd>Enter</kbd>
          </button>
        </div>
      ) : (
        <div className="inbox-actions">
          <span className="muted">
            {item.myDecision
              ? `You ${item.myDecision === 'approve' ? 'approved' : 'rejected'}; waiting for the other approvers.`
              : 'Waiting for an approver’s decision.'}
          </span>
          <button type="button" className="button" onClick={() => openRecord(item)}>
            Open record <kbd>Enter</kbd>
          </button>
        </div>
      )}
      <dl className="inbox-facts">
        <Fact
          label={
            item.kind === 'changeset'
              ? 'Proposed by'
              : item.kind === 'work_item'
                ? 'Created by'
                : 'Requested by'
          }
        >
          {item.requesterName ?? '—'}
        </Fact>
        {item.onBehalfOfName ? <Fact label="You decide for">{item.onBehalfOfName} (delegation)</Fact> : null}
        {item.assistantName ? <Fact label="Assistant">{item.assistantName}</Fact> : null}
        {item.risk !== null ? (
          <Fact label="Risk">
            <span className={`risk risk-${item.risk}`}>{item.risk} of 5</span>
          </Fact>
        ) : null}
        {item.expiresAt ? (
          <Fact label={item.kind === 'work_item' ? 'Due' : 'Expires'}>
            <span data-testid="inbox-countdown" className={left === 'expired' ? 'overdue' : undefined}>
              {left}
            </span>{' '}
            <span className="muted" title={expiry?.iso}>
              {expiry?.text}
            </span>
          </Fact>
        ) : null}
        {item.kind === 'approval' ? (
          <Fact label="Escalations">{item.escalations === 0 ? 'None' : item.escalations}</Fact>
        ) : null}
        {quorumText(item) ? <Fact label="Quorum">{quorumText(item)}</Fact> : null}
        {item.kind === 'approval' ? (
          <Fact label="Decided so far">
            <DecisionTrail approvalId={item.id} />
          </Fact>
        ) : null}
        {item.kind === 'approval' ? (
          <Fact label="Who may decide">
            <WhoMayDecide approvalId={item.id} me={me} />
          </Fact>
        ) : null}
        <Fact label={item.kind === 'work_item' ? 'Changed' : 'Asked'}>
          <When iso={item.createdAt} />
        </Fact>
        {item.facts.filter(Boolean).length > 0 ? (
          <Fact label="Details">{item.facts.filter(Boolean).join(' · ')}</Fact>
        ) : null}
      </dl>
      {item.workItemId ? (
        <section className="inbox-work-item" aria-label="Work item">
          <h3>Work item</h3>
          <p>
            <strong>{item.workItemTitle ?? 'A work item you cannot see'}</strong>
            {cost ? <span className="muted"> · estimated {cost}</span> : null}
          </p>
          {context && typeof context === 'object' && Object.keys(context).length > 0 ? (
            <JsonView value={context} />
          ) : (
            <p className="muted">No context recorded.</p>
          )}
        </section>
      ) : null}
      {item.kind === 'changeset' ? <ChangesetPreview changesetId={item.id} /> : null}
      <RecordHistory table={item.table} id={item.id} />
    </section>
  );
}
