/**
 * renderer/inbox/inbox-alerts.ts: what the inbox tells the user without being looked at: a new item
 * waiting for their decision, and an item of theirs that will expire within the hour. Shown as an OS
 * notification where the user allowed them (the Notification API: the browser's, and Electron's, which
 * the same API drives in its renderer), else as an in-app notice; off when the user turned them off in
 * Settings (kept on this device).
 *
 *   alertsFor(previous, items, now, told) ─► the alerts due (pure, tested beside)
 *   AlertBaseline                         ─► when arrivals start to be news (pure, tested beside)
 *   batchAlerts(alerts)                   ─► several at once become one summary
 *   watchInboxAlerts()                    ─► follows the inbox store and the sync status for the
 *                                            life of the window
 *
 * Nothing is news before the inbox's first complete picture on this device:
 *
 *   absorbing ──sync up to date, feed answered──► reading ──read answered──► watching
 *   every answer joins                           answers still join         an item not in the
 *   the baseline                                 the baseline               last answer is new
 *       ▲                                                                        │
 *       └─────────── feed cleared (another account or tenant scope) ─────────────┘
 *
 * The read is one run of the inbox's queries after the sync said up to date (readWaitingItems):
 * the live answers can trail that status (a live query re-runs after the sync's commit, and answers
 * after the status is out), so the first sync's last rows would otherwise arrive as "new".
 *
 * Guarantees: the items of the first sync (or present when the feed first answers) never raise an
 * alert (no burst on sign-in or reload); an item that arrives after the baseline raises one; each item
 * raises each kind of alert at most once per window; more than two alerts at once are shown as one
 * summary (a stack of toasts covers the detail pane); nothing is shown while the setting is off.
 */
import { useEngine } from '../state/engine-store.ts';
import { notify } from '../state/notices.ts';
import type { InboxItem } from './inbox-model.ts';
import { decidedHere, readWaitingItems, useInbox, waitingItems } from './inbox-store.ts';

export interface InboxAlert {
  readonly key: string;
  /** `several`: a summary of alerts raised together (batchAlerts). */
  readonly kind: 'new' | 'expiring' | 'several';
  readonly title: string;
  readonly body: string;
}

const HOUR = 3_600_000;
const SETTING = 'outpost.inboxAlerts';

export function alertsEnabled(): boolean {
  return globalThis.localStorage?.getItem(SETTING) !== 'off';
}

export function setAlertsEnabled(on: boolean): void {
  globalThis.localStorage?.setItem(SETTING, on ? 'on' : 'off');
}

/**
 * The alerts due: items waiting for a decision that were not in `previous` (null: the first answer,
 * nothing is new), and decidable items expiring within the hour; `told` holds `<kind>:<key>` of those
 * already raised and is updated.
 */
export function alertsFor(
  previous: ReadonlySet<string> | null,
  items: readonly InboxItem[],
  now: number,
  told: Set<string>,
): InboxAlert[] {
  const alerts: InboxAlert[] = [];
  for (const item of items) {
    if (!item.decidable) continue;
    if (previous !== null && !previous.has(item.key) && !told.has(`new:${item.key}`)) {
      told.add(`new:${item.key}`);
      alerts.push({
        key: item.key,
        kind: 'new',
        title: item.kind === 'approval' ? 'New approval to decide' : 'New changeset to review',
        body: `${item.title}${item.requesterName ? ` — from ${item.requesterName}` : ''}`,
      });
    }
    const left = item.expiresAt === null ? Number.NaN : Date.parse(item.expiresAt) - now;
    if (left > 0 && left <= HOUR && !told.has(`expiring:${item.key}`)) {
      told.add(`expiring:${item.key}`);
      alerts.push({
        key: item.key,
        kind: 'expiring',
        title: 'Expires within the hour',
        body: item.title,
      });
    }
  }
  return alerts;
}

/**
 * Which items are already known, and whether an arrival is news yet (the diagram above). The watcher
 * feeds it the inbox's answers, asks it when to read the baseline, and gives it the read.
 */
export class AlertBaseline {
  private phase: 'absorbing' | 'reading' | 'watching' = 'absorbing';
  private known = new Set<string>();
  private answered = false;
  /** Counts clears: a read started before one is not taken after it. */
  private generation = 0;

