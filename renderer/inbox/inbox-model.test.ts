import { describe, expect, it } from 'vitest';
import { inboxItem } from './inbox.fixtures.ts';
import {
  actionTargets,
  byUrgency,
  countdown,
  deadlineText,
  facets,
  flatten,
  groupItems,
  move,
  NO_FILTER,
  quorumText,
  range,
  reuseUnchanged,
} from './inbox-model.ts';

const NOW = Date.parse('2026-12-06T12:00:00Z');

const item = inboxItem;

describe('inbox order', () => {
  it('puts the earliest expiry first, then the highest risk, then the oldest; no deadline last', () => {
    const items = [
      item({ id: 'none', risk: 5 }),
      item({ id: 'late', expiresAt: '2026-12-08T00:00:00Z', risk: 1 }),
      item({ id: 'soon-low', expiresAt: '2026-12-06T13:00:00Z', risk: 1 }),
      item({ id: 'soon-high', expiresAt: '2026-12-06T13:00:00Z', risk: 4 }),
      item({
        id: 'soon-high-older',
        expiresAt: '2026-12-06T13:00:00Z',
        risk: 4,
        createdAt: '2026-11-01T00:00:00Z',
      }),
    ];
    expect([...items].sort(byUrgency).map((i) => i.id)).toEqual([
      'soon-high-older',
      'soon-high',
      'soon-low',
      'late',
      'none',
    ]);
  });

  it('groups by kind in a fixed order and walks the groups one after the other', () => {
    const groups = groupItems(
      [
        item({ id: 'w', kind: 'work_item' }),
        item({ id: 'c', kind: 'changeset' }),
        item({ id: 'a2', expiresAt: '2026-12-07T00:00:00Z' }),
        item({ id: 'a1', expiresAt: '2026-12-06T18:00:00Z' }),
      ],
      NO_FILTER,
    );
    expect(groups.map((g) => g.kind)).toEqual(['approval', 'changeset', 'work_item']);
    expect(flatten(groups).map((i) => i.id)).toEqual(['a1', 'a2', 'c', 'w']);
  });
});

describe('inbox filters', () => {
  const items = [
    item({ id: '1', title: 'Pay the Q4 invoice', risk: 4, requesterId: 'u1', requesterName: 'Dana Lee' }),
    item({ id: '2', title: 'Refund order 1001', risk: 2, assistantId: 's1', assistantName: 'Billing bot' }),
    item({ id: '3', kind: 'changeset', title: 'Fix the tax script', facts: ['NetSuite prod', '2 files'] }),
  ];
  const shown = (filter: Partial<typeof NO_FILTER>) =>
    flatten(groupItems(items, { ...NO_FILTER, ...filter })).map((i) => i.id);

  it('narrows by kind, minimum risk, requester and assistant', () => {
    expect(shown({ kinds: ['changeset'] })).toEqual(['3']);
    expect(shown({ minRisk: 3 })).toEqual(['1']);
    expect(shown({ requesterId: 'u1' })).toEqual(['1']);
    expect(shown({ assistantId: 's1' })).toEqual(['2']);
  });

  it('searches every word in titles, names and facts, ignoring case', () => {
    expect(shown({ text: 'dana q4' })).toEqual(['1']);
    expect(shown({ text: 'BILLING' })).toEqual(['2']);
    expect(shown({ text: 'netsuite files' })).toEqual(['3']);
    expect(shown({ text: 'dana refund' })).toEqual([]);
  });

  it('lists requesters and assistants by name for the filter menus', () => {
    expect(facets(items)).toEqual({
      requesters: [{ id: 'u1', name: 'Dana Lee' }],
      assistants: [{ id: 's1', name: 'Billing bot' }],
    });
  });
});

