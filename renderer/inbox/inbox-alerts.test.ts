import { describe, expect, it } from 'vitest';
import { alertsFor } from './inbox-alerts.ts';
import type { InboxItem } from './inbox-model.ts';
import { inboxItem } from './inbox.fixtures.ts';

const NOW = Date.parse('2026-12-06T12:00:00Z');

const item = (id: string, patch: Partial<InboxItem> = {}): InboxItem =>
  inboxItem({
    id,
    title: `Approval ${id}`,
    requesterId: 'u',
    requesterName: 'Dana Lee',
    risk: 2,
    expiresAt: '2026-12-09T12:00:00Z',
    ...patch,
  });

describe('inbox alerts', () => {
  it('raises nothing for the items of the first answer, then each new item once', () => {
    const told = new Set<string>();
    expect(alertsFor(null, [item('a')], NOW, told)).toEqual([]);
    const alerts = alertsFor(new Set(['approval:a']), [item('a'), item('b')], NOW, told);
    expect(alerts).toEqual([
      { key: 'approval:b', kind: 'new', title: 'New approval to decide', body: 'Approval b — from Dana Lee' },
    ]);
    expect(alertsFor(new Set(['approval:a']), [item('a'), item('b')], NOW, told)).toEqual([]);
  });

  it('warns once about an item expiring within the hour, not about expired or later ones', () => {
    const told = new Set<string>();
    const items = [
      item('soon', { expiresAt: '2026-12-06T12:40:00Z' }),
      item('gone', { expiresAt: '2026-12-06T11:00:00Z' }),
      item('later', { expiresAt: '2026-12-06T14:00:00Z' }),
    ];
    expect(alertsFor(null, items, NOW, told).map((a) => `${a.kind}:${a.key}`)).toEqual([
      'expiring:approval:soon',
    ]);
    expect(alertsFor(null, items, NOW, told)).toEqual([]);
  });

  it('never alerts about the reader’s own work items (they wait for others)', () => {
    const mine = item('w', {
      kind: 'work_item',
      key: 'work_item:w',
      decidable: false,
      expiresAt: '2026-12-06T12:10:00Z',
    });
    expect(alertsFor(new Set(), [mine], NOW, new Set())).toEqual([]);
  });
});
