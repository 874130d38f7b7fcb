/**
 * renderer/sync/sync-summary.ts: what the status bar says about sync, derived from the core's status
 * (pure, so every state's wording is tested in sync-summary.test.ts).
 *
 * Guarantees: every state of common/rpc/contract.ts's SyncState has a label; an error always carries
 * its code and message for the details view; pending and rejected counts are never hidden.
 */
import type { SyncStatus } from '../../common/rpc/contract.ts';

export type SyncTone = 'ok' | 'busy' | 'offline' | 'error' | 'idle';

export interface SyncSummary {
  readonly tone: SyncTone;
  readonly label: string;
  /** Tables done / all, during the initial sync. */
  readonly progress: { readonly done: number; readonly total: number; readonly rows: number } | null;
  readonly pending: string | null;
  readonly rejected: string | null;
  /** Whether a retry makes sense (offline, error). */
  readonly canRetry: boolean;
}

const plural = (n: number, one: string, many: string) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

export function summarizeSync(status: SyncStatus | null): SyncSummary {
  const pending =
    status && status.pendingWrites > 0
      ? plural(status.pendingWrites, 'pending change', 'pending changes')
      : null;
  const rejected =
    status && status.rejectedWrites > 0
      ? plural(status.rejectedWrites, 'rejected change', 'rejected changes')
      : null;
  const base = { progress: null, pending, rejected, canRetry: false };
  if (!status) return { ...base, tone: 'idle', label: 'Starting…' };
  switch (status.state) {
    case 'signed-out':
      return { ...base, tone: 'idle', label: 'Signed out' };
    case 'opening':
      return { ...base, tone: 'busy', label: 'Opening your data…' };
    case 'connecting':
      return { ...base, tone: 'busy', label: 'Connecting…' };
    case 'initial-sync': {
      const total = status.tables.length;
      const done = status.tables.filter((t) => t.state === 'up-to-date').length;
      const rows = status.tables.reduce((sum, t) => sum + Math.max(0, t.rows), 0);
      return {
        ...base,
        tone: 'busy',
        label: total > 0 ? `Syncing ${done}/${total} tables` : 'Syncing…',
        progress: { done, total, rows },
      };
    }
    case 'up-to-date':
      return { ...base, tone: 'ok', label: 'Up to date' };
    case 'offline':
      return { ...base, tone: 'offline', label: 'Offline', canRetry: true };
    case 'error':
      return { ...base, tone: 'error', label: 'Sync error', canRetry: true };
    case 'sign-in-required':
      return { ...base, tone: 'error', label: 'Sign in again to sync' };
  }
}

/** "12:04" or "yesterday 12:04"-style time of the last sync, for the details view. */
export function formatSyncedAt(iso: string | null, now = new Date()): string {
  if (!iso) return 'never';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return 'never';
  const time = at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return at.toDateString() === now.toDateString() ? time : `${at.toISOString().slice(0, 10)} ${time}`;
}
