/**
 * renderer/explorer/write-tracking.ts: the state of one write the user just made, from the core's
 * write list (pure; tested beside): pending or uploading while listed, rejected with the server's
 * reason (also after it was dismissed), synced once it left the list after having been in it without
 * a rejection (the server confirmed it).
 */
import type { WriteState } from '../../common/rpc/contract.ts';

export type TrackedWrite =
  | { readonly status: 'pending' | 'uploading'; readonly reason: string | null }
  | { readonly status: 'rejected'; readonly code: string; readonly message: string }
  | { readonly status: 'synced' };

export function trackWrite(
  writes: readonly WriteState[],
  id: string,
  seen: boolean,
  previous: TrackedWrite | null = null,
): TrackedWrite {
  const write = writes.find((w) => w.id === id);
  // A rejection the user dismissed leaves the list too: it stays a rejection, not a success.
  if (!write && previous?.status === 'rejected') return previous;
  if (!write) return seen ? { status: 'synced' } : { status: 'pending', reason: null };
  if (write.status === 'rejected')
    return { status: 'rejected', code: write.error?.code ?? 'unknown', message: write.error?.message ?? '' };
  return { status: write.status, reason: write.retryReason };
}

export function trackedText(tracked: TrackedWrite): string {
  switch (tracked.status) {
    case 'pending':
      return tracked.reason
        ? `Saved on this device; waiting to upload (${tracked.reason})`
        : 'Saved on this device; waiting to upload';
    case 'uploading':
      return 'Uploading…';
    case 'rejected':
      return `Rejected by the server: ${tracked.message} (${tracked.code}). The change was rolled back.`;
    case 'synced':
      return 'Synced: the server has this change.';
  }
}