describe('inbox selection', () => {
  const order = ['a', 'b', 'c', 'd'].map((id) => item({ id }));
  const mine = item({ id: 'w', kind: 'work_item' });

  it('moves within the list and stops at its ends', () => {
    expect(move(order, null, 1)).toBe('approval:a');
    expect(move(order, 'approval:a', 1)).toBe('approval:b');
    expect(move(order, 'approval:a', -1)).toBe('approval:a');
    expect(move(order, 'approval:d', 1)).toBe('approval:d');
    expect(move([], null, 1)).toBeNull();
  });

  it('selects a range in either direction', () => {
    expect(range(order, 'approval:b', 'approval:d')).toEqual(['approval:b', 'approval:c', 'approval:d']);
    expect(range(order, 'approval:c', 'approval:a')).toEqual(['approval:a', 'approval:b', 'approval:c']);
    expect(range(order, null, 'approval:b')).toEqual(['approval:b']);
  });

  it('acts on the selection, else on the active item, never on the reader’s own work items', () => {
    const all = [...order, mine];
    expect(actionTargets(all, new Set(['approval:b', 'work_item:w']), 'approval:a').map((i) => i.id)).toEqual(
      ['b'],
    );
    expect(actionTargets(all, new Set(), 'approval:c').map((i) => i.id)).toEqual(['c']);
    expect(actionTargets(all, new Set(), 'work_item:w')).toEqual([]);
  });
});

describe('inbox quorum', () => {
  it('says how far a quorum got, and whether the reader’s approval counts in it', () => {
    expect(quorumText({ quorum: { required: 2, approvals: 1 }, myDecision: 'approve' })).toBe(
      '1 of 2 approvals, yours included',
    );
    expect(quorumText({ quorum: { required: 3, approvals: 0 }, myDecision: null })).toBe('0 of 3 approvals');
    expect(quorumText({ quorum: { required: 1, approvals: 0 }, myDecision: null })).toBe('');
    expect(quorumText({ quorum: null, myDecision: null })).toBe('');
  });
});

describe('inbox deadlines', () => {
  const relative = (at: number) => (at > NOW ? 'in 1 hour' : '1 hour ago');

  it('says expires, expired or due', () => {
    expect(deadlineText(item({ id: '1', expiresAt: '2026-12-06T13:00:00Z' }), NOW, relative)).toBe(
      'expires in 1 hour',
    );
    expect(deadlineText(item({ id: '1', expiresAt: '2026-12-06T11:00:00Z' }), NOW, relative)).toBe(
      'expired 1 hour ago',
    );
    expect(
      deadlineText(item({ id: 'w', kind: 'work_item', expiresAt: '2026-12-06T13:00:00Z' }), NOW, relative),
    ).toBe('due in 1 hour');
    expect(deadlineText(item({ id: 'n' }), NOW, relative)).toBe('');
  });

  it('counts down in the largest useful units', () => {
    expect(countdown('2026-12-08T14:30:00Z', NOW)).toBe('2 d 2 h left');
    expect(countdown('2026-12-06T14:05:00Z', NOW)).toBe('2 h 05 min left');
    expect(countdown('2026-12-06T12:03:09Z', NOW)).toBe('3 min 09 s left');
    expect(countdown('2026-12-06T12:00:45Z', NOW)).toBe('45 s left');
    expect(countdown('2026-12-06T11:00:00Z', NOW)).toBe('expired');
    expect(countdown(null, NOW)).toBe('');
  });
});

describe('list order and answers that repeat', () => {
  it('groups in the order byUrgency gives (times parsed once per item)', () => {
    const items = Array.from({ length: 50 }, (_, n) =>
      item({
        id: `i${n}`,
        risk: n % 6,
        expiresAt: n % 7 === 0 ? null : `2026-12-${String(7 + (n % 5)).padStart(2, '0')}T00:00:00Z`,
        createdAt: `2026-11-${String(1 + (n % 3)).padStart(2, '0')}T00:00:00Z`,
      }),
    );
    expect(flatten(groupItems(items, NO_FILTER))).toEqual([...items].sort(byUrgency));
  });

  it('keeps the objects of unchanged items, and the previous list when nothing changed', () => {
    const before = [
      item({ id: 'a', facts: ['x'] }),
      item({ id: 'b', quorum: { required: 2, approvals: 1 } }),
    ];
    const same = [item({ id: 'a', facts: ['x'] }), item({ id: 'b', quorum: { required: 2, approvals: 1 } })];
    expect(reuseUnchanged(before, same)).toBe(before);
    const changed = [
      item({ id: 'a', facts: ['x'] }),
      item({ id: 'b', quorum: { required: 2, approvals: 2 } }),
    ];
    const after = reuseUnchanged(before, changed);
    expect(after).not.toBe(before);
    expect(after[0]).toBe(before[0]);
    expect(after[1]).toBe(changed[1]);
    expect(reuseUnchanged(before, [same[0]!])).toEqual([before[0]]);
    expect(reuseUnchanged(null, same)).toBe(same);
  });
});
