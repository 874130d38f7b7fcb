/**
 * renderer/sync/write-text.ts: how a write of the outbox is described to its author (pure).
 */
import type { WriteState } from '../../common/rpc/contract.ts';

const VERBS: Readonly<Record<string, string>> = {
  insert: 'New row in',
  update: 'Change to',
  delete: 'Deletion in',
};

export function describeWrite(write: WriteState): string {
  if (write.name) return `Action ${write.name}`;
  const verb = VERBS[write.op ?? ''] ?? 'Write to';
  return `${verb} ${write.table ?? 'a table'}`;
}

export function writeStatusText(write: WriteState): string {
  switch (write.status) {
    case 'pending':
      return write.retryReason ? `waiting to upload (${write.retryReason})` : 'waiting to upload';
    case 'uploading':
      return 'uploading';
    case 'rejected':
      return write.error ? `rejected: ${write.error.message} (${write.error.code})` : 'rejected';
  }
}
