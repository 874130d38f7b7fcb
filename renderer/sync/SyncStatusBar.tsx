/**
 * renderer/sync/SyncStatusBar.tsx: the always-visible sync status in the status bar, and its details
 * panel: state, progress of the initial sync, last sync time, the last error with its code, pending
 * and rejected changes, and Retry.
 */
import { useEffect, useRef, useState } from 'react';
import { useEngine } from '../state/engine-store.ts';
import { formatSyncedAt, summarizeSync } from './sync-summary.ts';
import { retrySync } from './sync-actions.ts';
import { WriteList } from './WriteList.tsx';

export function SyncStatusBar() {
  const sync = useEngine((s) => s.sync);
  const known = useEngine((s) => s.sessionKnown);
  // Until the saved account is looked up, the window is opening it: never "Signed out" meanwhile.
  const summary = summarizeSync(known || !sync ? sync : { ...sync, state: 'opening' });
  const [open, setOpen] = useState(false);
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (open) panel.current?.focus();
  }, [open]);

  return (
    <div className="sync-status">
      <button
        type="button"
        className={`sync-pill tone-${summary.tone}`}
        data-testid="sync-status"
        data-state={known ? (sync?.state ?? 'starting') : 'opening'}
        aria-expanded={open}
        aria-controls="sync-details"
        onClick={() => setOpen((o) => !o)}
        title="Sync details"
      >
        <span className="sync-dot" aria-hidden="true" />
        {summary.label}
        {summary.progress ? (
          <span className="sync-progress" aria-hidden="true">
            <span
              style={{ width: `${(100 * summary.progress.done) / Math.max(1, summary.progress.total)}%` }}
            />
          </span>
        ) : null}
      </button>
      {summary.pending ? (
        <span className="chip" data-testid="pending-count">
          {summary.pending}
        </span>
      ) : null}
      {summary.rejected ? (
        <button type="button" className="chip chip-error" onClick={() => setOpen(true)}>
          {summary.rejected}
        </button>
      ) : null}
      {summary.canRetry ? (
        <button type="button" className="link-button" onClick={() => void retrySync()}>
          Retry
        </button>
      ) : null}
      {open && sync ? (
        <div
          id="sync-details"
          className="sync-details"
          role="dialog"
          aria-label="Sync details"
          tabIndex={-1}
          ref={panel}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              setOpen(false);
            }
          }}
        >
          <header>
            <strong>{summary.label}</strong>
            <button
              type="button"
              className="icon-button"
              aria-label="Close sync details"
              onClick={() => setOpen(false)}
            >
              ×
            </button>
          </header>
          <dl className="facts">
            <dt>Last synced</dt>
            <dd>{formatSyncedAt(sync.lastSyncedAt)}</dd>
            {summary.progress ? (
              <>
                <dt>Tables</dt>
                <dd>
                  {summary.progress.done} of {summary.progress.total} up to date,{' '}
                  {summary.progress.rows.toLocaleString('en-US')} rows
                </dd>
              </>
            ) : null}
          </dl>
          {sync.lastError ? (
            <div className="error-box" role="alert">
              <strong>{sync.lastError.code}</strong>: {sync.lastError.message}
              <div className="muted">at {formatSyncedAt(sync.lastError.at)}</div>
            </div>
          ) : null}
          {summary.canRetry ? (
            <button type="button" className="button" onClick={() => void retrySync()}>
              Retry now
            </button>
          ) : null}
          <WriteList />
        </div>
      ) : null}
    </div>
  );
}
