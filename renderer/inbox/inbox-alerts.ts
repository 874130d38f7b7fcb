/**
 * renderer/inbox/inbox-alerts.ts: what the inbox tells the user without being looked at: a new item
 * waiting for their decision, and an item of theirs that will expire within the hour. Shown as an OS
 * notification where the user allowed them (the Notification API: the browser's, and Electron's, which
 * the same API drives in its renderer), else as an in-app notice; off when the user turned them off in
 * Settings (kept on this device).
 *
 *   alertsFor(previous, items, now, told) ─► the alerts due (pure, tested beside)
 *   watchInboxAlerts()                    ─► follows the inbox store for the life of the window
 *
 * Guarantees: the items present when the feed first answers, and those the account's first sync
 * brings, are not "new" (no burst on sign-in or reload); each item raises each kind of alert at most once per window; nothing is shown while the
 * setting is off.
 */
import { useEngine } from '../state/engine-store.ts';
import { notify } from '../state/notices.ts';
import type { InboxItem } from './inbox-model.ts';
import { decidedHere, useInbox, waitingItems } from './inbox-store.ts';

export interface InboxAlert {
  readonly key: string;
  readonly kind: 'new' | 'expiring';
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

function show(alert: InboxAlert): void {
  const Api = (globalThis as { Notification?: typeof Notification }).Notification;
  if (Api && Api.permission === 'granted') {
    new Api(alert.title, { body: alert.body, tag: `${alert.kind}:${alert.key}` });
    return;
  }
  notify({ tone: 'info', text: `${alert.title}: ${alert.body}` }, 10_000);
}

/** Follows the inbox store (and the clock, for expiries) until the returned function is called. */
export function watchInboxAlerts(): () => void {
  const told = new Set<string>();
  let known: Set<string> | null = null;
  let upToDate = false;
  const check = () => {
    const items = waitingItems(useInbox.getState());
    if (items === null) {
      known = null;
      upToDate = false;
      return;
    }
    upToDate ||= useEngine.getState().sync?.state === 'up-to-date';
    // Until the account's first sync is complete, arriving rows are what was already there: absorbed.
    if (!upToDate) {
      known = new Set(items.map((i) => i.key));
      return;
    }
    // An item decided here that comes back (undone, or refused by the server) is not news.
    for (const item of items) if (decidedHere(item.key)) told.add(`new:${item.key}`);
    const alerts = alertsFor(known, items, Date.now(), told);
    known = new Set(items.map((i) => i.key));
    if (alertsEnabled()) for (const alert of alerts) show(alert);
  };
  const stop = useInbox.subscribe((state, previous) => {
    if (
      state.approvals !== previous.approvals ||
      state.changesets !== previous.changesets ||
      state.workItems !== previous.workItems
    )
      check();
  });
  const timer = setInterval(check, 60_000);
  return () => {
    stop();
    clearInterval(timer);
  };
}
