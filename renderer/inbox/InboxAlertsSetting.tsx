/**
 * renderer/inbox/InboxAlertsSetting.tsx: the Settings card that turns the inbox's alerts (new items,
 * items expiring within the hour) on and off, and asks the system for notification permission.
 */
import { useState } from 'react';
import { alertsEnabled, setAlertsEnabled } from './inbox-alerts.ts';

function permission(): NotificationPermission | 'unsupported' {
  const Api = (globalThis as { Notification?: typeof Notification }).Notification;
  return Api ? Api.permission : 'unsupported';
}

export function InboxAlertsSetting() {
  const [on, setOn] = useState(alertsEnabled);
  const [allowed, setAllowed] = useState(permission);
  return (
    <section className="card">
      <h2>Notifications</h2>
      <label className="switch-line">
        <input
          type="checkbox"
          checked={on}
          onChange={(e) => {
            setAlertsEnabled(e.target.checked);
            setOn(e.target.checked);
          }}
        />{' '}
        Tell me when something new waits for my decision, or will expire within the hour
      </label>
      <p className="muted">
        {allowed === 'granted'
          ? 'Shown as system notifications.'
          : allowed === 'denied'
            ? 'System notifications are blocked for Outpost, so they show inside the app.'
            : allowed === 'unsupported'
              ? 'This window cannot show system notifications, so they show inside the app.'
              : 'They show inside the app until you allow system notifications.'}
      </p>
      {on && allowed === 'default' ? (
        <button
          type="button"
          className="button"
          onClick={() => void Notification.requestPermission().then(setAllowed)}
        >
          Allow system notifications
        </button>
      ) : null}
    </section>
  );
}
