/**
 * renderer/inbox/inbox-store.ts: the inbox's state, one zustand store: the items waiting for the user
 * (followed live from the three named queries while anything shows them: the inbox, the nav count),
 * the list's active item, selection and filter, and the decisions made on this device in this window.
 *
 *   useInboxFeed()  ─► first user: followQuery × 3 (scope and permissions of the session) ─► items
 *                      last user gone: the subscriptions end
 *                      a list that reaches LIST_LIMIT ─► its count query, followed while it stays full
 *                      (totals: the nav count and the header count everything, not only what is listed)
 *   readWaitingItems() ─► the same three queries, run once (the alerts' baseline after the first sync)
 *
 * Guarantees: the items are the queries' latest rows for the current account and tenant scope (a
 * change of either clears them before the new rows arrive); a kind the user may not read is left out,
 * not shown as empty; the selection is pruned to the items shown whenever they change.
 *
 * Speed (bench/inbox.ts): an item object is kept across answers while its row is unchanged, and the
 * waiting items and the shown list (filtered, sorted, grouped) are computed once per change of their
 * inputs, not per render or key press; an item being decided is left out of the list from the key
 * press on, before the local database has answered (hideWhileDeciding).
 */
import { useEffect } from 'react';
import { create } from 'zustand';
import type { QueryName, QueryRow } from '../../common/queries/registry.ts';
import type { QueryRequest } from '../../common/rpc/contract.ts';
import { followQuery, runQuery } from '../../common/rpc/domain.ts';
import { useEngine } from '../state/engine-store.ts';
import {
  flatten,
  fromApprovals,
  fromChangesets,
  fromWorkItems,
  groupItems,
  NO_FILTER,
  reuseUnchanged,
  type InboxFilter,
  type InboxGroup,
  type InboxItem,
} from './inbox-model.ts';

/** A decision made here: kept on screen until the user leaves it, whatever the server says. */
export interface Decision {
  readonly mutationId: string;
  readonly decision: 'approve' | 'reject';
  readonly reason: string | null;
  /** The item as it was shown when decided (it leaves the waiting list at once). */
  readonly item: InboxItem;
  readonly at: number;
  /** Decisions made together (a bulk action) share a batch: `z` takes back the whole batch. */
  readonly batch: number;
}

interface Feed {
  readonly approvals: InboxItem[] | null;
  readonly changesets: InboxItem[] | null;
  readonly workItems: InboxItem[] | null;
}

/** The most of each kind the list holds (the queries' limit): the most urgent ones. */
export const LIST_LIMIT = 1000;

/**
 * How many wait of each kind whose list reached LIST_LIMIT (from its count query, followed only while
 * the list is full); absent: the list holds them all.
 */
export type Totals = Readonly<Partial<Record<keyof Feed, number>>>;

export interface InboxState extends Feed {
  readonly totals: Totals;
  readonly active: string | null;
  readonly selected: ReadonlySet<string>;
  /** Where a Shift+x range starts. */
  readonly anchor: string | null;
  readonly filter: InboxFilter;
  readonly decisions: readonly Decision[];
  /** A rejection waiting for its reason: the items it will reject. */
  readonly rejecting: readonly InboxItem[] | null;
  /** An item an undo brings back: made active again when the list shows it. */
  readonly returning: string | null;
  /** The last action's outcome in words (a failed decision, an undo), for the status line. */
  readonly notice: { readonly text: string; readonly tone: 'info' | 'error' } | null;
  /** Items being decided: out of the list until the live queries have answered after the decision. */
  readonly deciding: ReadonlySet<string>;
}

export const useInbox = create<InboxState>()(() => ({
  totals: {},
  approvals: null,
  changesets: null,
  workItems: null,
  active: null,
  selected: new Set(),
  anchor: null,
  filter: NO_FILTER,
  decisions: [],
  rejecting: null,
  returning: null,
  notice: null,
  deciding: new Set(),
}));

let waiting: { feed: Feed; items: InboxItem[] | null } | null = null;

