/**
 * Tests of the inbox's counts: the nav count takes every item waiting, also beyond what the list holds
 * (renderer/inbox/inbox-store.ts decisionCount), and the badge keeps its width (inbox-model badgeText).
 */
import { describe, expect, it } from 'vitest';
import { inboxItem } from './inbox.fixtures.ts';
import { badgeText } from './inbox-model.ts';
import { decisionCount } from './inbox-store.ts';

const items = (n: number) => Array.from({ length: n }, (_, i) => inboxItem({ id: `a${i}` }));

describe('decisionCount', () => {
  it('counts the approvals and changesets listed when the lists hold them all', () => {
    expect(
      decisionCount({ approvals: items(3), changesets: items(2), workItems: items(4), totals: {} }),
    ).toBe(5);
    expect(decisionCount({ approvals: null, changesets: null, workItems: null, totals: {} })).toBe(0);
  });

  it('takes a kind’s total from its count once its list stopped at the limit', () => {
    const state = {
      approvals: items(1000),
      changesets: items(7),
      workItems: null,
      totals: { approvals: 100_000 },
    };
    expect(decisionCount(state)).toBe(100_007);
  });
});

describe('badgeText', () => {
  it('writes small counts in full and large ones short', () => {
    expect(badgeText(7, 'en-US')).toBe('7');
    expect(badgeText(2000, 'en-US')).toBe('2,000');
    expect(badgeText(100_007, 'en-US')).toBe('100K');
    expect(badgeText(120_000, 'en-US')).toBe('120K');
  });
});
