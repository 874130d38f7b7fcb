/**
 * renderer/inbox/inbox.fixtures.ts: an inbox item for the inbox's unit tests: an approval with every
 * field empty unless the test sets it (`key` follows `kind` and `id`).
 */
import type { InboxItem } from './inbox-model.ts';

export function inboxItem(patch: Partial<InboxItem> & Pick<InboxItem, 'id'>): InboxItem {
  const kind = patch.kind ?? 'approval';
  return {
    key: `${kind}:${patch.id}`,
    kind,
    table: 'approvals',
    tenantId: 't1',
    tenantName: null,
    title: `Item ${patch.id}`,
    description: null,
    requesterId: null,
    requesterName: null,
    assistantId: null,
    assistantName: null,
    risk: null,
    expiresAt: null,
    escalations: 0,
    createdAt: '2026-12-01T00:00:00Z',
    onBehalfOfName: null,
    facts: [],
    decidable: kind !== 'work_item',
    workItemId: null,
    workItemTitle: null,
    estimatedCost: null,
    quorum: null,
    myDecision: null,
    ...patch,
  };
}
