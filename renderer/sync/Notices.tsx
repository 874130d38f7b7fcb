/**
 * renderer/sync/Notices.tsx: the notice area: a card for every write the server rejected (kept until
 * dismissed, with the server's reason), and short-lived notices about the user's own actions.
 */
import { useEngine } from '../state/engine-store.ts';
import { dismissNotice, useNotices } from '../state/notices.ts';
import { dismissRejection } from './sync-actions.ts';
import { describeWrite } from './write-text.ts';

const SHOWN = 3;

export function Notices() {
  const writes = useEngine((s) => s.writes);
  const rejected = writes.filter((w) => w.status === 'rejected');
  const notices = useNotices((s) => s.notices);
  return (
    <div className="notices">
      <div role="alert" aria-live="assertive">
        {rejected.slice(0, SHOWN).map((w) => (
          <div key={w.id} className="notice notice-error" data-testid="rejected-notice">
            <div>
              <strong>{describeWrite(w)} was refused by the server.</strong>
              <div>
                {w.error?.message ?? 'No reason given.'}{' '}
                <span className="muted">({w.error?.code ?? 'unknown'})</span>
              </div>
              <div className="muted">The change was rolled back on this device.</div>
            </div>
            <button type="button" className="link-button" onClick={() => void dismissRejection(w.id)}>
              Dismiss
            </button>
          </div>
        ))}
        {rejected.length > SHOWN ? (
          <div className="notice notice-error">
            and {rejected.length - SHOWN} more rejected changes (see sync details)
          </div>
        ) : null}
      </div>
      <div role="status" aria-live="polite">
        {notices.map((n) => (
          <div key={n.id} className={`notice notice-${n.tone}`}>
            <span>{n.text}</span>
            <button
              type="button"
              className="icon-button"
              aria-label="Close notice"
              onClick={() => dismissNotice(n.id)}
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </div>
  );
}
