/**
 * renderer/sync/WriteList.tsx: this device's changes that the server has not confirmed yet, and the
 * ones it refused (with the reason and a Dismiss), as the core's write list says.
 */
import { useEngine } from '../state/engine-store.ts';
import { dismissRejection } from './sync-actions.ts';
import { describeWrite, writeStatusText } from './write-text.ts';

export function WriteList() {
  const writes = useEngine((s) => s.writes);
  if (writes.length === 0) return <p className="muted">Every change made here has reached the server.</p>;
  return (
    <ul className="write-list" aria-label="Changes not yet on the server">
      {writes.map((w) => (
        <li key={w.id} className={`write write-${w.status}`}>
          <span className="write-what">{describeWrite(w)}</span>
          <span className="write-status">{writeStatusText(w)}</span>
          {w.status === 'rejected' ? (
            <button type="button" className="link-button" onClick={() => void dismissRejection(w.id)}>
              Dismiss
            </button>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