/** Every item waiting, whatever the filter (null until the first answer of any query); cached. */
export function waitingItems(state: Feed): InboxItem[] | null {
  const feed = waiting?.feed;
  if (
    waiting &&
    feed?.approvals === state.approvals &&
    feed.changesets === state.changesets &&
    feed.workItems === state.workItems
  )
    return waiting.items;
  const items =
    state.approvals === null && state.changesets === null && state.workItems === null
      ? null
      : [...(state.approvals ?? []), ...(state.changesets ?? []), ...(state.workItems ?? [])];
  waiting = {
    feed: { approvals: state.approvals, changesets: state.changesets, workItems: state.workItems },
    items,
  };
  return items;
}

export interface ShownList {
  readonly groups: InboxGroup[];
  /** The list order j / k walk. */
  readonly order: InboxItem[];
}

let shown: {
  items: InboxItem[] | null;
  filter: InboxFilter;
  deciding: ReadonlySet<string>;
  list: ShownList;
} | null = null;

/** The items shown (filter applied, items being decided left out), grouped and in order; cached. */
export function shownList(state: InboxState): ShownList {
  const items = waitingItems(state);
  if (shown && shown.items === items && shown.filter === state.filter && shown.deciding === state.deciding)
    return shown.list;
  const kept =
    state.deciding.size > 0 ? (items ?? []).filter((i) => !state.deciding.has(i.key)) : (items ?? []);
  const groups = groupItems(kept, state.filter);
  shown = { items, filter: state.filter, deciding: state.deciding, list: { groups, order: flatten(groups) } };
  return shown.list;
}

/**
 * Leaves `keys` out of the list at once (a decision on its way to the local database). The returned
 * function puts them back: at once when `settled` is false (the decision was refused), else after the
 * feed's next answer (the live queries have seen the decision) or 2 s, whichever comes first.
 */
export function hideWhileDeciding(keys: readonly string[]): (settled: boolean) => void {
  useInbox.setState((s) => ({ deciding: new Set([...s.deciding, ...keys]) }));
  const show = () =>
    useInbox.setState((s) => ({ deciding: new Set([...s.deciding].filter((k) => !keys.includes(k))) }));
  return (settled) => {
    if (!settled) return show();
    const feed = useInbox.getState();
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const stop = useInbox.subscribe((s) => {
      if (
        s.approvals === feed.approvals &&
        s.changesets === feed.changesets &&
        s.workItems === feed.workItems
      )
        return;
      done();
    });
    const done = () => {
      stop();
      clearTimeout(timer);
      show();
    };
    timer = setTimeout(done, 2_000);
  };
}

/**
 * How many items wait for a decision of the user (the nav count): approvals and changesets, all of
 * them, also beyond what the list holds.
 */
export function decisionCount(state: Feed & { readonly totals: Totals }): number {
  return (
    (state.totals.approvals ?? state.approvals?.length ?? 0) +
    (state.totals.changesets ?? state.changesets?.length ?? 0)
  );
}

let users = 0;
let stop: (() => void) | null = null;
let followed: string | null = null;

/** One part of the feed: the permission it needs, and its query for a tenant scope, followed or read once. */
interface FeedSource {
  readonly permission: string;
  readonly follow: (scope: string | null) => () => void;
  readonly read: (scope: string | null) => Promise<InboxItem[]>;
}

function feedSource<N extends QueryName>(
  permission: string,
  part: keyof Feed,
  request: (tenantId: string | null) => QueryRequest<N>,
  make: (rows: QueryRow<N>[]) => InboxItem[],
  count?: (tenantId: string | null) => QueryRequest<QueryName>,
): FeedSource {
  return {
    permission,
    follow: (tenantId) => {
      const client = useEngine.getState().client;
      if (!client) return () => undefined;
      // The count is followed only while the list is full: below its limit the list is the count.
      let stopCount: (() => void) | null = null;
      const setTotal = (total: number | null) =>
        useInbox.setState((s) => {
          const { [part]: _, ...others } = s.totals;
          return { totals: total === null ? others : { ...others, [part]: total } };
        });
      const followCount = (full: boolean) => {
        if (!count || full === (stopCount !== null)) return;
        if (!full) {
          stopCount?.();
          stopCount = null;
          setTotal(null);
          return;
        }
        stopCount = followQuery(
          client,
          count(tenantId),
          (rows) => setTotal(Number((rows[0] as { count?: unknown } | undefined)?.count ?? 0)),
          () => setTotal(null),
        );
      };
      const stopList = followQuery(
        client,
        request(tenantId),
        (rows) => {
          useInbox.setState((s) => ({ [part]: reuseUnchanged(s[part], make(rows)) }));
          followCount(rows.length >= LIST_LIMIT);
        },
        () => useInbox.setState({ [part]: null }),
      );
      return () => {
        stopList();
        followCount(false);
      };
    },
    read: async (tenantId) => {
      const client = useEngine.getState().client;
      return client ? make(await runQuery(client, request(tenantId))) : [];
    },
  };
}

