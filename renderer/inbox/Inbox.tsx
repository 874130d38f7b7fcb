/**
 * renderer/inbox/Inbox.tsx: the approvals inbox (`#/inbox`): everything waiting for the user in the
 * tenant scope (approvals to decide, directly or as a delegate; changesets to review; their own work
 * items awaiting approval), grouped by kind and most urgent first, with a search and filters (kind,
 * risk, requester, assistant), the detail of the active item beside the list, and the decisions made on
 * this device with what became of each (waiting on this device, sending, on the server, refused and
 * why). The keys are the registry's (renderer/inbox/view.tsx); the list holds `inboxFocus`.
 */
import { memo, startTransition, useEffect, useRef, useState } from 'react';
import { useContextKey, useFocusContextKey } from '../context-keys/held-keys.ts';
import { relativeTime } from '../records/format.ts';
import { useEngine } from '../state/engine-store.ts';
import { activate, clearSelection, moveActive, settleReturning } from './inbox-actions.ts';
import { InboxDecisions } from './InboxDecisions.tsx';
import { useNow } from '../records/live-record.ts';
import { InboxDetail } from './InboxDetail.tsx';
import { InboxFilters } from './InboxFilters.tsx';
import { deadlineText, KIND_LABEL, quorumText, type InboxGroup, type InboxItem } from './inbox-model.ts';
import { shownList, useInbox, useInboxFeed, waitingItems } from './inbox-store.ts';
import { RejectDialog } from './RejectDialog.tsx';
import './inbox.css';

/**
 * One line; memoised, and reading its own active and selected state from the store, so j / k and x
 * re-render only the rows whose state changed, not the list (bench/inbox.ts).
 */
const Row = memo(function Row(props: { readonly item: InboxItem; readonly now: number }) {
  const { item } = props;
  const active = useInbox((s) => s.active === item.key);
  const selected = useInbox((s) => s.selected.has(item.key));
  const deadline = deadlineText(item, props.now, (at) => relativeTime(at, { now: props.now }));
  const overdue = item.expiresAt !== null && Date.parse(item.expiresAt) <= props.now;
  const facts = [
    item.requesterName
      ? item.kind === 'work_item'
        ? (item.assistantName ?? '')
        : `from ${item.requesterName}`
      : '',
    item.onBehalfOfName ? `for ${item.onBehalfOfName}` : '',
    item.kind === 'approval' && item.assistantName ? item.assistantName : '',
    quorumText(item),
    ...item.facts,
    item.tenantName ?? '',
  ].filter(Boolean);
  return (
    <li
      role="option"
      aria-selected={active}
      data-inbox-key={item.key}
      data-testid="inbox-item"
      tabIndex={active ? 0 : -1}
      className={`inbox-row${active ? ' active' : ''}${selected ? ' selected' : ''}`}
      onClick={() => activate(item.key)}
    >
      <span className="inbox-check" aria-label={selected ? 'selected' : undefined}>
        {selected ? '✓' : ''}
      </span>
      {item.risk !== null ? (
        <span className={`risk risk-${item.risk}`} title={`Risk ${item.risk} of 5`}>
          {item.risk}
        </span>
      ) : (
        <span className="risk risk-none" aria-hidden="true" />
      )}
      <span className="inbox-title">{item.title}</span>
      <span className="inbox-row-facts muted">{facts.join(' · ')}</span>
      {item.escalations > 0 ? (
        <span className="inbox-escalated" title="Escalations">
          escalated ×{item.escalations}
        </span>
      ) : null}
      <span className={`inbox-deadline${overdue ? ' overdue' : ''}`}>{deadline}</span>
    </li>
  );
});

const Group = memo(function Group(props: {
  readonly group: InboxGroup;
  readonly now: number;
  /** How many of its rows to render (useRenderedRows). */
  readonly limit: number;
}) {
  const label = KIND_LABEL[props.group.kind];
  return (
    <li className="inbox-group" role="presentation">
      <h3 id={`inbox-group-${props.group.kind}`}>
        {props.group.items.length === 1 ? label.one : label.many}{' '}
        <span className="muted">{props.group.items.length}</span>
      </h3>
      <ul role="group" aria-labelledby={`inbox-group-${props.group.kind}`}>
        {props.group.items.slice(0, props.limit).map((item) => (
          <Row key={item.key} item={item} now={props.now} />
        ))}
      </ul>
    </li>
  );
});

/** Rows rendered when the list opens: more than a screenful. */
const FIRST_ROWS = 60;

/**
 * How many rows to render: FIRST_ROWS at once, so the first rows paint in the opening frame, then
 * FIRST_ROWS × 4 more in each following frame (a transition: keys pressed meanwhile go first) until
 * all are; small steps keep each commit and its layout short.
 */
function useRenderedRows(total: number): number {
  const [count, setCount] = useState(FIRST_ROWS);
  useEffect(() => {
    if (count >= total) return;
    const frame = requestAnimationFrame(() => startTransition(() => setCount((c) => c + FIRST_ROWS * 4)));
    return () => cancelAnimationFrame(frame);
  }, [count, total]);
  return count;
}

export function Inbox() {
  useInboxFeed();
  const state = useInbox();
  const scope = useEngine((s) => s.scope);
  const tenantNames = useEngine((s) => s.tenantNames);
  const now = useNow(30_000);
  const listRef = useRef<HTMLUListElement>(null);
  useFocusContextKey('inboxFocus', listRef);
  useContextKey('inbox.hasSelection', state.selected.size > 0);
  const items = waitingItems(state);
  const { groups, order } = shownList(state);
  const rendered = useRenderedRows(order.length);
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
  const scopeName = scope ? (tenantNames[scope] ?? 'this tenant') : null;
  return (
    <div className="inbox" data-testid="inbox">
      <div className="inbox-main">
        <header className="inbox-header">
          <h1>Inbox</h1>
          <span className="muted" data-testid="inbox-count">
            {items === null
              ? 'Reading this device’s data…'
              : `${total} waiting${scopeName ? ` in ${scopeName}` : ''}${
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
        {state.notice ? (
          <p
            className={`inbox-notice ${state.notice.tone}`}
            role={state.notice.tone === 'error' ? 'alert' : 'status'}
            data-testid="inbox-notice"
          >
            {state.notice.text}
          </p>
        ) : null}
        <ul
          className="inbox-list"
          data-testid="inbox-list"
          role="listbox"
          aria-label="Waiting for you"
          aria-multiselectable="true"
          tabIndex={-1}
          ref={listRef}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              moveActive(e.key === 'ArrowDown' ? 1 : -1);
            }
          }}
        >
          {groups.map((g, i) => (
            <Group
              key={g.kind}
              group={g}
              now={now}
              limit={Math.max(0, rendered - groups.slice(0, i).reduce((n, b) => n + b.items.length, 0))}
            />
          ))}
        </ul>
        {items !== null && total === 0 ? (
          <p className="inbox-empty muted" data-testid="inbox-empty">
            {items.length > 0
              ? 'Nothing matches these filters.'
              : `Nothing waits for you${scopeName ? ` in ${scopeName}` : ''}. Decisions you make will show below until the server has them.`}
          </p>
        ) : null}
        <InboxDecisions />
      </div>
      <InboxDetail item={activeItem} />
      {state.rejecting ? <RejectDialog items={state.rejecting} /> : null}
    </div>
  );
}