  /** A feed answer (null: cleared): the alerts due, none before the baseline is taken. */
  answer(items: readonly InboxItem[] | null, now: number, told: Set<string>): InboxAlert[] {
    if (items === null) {
      this.generation++;
      this.phase = 'absorbing';
      this.known = new Set();
      this.answered = false;
      return [];
    }
    this.answered = true;
    if (this.phase !== 'watching') {
      for (const item of items) this.known.add(item.key);
      return [];
    }
    const alerts = alertsFor(this.known, items, now, told);
    this.known = new Set(items.map((i) => i.key));
    return alerts;
  }

  /**
   * Whether to read the baseline now: the sync is up to date, the feed has answered, and no read is
   * taken or under way. The read's ticket, or null.
   */
  startReading(upToDate: boolean): number | null {
    if (!upToDate || !this.answered || this.phase !== 'absorbing') return null;
    this.phase = 'reading';
    return this.generation;
  }

  /**
   * The read's items (null: it failed, and what the feed showed stands): known from now on, and any
   * later arrival is news. False, and nothing taken, for a ticket from before a clear.
   */
  take(ticket: number, items: readonly InboxItem[] | null): boolean {
    if (ticket !== this.generation || this.phase !== 'reading') return false;
    for (const item of items ?? []) this.known.add(item.key);
    this.phase = 'watching';
    return true;
  }
}

/**
 * At most `max` alerts one by one; more at once become one summary ("3 new items to decide"), so a
 * burst does not stack toasts over the inbox's detail pane.
 */
export function batchAlerts(alerts: readonly InboxAlert[], max = 2): InboxAlert[] {
  if (alerts.length <= max) return [...alerts];
  const fresh = alerts.filter((a) => a.kind === 'new').length;
  const expiring = alerts.length - fresh;
  const title =
    expiring === 0
      ? `${fresh} new items to decide`
      : fresh === 0
        ? `${expiring} items expire within the hour`
        : `${fresh} new items to decide, ${expiring} expiring within the hour`;
  const named = alerts.slice(0, max).map((a) => a.body);
  return [
    {
      key: 'inbox',
      kind: 'several',
      title,
      body: `${named.join(' · ')} · and ${alerts.length - max} more`,
    },
  ];
}

function show(alert: InboxAlert): void {
  const Api = (globalThis as { Notification?: typeof Notification }).Notification;
  if (Api && Api.permission === 'granted') {
    new Api(alert.title, { body: alert.body, tag: `${alert.kind}:${alert.key}` });
    return;
  }
  notify({ tone: 'info', text: `${alert.title}: ${alert.body}` }, 10_000);
}

/** Follows the inbox store, the sync status and the clock (for expiries) until the returned function is called. */
export function watchInboxAlerts(): () => void {
  const told = new Set<string>();
  const baseline = new AlertBaseline();
  let stopped = false;
  const check = () => {
    const items = waitingItems(useInbox.getState());
    // An item decided here that comes back (undone, or refused by the server) is not news.
    for (const item of items ?? []) if (decidedHere(item.key)) told.add(`new:${item.key}`);
    const alerts = baseline.answer(items, Date.now(), told);
    if (alertsEnabled()) for (const alert of batchAlerts(alerts)) show(alert);
    readBaseline();
  };
  const readBaseline = () => {
    const ticket = baseline.startReading(useEngine.getState().sync?.state === 'up-to-date');
    if (ticket === null) return;
    void readWaitingItems()
      .catch(() => null)
      .then((items) => {
        // Then at once: the expiries due, without waiting for the clock.
        if (!stopped && baseline.take(ticket, items)) check();
      });
  };
  const stopInbox = useInbox.subscribe((state, previous) => {
    if (
      state.approvals !== previous.approvals ||
      state.changesets !== previous.changesets ||
      state.workItems !== previous.workItems
    )
      check();
  });
  const stopSync = useEngine.subscribe((state, previous) => {
    if (state.sync?.state !== previous.sync?.state) readBaseline();
  });
  const timer = setInterval(check, 60_000);
  check();
  return () => {
    stopped = true;
    stopInbox();
    stopSync();
    clearInterval(timer);
  };
}
