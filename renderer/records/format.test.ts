import { describe, expect, it } from 'vitest';
import { presentColumn } from '../../common/records/presentation.ts';
import {
  displayText,
  formatDate,
  formatDateTime,
  formatMoney,
  formatPercent,
  relativeTime,
} from './format.ts';

const NOW = Date.parse('2026-12-06T13:25:00Z');
const opts = { locale: 'en-GB', timeZone: 'Europe/Berlin', now: NOW };

describe('record formats', () => {
  it('shows a timestamp in local time with a relative hint', () => {
    expect(formatDateTime('2026-12-06T14:05:00Z', opts)).toEqual({
      text: '6 Dec 2026, 15:05',
      relative: 'in 40 minutes',
      iso: '2026-12-06T14:05:00.000Z',
    });
    expect(relativeTime(Date.parse('2026-12-06T10:25:00Z'), opts)).toBe('3 hours ago');
    expect(relativeTime(Date.parse('2026-12-05T12:00:00Z'), opts)).toBe('yesterday');
    expect(relativeTime(NOW + 10_000, opts)).toBe('this minute');
    expect(formatDateTime('soon', opts)).toBeNull();
  });

  it('shows a calendar date without a time-zone shift', () => {
    expect(formatDate('2026-01-31', { locale: 'en-US', timeZone: 'America/Los_Angeles' })).toBe(
      'Jan 31, 2026',
    );
    expect(formatDate('not a date')).toBeNull();
  });

  it('shows money with its currency and rates as percentages', () => {
    expect(formatMoney('1234.5000', 'USD', { locale: 'en-US' })).toBe('$1,234.50');
    expect(formatMoney('12', 'eur', { locale: 'de-DE' })).toBe('12,00\u00a0€');
    expect(formatMoney('0.0042', 'USD', { locale: 'en-US' })).toBe('$0.0042');
    expect(formatMoney('5', 'XQQ', { locale: 'en-US' })).toBe('XQQ\u00a05.00');
    expect(formatMoney('5', 'dollars', { locale: 'en-US' })).toBe('5 DOLLARS');
    expect(formatMoney('abc', 'USD')).toBeNull();
    expect(formatPercent('0.125', { locale: 'en-US' })).toBe('12.5%');
  });

  it('turns any value into one line for a cell: names, words, amounts', () => {
    const cols = [
      'id',
      'tenant_id',
      'assistant_id',
      'status',
      'amount',
      'currency',
      'approver_ids',
      'context',
    ];
    const row = { currency: 'GBP' };
    const present = (name: string, type: string, facts = {}) =>
      presentColumn('payments', name, type, cols, facts);
    const labels = { assistant_id: { a1: 'Finance bot' }, approver_ids: { u1: 'Ada Lovelace' } };
    expect(
      displayText(
        'a1',
        'assistant_id',
        present('assistant_id', 'uuid', { references: 'assistants' }),
        row,
        labels,
      ),
    ).toBe('Finance bot');
    expect(
      displayText(
        'b2f0c1d4-0000-4000-8000-000000000001',
        'assistant_id',
        present('assistant_id', 'uuid', { references: 'assistants' }),
        row,
        labels,
      ),
    ).toBe('b2f0c1d4…');
    expect(
      displayText(
        ['u1', 'u2'],
        'approver_ids',
        present('approver_ids', 'uuid[]', { references: 'users' }),
        row,
        labels,
      ),
    ).toBe('Ada Lovelace, u2');
    expect(
      displayText('in_progress', 'status', present('status', 'text', { choices: ['in_progress'] }), row),
    ).toBe('In progress');
    expect(
      displayText('10.5', 'amount', present('amount', 'numeric(19,4)'), row, {}, { locale: 'en-GB' }),
    ).toBe('£10.50');
    expect(displayText({ a: 1 }, 'context', present('context', 'jsonb'), row)).toBe('{"a":1}');
    expect(displayText(null, 'context', present('context', 'jsonb'), row)).toBe('');
    expect(displayText(true, 'x', presentColumn('t', 'is_active', 'boolean', []), row)).toBe('Yes');
  });
});
