import { describe, expect, it } from 'vitest';
import { readQuoted } from './quoted.ts';
import { parseTableName } from './table-schema.ts';
import { parseColumns } from '../http/shape-params.ts';

describe('quoted tokens', () => {
  it('undoes doubled quotes and reports where the token ends', () => {
    expect(readQuoted(`'it''s' x`, 0, "'")).toEqual({ value: "it's", end: 7 });
    expect(readQuoted(`"a""b"`, 0, '"')).toEqual({ value: 'a"b', end: 6 });
    expect(readQuoted(`'open`, 0, "'")).toBeNull();
  });
});

describe('table names', () => {
  it.each([
    ['items', { schema: 'public', name: 'items' }],
    ['Items', { schema: 'public', name: 'items' }],
    ['"Items"', { schema: 'public', name: 'Items' }],
    ['crm.leads', { schema: 'crm', name: 'leads' }],
    ['"my schema"."a.b"', { schema: 'my schema', name: 'a.b' }],
    ['"q""uote"', { schema: 'public', name: 'q"uote' }],
  ])('%s', (input, expected) => expect(parseTableName(input)).toEqual(expected));

  it.each(['', 'a.b.c', 'a.', '"open', '""', 'a b', 'items; drop table x', '1abc'])('rejects %j', (input) => {
    expect(() => parseTableName(input)).toThrow(/Invalid table/);
  });
});

describe('columns', () => {
  it('reads quoted and bare names, refuses duplicates and junk', () => {
    expect(parseColumns('"id","Title",status')).toEqual(['id', 'Title', 'status']);
    expect(() => parseColumns('id,id')).toThrow(/listed twice/);
    expect(() => parseColumns('id,"open')).toThrow(/unterminated/);
    expect(() => parseColumns('id;x')).toThrow(/expected ","/);
  });
});
