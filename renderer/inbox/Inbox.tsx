/**
 * renderer/inbox/Inbox.tsx: the approvals inbox (`#/inbox`): everything waiting for the user in the
 * tenant scope (approvals to decide, directly or as a delegate; changesets to review; their own work
 * items awaiting approval), grouped by kind and most urgent first, with a search and filters (kind,
 * risk, requester, assistant), the detail of the active item beside the list, and the decisions made on
 * this device with what became of each (waiting on this device, sending, on the server, refused and
 * why). The keys are the registry's (renderer/inbox/view.tsx); the list holds `inboxFocus`.
 */
import { useEffect, useRef } from 'react';
import { useContextKey, useFocusContextKey } from '../context-keys/held-keys.ts';
import { formatNumber } from '../records/format.ts';
import { useEngine } from '../state/engine-store.ts';
import { clearSelection, settleReturning } from './inbox-actions.ts';
import { InboxDecisions } from './InboxDecisions.tsx';
import { useNow } from '../records/live-record.ts';
import { InboxDetail } from './InboxDetail.tsx';
import { InboxFilters } from './InboxFilters.tsx';
import { InboxList } from './InboxList.tsx';
import { shownList, useInbox, useInboxFeed, waitingItems, type InboxState } from './inbox-store.ts';
import { RejectDialog } from './RejectDialog.tsx';
import './inbox.css';

const PARTIAL_LABEL = { approvals: 'approvals', changesets: 'changesets to review', workItems: 'work items' };

/**
 * What the list leaves out: "the 1,000 most urgent of 100,000 approvals" for each kind whose list
 * stopped at its limit (null: the list holds everything).
 */
function partialText(state: InboxState): string | null {
  const parts = (Object.keys(PARTIAL_LABEL) as (keyof typeof PARTIAL_LABEL)[]).flatMap((kind) => {
    const total = state.totals[kind];
    const listed = state[kind]?.length ?? 0;
    return total !== undefined && total > listed
      ? [
          `the ${formatNumber(listed) ?? listed} most urgent of ${formatNumber(total) ?? total} ${PARTIAL_LABEL[kind]}`,
        ]
      : [];
  });
  return parts.length === 0
    ? null
    : `The list holds ${parts.join(' and ')}; search and filters look within those.`;
}

/** "12 waiting", or with a list at its limit "1,000 shown of 100,000 waiting" (shown: after filters). */
function waitingText(shown: number, state: InboxState): string {
  const kinds = ['approvals', 'changesets', 'workItems'] as const;
  const listed = kinds.reduce((n, k) => n + (state[k]?.length ?? 0), 0);
  const all = kinds.reduce((n, k) => n + (state.totals[k] ?? state[k]?.length ?? 0), 0);
  const fmt = (n: number) => formatNumber(n) ?? String(n);
  return all > listed ? `${fmt(shown)} shown of ${fmt(all)} waiting` : `${fmt(shown)} waiting`;
}

export function Inbox() {
  useInboxFeed();
  const state = useInbox();
  const scope = useEngine((s) => s.scope);
  const tenantNames = useEngine((s) => s.tenantNames);
  const now = useNow(30_000);
  const listRef = useRef<HTMLUListElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  useFocusContextKey('inboxFocus', listRef);
  useContextKey('inbox.hasSelection', state.selected.size > 0);
  const items = waitingItems(state);
  const { groups, order } = shownList(state);
  const activeItem = order.find((i) => i.key === state.active) ?? null;

  // Keep an item active while there are any (the first when the active one left), and make an item
  // an undo brought back active once it is listed again.
  useEffect(() => {
    settleReturning(order);
    const { active, returning } = useInbox.getState();
    if (order.length === 0 || returning !== null || order.some((i) => i.key === active)) return;
    useInbox.setState({ active: order[0]?.key ?? null });
  }, [order, state.active, state.returning]);
  // Prune the selection to what is shown.
  useEffect(() => {
    const shown = new Set(order.map((i) => i.key));
    if ([...state.selected].some((k) => !shown.has(k)))
      useInbox.setState({ selected: new Set([...state.selected].filter((k) => shown.has(k))) });
  }, [order, state.selected]);
  // Focus the list when the view opens, so j/k work at once.
  useEffect(() => {
    if (document.activeElement === document.body || document.activeElement?.id === 'content')
      listRef.current?.focus();
  }, []);

  const total = order.length;
  const partial = partialText(state);
  const scopeName = scope ? (tenantNames[scope] ?? 'this tenant') : null;
  return (
    <div className="inbox" data-testid="inbox">
      <div className="inbox-main">
        <header className="inbox-header">
          <h1>Inbox</h1>
          <span className="muted" data-testid="inbox-count">
            {items === null
              ? 'Reading this device’s data…'
              : `${waitingText(total, state)}${scopeName ? ` in ${scopeName}` : ''}${
                  state.selected.size > 0 ? ` · ${state.selected.size} selected` : ''
                }`}
          </span>
          {state.selected.size > 0 ? (
            <button type="button" className="link-button" onClick={clearSelection}>
              Clear selection
            </button>
          ) : null}
        </header>
        <InboxFilters items={items ?? []} />
        {partial ? (
          <p className="inbox-partial muted" data-testid="inbox-partial">
            {partial}
          </p>
        ) : null}
        {state.notice ? (
          <p
            className={`inbox-notice ${state.notice.tone}`}
            role={state.notice.tone === 'error' ? 'alert' : 'status'}
            data-testid="inbox-notice"
          >
            {state.notice.text}
          </p>
        ) : null}
        <div className="inbox-scroll" ref={scrollRef}>
          <InboxList groups={groups} now={now} scroller={scrollRef} listRef={listRef} />
          {items !== null && total === 0 ? (
            <p className="inbox-empty muted" data-testid="inbox-empty">
              {items.length > 0
                ? 'Nothing matches these filters.'
                : `Nothing waits for you${scopeName ? ` in ${scopeName}` : ''}. Decisions you make will show below until the server has them.`}
            </p>
          ) : null}
          <InboxDecisions />
        </div>
      </div>
      <InboxDetail item={activeItem} />
      {state.rejecting ? <RejectDialog items={state.rejecting} /> : null}
    </div>
  );
}