/** The three parts of the feed. */
const FEEDS: readonly FeedSource[] = [
  feedSource<'approvals.waitingForMe'>(
    'approvals:read',
    'approvals',
    (tenantId) => ({ name: 'approvals.waitingForMe', params: { tenantId, limit: LIST_LIMIT } }),
    fromApprovals,
    (tenantId) => ({ name: 'approvals.waitingForMeCount', params: { tenantId } }),
  ),
  feedSource<'changesets.awaitingMyReview'>(
    'changesets:review',
    'changesets',
    (tenantId) => ({ name: 'changesets.awaitingMyReview', params: { tenantId, limit: LIST_LIMIT } }),
    fromChangesets,
    (tenantId) => ({ name: 'changesets.awaitingMyReviewCount', params: { tenantId } }),
  ),
  feedSource<'workItems.byStatus'>(
    'work_items:read',
    'workItems',
    (tenantId) => ({
      name: 'workItems.byStatus',
      params: { status: 'awaiting_approval', mine: true, tenantId, limit: LIST_LIMIT },
    }),
    fromWorkItems,
  ),
];

/** The feeds the session may read. */
function permittedFeeds(permissions: readonly string[]): readonly FeedSource[] {
  const may = new Set(permissions);
  return FEEDS.filter((feed) => may.has(feed.permission));
}

/**
 * Every item waiting now, read once from the local database (not from the live answers, which can
 * trail a sync commit): what the alerts take as already known once the first sync is done
 * (inbox-alerts.ts). Null when nobody is signed in; rejects when a query fails.
 */
export async function readWaitingItems(): Promise<InboxItem[] | null> {
  const { session, scope, client } = useEngine.getState();
  if (!session || !client) return null;
  const parts = await Promise.all(permittedFeeds(session.user.permissions).map((f) => f.read(scope)));
  return parts.flat();
}

/** (Re)starts the three subscriptions for the current session and scope, if anyone uses the feed. */
function restart(): void {
  const { session, scope, client } = useEngine.getState();
  const key =
    users > 0 && session && client ? `${session.user.id}|${session.tenant.id}|${scope ?? ''}` : null;
  if (key === followed) return;
  stop?.();
  stop = null;
  followed = key;
  useInbox.setState({ approvals: null, changesets: null, workItems: null, totals: {} });
  if (key === null || !session) return;
  const stops = permittedFeeds(session.user.permissions).map((feed) => feed.follow(scope));
  stop = () => {
    for (const s of stops) s();
  };
}

/** Keys of every item decided in this window (an undo or a refusal brings one back: it is not new). */
const decidedKeys = new Set<string>();

export function noteDecided(key: string): void {
  decidedKeys.add(key);
}

export function decidedHere(key: string): boolean {
  return decidedKeys.has(key);
}

/** Mutation ids the core's write list has shown (in this window): once gone from it, the server has them. */
const seenWrites = new Set<string>();

export function writeSeen(mutationId: string): boolean {
  return seenWrites.has(mutationId);
}

useEngine.subscribe((state, previous) => {
  if (
    state.session !== previous.session ||
    state.scope !== previous.scope ||
    state.client !== previous.client
  )
    restart();
  if (state.writes !== previous.writes) for (const w of state.writes) seenWrites.add(w.id);
});

/** Keeps the feed live while the calling component is mounted. */
export function useInboxFeed(): void {
  useEffect(() => {
    users++;
    restart();
    return () => {
      users--;
      // Let a view that replaces this one (inbox → nav count only) take over without a gap.
      queueMicrotask(restart);
    };
  }, []);
}

export function setFilter(patch: Partial<InboxFilter>): void {
  useInbox.setState((s) => ({ filter: { ...s.filter, ...patch } }));
}

export function setNotice(text: string, tone: 'info' | 'error' = 'info'): void {
  useInbox.setState({ notice: { text, tone } });
}
