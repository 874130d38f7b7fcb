/**
 * renderer/inbox/InboxBadge.tsx: the number of items waiting for the user's decision, beside the
 * inbox's nav entry, and in the window title ("(3) Outpost"): all of them, also beyond the list's limit. Mounted with the nav, so it keeps the
 * inbox's feed live while signed in (renderer/inbox/inbox-store.ts), and the alerts of new and
 * expiring items with it (inbox-alerts.ts).
 */
import { useEffect } from 'react';
import { watchInboxAlerts } from './inbox-alerts.ts';
import { badgeText } from './inbox-model.ts';
import { decisionCount, useInbox, useInboxFeed } from './inbox-store.ts';

const TITLE = 'Outpost';

export function InboxBadge() {
  useInboxFeed();
  const count = useInbox(decisionCount);
  useEffect(() => watchInboxAlerts(), []);
  useEffect(() => {
    document.title = count > 0 ? `(${badgeText(count)}) ${TITLE}` : TITLE;
    return () => {
      document.title = TITLE;
    };
  }, [count]);
  if (count === 0) return null;
  return (
    <span
      className="nav-badge"
      data-testid="inbox-badge"
      aria-label={`${new Intl.NumberFormat().format(count)} waiting`}
    >
      {badgeText(count)}
    </span>
  );
}
