import { describe, expect, it } from 'vitest';
import { presentColumn } from '../../common/records/presentation.ts';
import type { ColumnInfo } from '../../common/rpc/contract.ts';
import { editText, localDateTimeText, parseEdit } from './edit.ts';

const column = (name: string, type: string, nullable = true, facts = {}): ColumnInfo => ({
  name,
  type,
  nullable,
  presentation: presentColumn('work_items', name, type, [name], facts),
});

describe('editing record fields', () => {
  it('edits times in local time and sends instants', () => {
    const due = column('due_at', 'timestamp with time zone');
    const text = editText('2026-12-06T14:05:00.000Z', due);
    expect(text).toBe(localDateTimeText(Date.parse('2026-12-06T14:05:00Z')));
    expect(parseEdit(text, due)).toEqual({ ok: true, value: '2026-12-06T14:05:00.000Z' });
    expect(parseEdit('tomorrow-ish', due)).toEqual({ ok: false, error: 'Due at must be a date and time.' });
  });

  it('parses numbers, whole numbers, yes/no and choices, naming the field', () => {
    expect(parseEdit('1,234.5', column('estimated_cost', 'numeric(10,4)'))).toEqual({
      ok: true,
      value: 1234.5,
    });
    expect(parseEdit('2.5', column('priority', 'integer'))).toEqual({
      ok: false,
      error: 'Priority must be a whole number.',
    });
    expect(parseEdit('true', column('is_active', 'boolean'))).toEqual({ ok: true, value: true });
    const mode = column('mode', 'text', false, { choices: ['ai', 'human'] });
    expect(parseEdit('human', mode)).toEqual({ ok: true, value: 'human' });
    expect(parseEdit('robot', mode)).toEqual({ ok: false, error: 'Mode must be one of the listed choices.' });
  });

  it('treats empty as null where allowed, else as required', () => {
    expect(parseEdit('', column('due_at', 'timestamp with time zone'))).toEqual({ ok: true, value: null });
    expect(parseEdit(' ', column('title', 'text', false))).toEqual({ ok: true, value: ' ' });
    expect(parseEdit('', column('title', 'text', false))).toEqual({ ok: false, error: 'Title is required.' });
  });

  it('parses JSON and lists, saying what is wrong', () => {
    const context = column('context', 'jsonb');
    expect(editText({ a: 1 }, context)).toBe('{\n  "a": 1\n}');
    expect(parseEdit('{"a": 2}', context)).toEqual({ ok: true, value: { a: 2 } });
    const bad = parseEdit('{a: 2}', context);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/^Context is not valid JSON/);
    expect(parseEdit('"x"', column('tags', 'text[]'))).toEqual({
      ok: false,
      error: 'Tags must be a list, e.g. ["a", "b"].',
    });
  });
});
