import { describe, expect, it } from 'vitest';
import { localDateTimeText } from '../records/edit.ts';
import { checkDraft, delegationState, emptyDraft, riskLevelsText } from './delegation-form.ts';

const NOW = new Date(2026, 11, 7, 9, 30).getTime();
const HOUR = 3600_000;
const at = (ms: number) => localDateTimeText(ms);

describe('checkDraft', () => {
  it('turns a complete draft into the operation’s values, every level as null', () => {
    const draft = { ...emptyDraft(NOW), delegateId: 'u-1', reason: '  On leave  ' };
    const check = checkDraft(draft, NOW);
    expect(check).toEqual({
      ok: true,
      values: {
        delegate_id: 'u-1',
        starts_at: new Date(NOW).toISOString(),
        ends_at: new Date(NOW + 7 * 24 * HOUR).toISOString(),
        risk_levels: null,
        reason: 'On leave',
      },
    });
  });

  it('sends chosen levels sorted, and no reason when there is none', () => {
    const draft = { ...emptyDraft(NOW), delegateId: 'u-1', riskLevels: [4, 1, 2] };
    const check = checkDraft(draft, NOW);
    expect(check.ok && check.values).toMatchObject({ risk_levels: [1, 2, 4] });
    expect(check.ok && 'reason' in check.values).toBe(false);
  });

  it('names every wrong field with what to do', () => {
    const check = checkDraft(
      { delegateId: '', startsAt: 'soon', endsAt: '', riskLevels: [], reason: 'x'.repeat(1001) },
      NOW,
    );
    expect(check).toEqual({
      ok: false,
      problems: {
        delegateId: 'Choose who decides for you.',
        startsAt: 'Give the date and time it starts.',
        endsAt: 'Give the date and time it ends.',
        riskLevels: 'Choose at least one risk level (all of them: every approval).',
        reason: 'The reason is 1001 characters; 1,000 at most.',
      },
    });
  });

  it('refuses a window that ends in the past, before it starts, or after 90 days', () => {
    const base = { ...emptyDraft(NOW), delegateId: 'u-1' };
    const endsAt = (draft: Parameters<typeof checkDraft>[0]) => {
      const check = checkDraft(draft, NOW);
      return check.ok ? null : check.problems.endsAt;
    };
    expect(endsAt({ ...base, startsAt: at(NOW - 2 * HOUR), endsAt: at(NOW - HOUR) })).toMatch(/in the past/);
    expect(endsAt({ ...base, startsAt: at(NOW + 3 * HOUR), endsAt: at(NOW + 2 * HOUR) })).toBe(
      'It must end after it starts.',
    );
    expect(endsAt({ ...base, endsAt: at(NOW + 91 * 24 * HOUR) })).toMatch(/at most 90 days/);
    expect(endsAt({ ...base, endsAt: at(NOW + 90 * 24 * HOUR) })).toBeNull();
  });
});

describe('riskLevelsText', () => {
  it('reads as words', () => {
    expect(riskLevelsText(null)).toBe('every risk level');
    expect(riskLevelsText([0, 1, 2, 3, 4, 5])).toBe('every risk level');
    expect(riskLevelsText([3])).toBe('risk 3 only');
    expect(riskLevelsText([2, 0, 1])).toBe('risk 0 to 2');
    expect(riskLevelsText([4, 5])).toBe('risk 4 and 5');
    expect(riskLevelsText([1, 3, 5])).toBe('risk 1, 3 and 5');
  });
});

describe('delegationState', () => {
  const d = (active: boolean, starts: number, ends: number) => ({
    is_active: active,
    starts_at: new Date(starts).toISOString(),
    ends_at: new Date(ends).toISOString(),
  });
  it('tells revoked, ended, scheduled and active apart', () => {
    expect(delegationState(d(false, NOW - HOUR, NOW + HOUR), NOW)).toBe('revoked');
    expect(delegationState(d(true, NOW - 2 * HOUR, NOW - HOUR), NOW)).toBe('ended');
    expect(delegationState(d(true, NOW + HOUR, NOW + 2 * HOUR), NOW)).toBe('scheduled');
    expect(delegationState(d(true, NOW - HOUR, NOW + HOUR), NOW)).toBe('active');
  });
});
