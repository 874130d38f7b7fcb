/**
 * renderer/inbox/InboxList.tsx: the inbox's list of waiting items, grouped by kind, virtualized
 * (@tanstack/react-virtual; it is the first thing in the scroller it is given, below the header and the
 * filters, which stay in place): a list of a few hundred entries
 * is all in the DOM, a longer one only around what is on screen, so opening 2,000 rows costs a
 * screenful, and j / k to an item off screen scrolls to it (revealItem) and focuses it once rendered.
 *
 * Guarantees: the active row holds the focus while the list has it (also a row rendered only after a
 * move); the listbox's options carry their position in the whole list (aria-posinset / setsize), so a
 * screen reader hears "3 of 2,000" whatever is rendered.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useMemo, useRef, type RefObject } from 'react';
import { relativeTime } from '../records/format.ts';
import { activate, moveActive } from './inbox-actions.ts';
import { deadlineText, KIND_LABEL, quorumText, type InboxGroup, type InboxItem } from './inbox-model.ts';
import { useInbox } from './inbox-store.ts';
import { setRevealer } from './list-reveal.ts';

/** Up to this many entries (rows and group headings) the list renders all of them. */
const RENDER_ALL = 300;
/** Entries rendered beyond the screen on either side of a longer list. */
const OVERSCAN = 15;
const ROW_ESTIMATE = 52;
const HEADING_ESTIMATE = 34;

type Entry =
  | { readonly type: 'heading'; readonly key: string; readonly group: InboxGroup }
  | { readonly type: 'row'; readonly key: string; readonly item: InboxItem; readonly position: number };

/**
 * One line; memoised, and reading its own active and selected state from the store, so j / k and x
 * re-render only the rows whose state changed, not the list (bench/inbox.ts).
 */
const Row = memo(function Row(props: {
  readonly item: InboxItem;
  readonly now: number;
  readonly position: number;
  readonly size: number;
  readonly index: number;
  readonly top: number;
  readonly measure: (element: Element | null) => void;
}) {
  const { item } = props;
  const active = useInbox((s) => s.active === item.key);
  const selected = useInbox((s) => s.selected.has(item.key));
  const self = useRef<HTMLLIElement | null>(null);
  // A row rendered after a move to it (off screen before) takes the focus the list holds.
  useEffect(() => {
    const list = self.current?.closest('.inbox-list');
    if (active && list && list.contains(document.activeElement) && document.activeElement !== self.current)
      self.current?.focus({ preventScroll: true });
  }, [active]);
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
      ref={(element) => {
        self.current = element;
        props.measure(element);
      }}
      data-index={props.index}
      style={{ transform: `translateY(${props.top}px)` }}
      role="option"
      aria-selected={active}
      aria-posinset={props.position}
      aria-setsize={props.size}
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

export function InboxList(props: {
  readonly groups: readonly InboxGroup[];
  readonly now: number;
  readonly scroller: RefObject<HTMLElement | null>;
  readonly listRef: RefObject<HTMLUListElement | null>;
}) {
  const { groups, now, scroller, listRef } = props;
  const entries = useMemo(() => {
    let position = 0;
    return groups.flatMap((group): Entry[] => [
      { type: 'heading', key: `group:${group.kind}`, group },
      ...group.items.map((item): Entry => ({ type: 'row', key: item.key, item, position: ++position })),
    ]);
  }, [groups]);
  const size = entries.length - groups.length;
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer's functions are read in render
  const virtualizer = useVirtualizer({
    count: entries.length,
    getScrollElement: () => scroller.current,
    estimateSize: (i) => (entries[i]?.type === 'heading' ? HEADING_ESTIMATE : ROW_ESTIMATE),
    getItemKey: (i) => entries[i]?.key ?? i,
    overscan: entries.length <= RENDER_ALL ? RENDER_ALL : OVERSCAN,
  });
  useEffect(
    () =>
      setRevealer((key) => {
        const index = entries.findIndex((e) => e.key === key);
        if (index >= 0) virtualizer.scrollToIndex(index, { align: 'auto' });
      }),
    [entries, virtualizer],
  );
  useEffect(() => () => setRevealer(null), []);
  return (
    <ul
      className="inbox-list"
      data-testid="inbox-list"
      role="listbox"
      aria-label="Waiting for you"
      aria-multiselectable="true"
      tabIndex={-1}
      ref={listRef}
      style={{ height: virtualizer.getTotalSize() }}
      onKeyDown={(e) => {
        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          e.preventDefault();
          moveActive(e.key === 'ArrowDown' ? 1 : -1);
        }
      }}
    >
      {virtualizer.getVirtualItems().map((v) => {
        const entry = entries[v.index];
        const top = v.start;
        if (!entry) return null;
        if (entry.type === 'row')
          return (
            <Row
              key={entry.key}
              item={entry.item}
              now={now}
              position={entry.position}
              size={size}
              index={v.index}
              top={top}
              measure={virtualizer.measureElement}
            />
          );
        const label = KIND_LABEL[entry.group.kind];
        return (
          <li
            key={entry.key}
            ref={virtualizer.measureElement}
            data-index={v.index}
            style={{ transform: `translateY(${top}px)` }}
            className="inbox-group"
            role="presentation"
          >
            <h3>
              {entry.group.items.length === 1 ? label.one : label.many}{' '}
              <span className="muted">{entry.group.items.length}</span>
            </h3>
          </li>
        );
      })}
    </ul>
  );
}
