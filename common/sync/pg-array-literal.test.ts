import { describe, expect, it } from 'vitest';
import { toPgArrayLiteral, withArrayLiterals } from './pg-array-literal.ts';

describe('toPgArrayLiteral', () => {
  it('quotes every string so separators, quotes, backslashes and the word NULL survive', () => {
    expect(toPgArrayLiteral(['x', null, 'y,z', '"q"', 'a\\b', 'NULL', '{}'])).toBe(
      '{"x",NULL,"y,z","\\"q\\"","a\\\\b","NULL","{}"}',
    );
  });

  it('writes numbers, booleans, nested arrays and empty arrays', () => {
    expect(toPgArrayLiteral([1, null, 3])).toBe('{"1",NULL,"3"}');
    expect(toPgArrayLiteral([true, false])).toBe('{"true","false"}');
    expect(
      toPgArrayLiteral([
        ['a', 'b'],
        ['c', null],
      ]),
    ).toBe('{{"a","b"},{"c",NULL}}');
    expect(toPgArrayLiteral([])).toBe('{}');
  });

  it('replaces only array values in a row', () => {
    expect(withArrayLiterals({ id: 1, tags: ['a', null], meta: { k: 1 }, none: null })).toEqual({
      id: 1,
      tags: '{"a",NULL}',
      meta: { k: 1 },
      none: null,
    });
  });
});
