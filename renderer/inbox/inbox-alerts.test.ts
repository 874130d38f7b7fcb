import { describe, expect, it } from 'vitest';
import { AlertBaseline, alertsFor, batchAlerts, type InboxAlert } from './inbox-alerts.ts';
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

  it('raises nothing for what the first sync brings, even when the live answers trail the sync status', () => {
    const told = new Set<string>();
    const baseline = new AlertBaseline();
    const keys = (alerts: InboxAlert[]) => alerts.map((a) => `${a.kind}:${a.key}`);
    // The first sync of a fresh sign-in: the feed answers as rows are committed.
    expect(baseline.answer([item('a')], NOW, told)).toEqual([]);
    expect(baseline.startReading(false)).toBeNull();
    expect(baseline.answer([item('a'), item('b')], NOW, told)).toEqual([]);
    // Up to date: the baseline read starts (once); live answers until it returns are absorbed too.
    const ticket = baseline.startReading(true);
    expect(ticket).not.toBeNull();
    expect(baseline.startReading(true)).toBeNull();
    expect(baseline.answer([item('a'), item('b'), item('c')], NOW, told)).toEqual([]);
    expect(baseline.take(ticket ?? -1, [item('a'), item('b'), item('c'), item('d')])).toBe(true);
    // The live query reports the first sync's last row after the read: not news.
    expect(baseline.answer([item('a'), item('b'), item('c'), item('d')], NOW, told)).toEqual([]);
    // A row that arrives later is, once.
    const later = [item('a'), item('b'), item('c'), item('d'), item('e')];
    expect(keys(baseline.answer(later, NOW, told))).toEqual(['new:approval:e']);
    expect(baseline.answer(later, NOW, told)).toEqual([]);
  });

  it('takes no baseline before the feed answers, nor a read started before the feed was cleared', () => {
    const told = new Set<string>();
    const baseline = new AlertBaseline();
    expect(baseline.startReading(true)).toBeNull();
    baseline.answer([item('a')], NOW, told);
    const stale = baseline.startReading(true);
    // Another tenant scope: the feed clears and answers again, with items that are not news either.
    baseline.answer(null, NOW, told);
    baseline.answer([item('x')], NOW, told);
    expect(baseline.take(stale ?? -1, [item('a')])).toBe(false);
    expect(baseline.answer([item('x'), item('y')], NOW, told)).toEqual([]);
    const ticket = baseline.startReading(true);
    expect(baseline.take(ticket ?? -1, null)).toBe(true);
    expect(baseline.answer([item('x'), item('y')], NOW, told)).toEqual([]);
    expect(baseline.answer([item('x'), item('y'), item('z')], NOW, told).map((a) => a.key)).toEqual([
      'approval:z',
    ]);
  });

  it('shows up to two alerts one by one and more as one summary', () => {
    const told = new Set<string>();
    const two = alertsFor(new Set(), [item('a'), item('b')], NOW, told);
    expect(batchAlerts(two)).toEqual(two);
    const three = alertsFor(new Set(), [item('c'), item('d'), item('e')], NOW, told);
    expect(batchAlerts(three)).toEqual([
      {
        key: 'inbox',
        kind: 'several',
        title: '3 new items to decide',
        body: 'Approval c — from Dana Lee · Approval d — from Dana Lee · and 1 more',
      },
    ]);
    const mixed = alertsFor(
      new Set(),
      [item('f', { expiresAt: '2026-12-06T12:30:00Z' }), item('g')],
      NOW,
      told,
    );
    expect(batchAlerts(mixed)[0]?.title).toBe('2 new items to decide, 1 expiring within the hour');
  });
});
