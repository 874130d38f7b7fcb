/**
 * The dashboards' range rules (common/queries/dashboard-range.ts): buckets as date_trunc makes them
 * (weeks from Monday, months from the 1st, the first clamped to the range start) and the parameter
 * checks. core/queries/dashboard-queries.pglite.test.ts checks that SQL groups on the same days.
 */
import { describe, expect, it } from 'vitest';
import { bucketOf, bucketStarts, comparedRangeParams, MAX_RANGE_DAYS } from './dashboard-range.ts';

describe('dashboard buckets', () => {
  it('starts weeks on Monday and months on the 1st', () => {
    expect(bucketOf('2026-03-01', 'week')).toBe('2026-02-23'); // a Sunday
    expect(bucketOf('2026-03-02', 'week')).toBe('2026-03-02'); // a Monday
    expect(bucketOf('2026-03-17', 'month')).toBe('2026-03-01');
    expect(bucketOf('2026-03-17', 'day')).toBe('2026-03-17');
  });

  it('lists every bucket of a range once, the first at the range start', () => {
    expect(bucketStarts('2026-03-01', '2026-03-10', 'week')).toEqual([
      '2026-03-01',
      '2026-03-02',
      '2026-03-09',
    ]);
    expect(bucketStarts('2026-02-15', '2026-04-01', 'month')).toEqual([
      '2026-02-15',
      '2026-03-01',
      '2026-04-01',
    ]);
    expect(bucketStarts('2025-12-30', '2026-01-02', 'day')).toEqual([
      '2025-12-30',
      '2025-12-31',
      '2026-01-01',
      '2026-01-02',
    ]);
    expect(bucketStarts('2026-01-01', '2026-12-31', 'day')).toHaveLength(365);
  });

  it('accepts a range up to its limit and says what is wrong with others', () => {
    const ok = comparedRangeParams.parse({ from: '2026-01-01', to: '2026-01-31' });
    expect(ok).toEqual({
      tenantId: null,
      from: '2026-01-01',
      to: '2026-01-31',
      bucket: 'day',
      compare: false,
    });
    const backwards = comparedRangeParams.safeParse({ from: '2026-02-01', to: '2026-01-31' });
    expect(backwards.error?.issues[0]?.message).toBe('the end is before the start');
    const long = comparedRangeParams.safeParse({ from: '2020-01-01', to: '2026-01-31' });
    expect(long.error?.issues[0]?.message).toBe(`a range is at most ${MAX_RANGE_DAYS} days`);
    expect(comparedRangeParams.safeParse({ from: '2026-01-01', to: '2026-01-31', extra: 1 }).success).toBe(
      false,
    );
  });
});
