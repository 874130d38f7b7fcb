import { describe, expect, it } from 'vitest';
import { columnKind, editText, filterValue, formatCell, parseEdit } from './column-kinds.ts';

const col = (name: string, type: string, nullable = true) => ({ name, type, nullable });

describe('columnKind', () => {
  it('maps Postgres types to how the explorer treats them', () => {
    expect(columnKind('text')).toBe('text');
    expect(columnKind('character varying(200)')).toBe('text');
    expect(columnKind('numeric(12,2)')).toBe('number');
    expect(columnKind('bigint')).toBe('number');
    expect(columnKind('jsonb')).toBe('json');
    expect(columnKind('text[]')).toBe('array');
    expect(columnKind('timestamp with time zone')).toBe('time');
    expect(columnKind('date')).toBe('date');
    expect(columnKind('vector(1536)')).toBe('vector');
    expect(columnKind('uuid')).toBe('uuid');
    expect(columnKind('boolean')).toBe('boolean');
  });
});

describe('formatCell', () => {
  it('renders every kind of value as one line without throwing', () => {
    expect(formatCell(null, 'text')).toBe('');
    expect(formatCell(true, 'boolean')).toBe('true');
    expect(formatCell({ a: [1, 2] }, 'json')).toBe('{"a":[1,2]}');
    expect(formatCell([0.1, 0.2, 0.3], 'vector')).toBe('vector (3 dims)');
    expect(formatCell('x'.repeat(400), 'text')).toHaveLength(301);
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => formatCell(cyclic, 'json')).not.toThrow();
  });
});

describe('parseEdit', () => {
  it('parses values for their column type', () => {
    expect(parseEdit('42', col('n', 'integer'))).toEqual({ ok: true, value: 42 });
    expect(parseEdit('1.5', col('amount', 'numeric(12,2)'))).toEqual({ ok: true, value: 1.5 });
    expect(parseEdit('{"a":1}', col('config', 'jsonb'))).toEqual({ ok: true, value: { a: 1 } });
    expect(parseEdit('["x"]', col('tags', 'text[]'))).toEqual({ ok: true, value: ['x'] });
    expect(parseEdit('false', col('active', 'boolean'))).toEqual({ ok: true, value: false });
    expect(parseEdit('', col('note', 'text'))).toEqual({ ok: true, value: null });
    expect(parseEdit('', col('name', 'text', false))).toEqual({ ok: true, value: '' });
  });

  it('refuses what does not fit, naming the column and what was expected', () => {
    expect(parseEdit('abc', col('n', 'integer'))).toEqual({
      ok: false,
      error: 'n must be a number, not "abc".',
    });
    expect(parseEdit('1.5', col('n', 'integer'))).toMatchObject({
      ok: false,
      error: 'n must be a whole number.',
    });
    expect(parseEdit('{', col('config', 'jsonb'))).toMatchObject({ ok: false });
    expect(parseEdit('{"a":1}', col('tags', 'text[]'))).toMatchObject({ ok: false });
    expect(parseEdit('', col('due', 'date', false))).toEqual({ ok: false, error: 'due is required.' });
    expect(parseEdit('yesterday', col('at', 'timestamp with time zone'))).toMatchObject({ ok: false });
    expect(parseEdit('[1]', col('embedding', 'vector(3)'))).toMatchObject({ ok: false });
  });

  it('round-trips an edit of an unchanged value', () => {
    const column = col('steps', 'jsonb');
    const value = [{ step: 1 }];
    expect(parseEdit(editText(value, 'json'), column)).toEqual({ ok: true, value });
  });
});

describe('filterValue', () => {
  it('types filter values for numbers and booleans', () => {
    expect(filterValue('12', col('n', 'integer'))).toBe(12);
    expect(filterValue('true', col('b', 'boolean'))).toBe(true);
    expect(filterValue('12', col('name', 'text'))).toBe('12');
  });
});
