import { describe, expect, it } from 'vitest';
import { entityTable, fieldChanges, localDayStart, valueText } from './audit-model.ts';

describe('audit events in words', () => {
  it('lists changed fields before → after from the states, without updated_at', () => {
    expect(
      fieldChanges({
        changes: null,
        before_state: { status: 'open', title: 'A', updated_at: '1' },
        after_state: { status: 'done', title: 'A', updated_at: '2' },
      }),
    ).toEqual([{ field: 'status', label: 'Status', before: 'open', after: 'done' }]);
  });

  it('prefers the pairs of `changes`, in both shapes', () => {
    expect(
      fieldChanges({
        changes: { amount: [1.5, 2], note: { old: null, new: 'x' } },
        before_state: null,
        after_state: null,
      }),
    ).toEqual([
      { field: 'amount', label: 'Amount', before: '1.5', after: '2' },
      { field: 'note', label: 'Note', before: '—', after: 'x' },
    ]);
  });

  it('a created record lists its values with nothing before', () => {
    expect(fieldChanges({ changes: null, before_state: null, after_state: { done: true } })).toEqual([
      { field: 'done', label: 'Done', before: null, after: 'Yes' },
    ]);
  });

  it('writes values as words', () => {
    expect(valueText({ a_b: [1, 'x'] })).toBe('A b: 1, x');
    expect(valueText('')).toBe('(empty)');
    expect(valueText('y'.repeat(400))).toHaveLength(160);
    expect(valueText('7d19d108-7acb-4373-bc86-fd8178d5cb86')).not.toMatch(/fd8178d5cb86/);
    expect(valueText('2026-12-08T19:24:51.513108+00:00')).not.toMatch(/T19/);
  });

  it('names the table of an entity type, or none', () => {
    expect(entityTable('work_item')).toBe('work_items');
    expect(entityTable('work_items')).toBe('work_items');
    expect(entityTable('policy')).toBe('policies');
    expect(entityTable('no_such_thing')).toBeNull();
  });

  it('turns local days into instants, the end day inclusive', () => {
    const start = localDayStart('2026-03-01');
    const end = localDayStart('2026-03-01', 1);
    expect(start && end && Date.parse(end) - Date.parse(start)).toBeGreaterThanOrEqual(23 * 3600_000);
    expect(localDayStart('03/01/2026')).toBeNull();
  });
});
