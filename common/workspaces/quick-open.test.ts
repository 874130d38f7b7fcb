import { describe, expect, it } from 'vitest';
import { indexPaths, quickOpen } from './quick-open.ts';

const paths = (query: string, list: readonly string[], recent: readonly string[] = []) =>
  quickOpen(indexPaths(list), query, { recent }).items.map((i) => i.path);

describe('quickOpen ranking', () => {
  it('ranks file name matches above folder matches, the closest name first', () => {
    const list = [
      'sales/helpers.js',
      'x/sale_lines.js',
      'lib/salesOrder.js',
      'src/wholesales.js',
      'src/sales.js',
    ];
    expect(paths('sales', list)).toEqual([
      'src/sales.js',
      'lib/salesOrder.js',
      'src/wholesales.js',
      'x/sale_lines.js',
      'sales/helpers.js',
    ]);
  });

  it('prefers word starts and humps, and the case typed', () => {
    expect(paths('so', ['a/personal.js', 'a/sales_order.js'])).toEqual(['a/sales_order.js', 'a/personal.js']);
    expect(paths('SO', ['a/salesorder.js', 'b/SalesOrder.js'])).toEqual([
      'b/SalesOrder.js',
      'a/salesorder.js',
    ]);
  });

  it('matches pieces separated by spaces in any order, and reads \\ as /', () => {
    expect(paths('js sales', ['src/sales.js', 'src/sales.xml'])).toEqual(['src/sales.js']);
    expect(paths('src\\sal', ['src/sales.js', 'lib/sales.js'])).toEqual(['src/sales.js']);
  });

  it('breaks ties by recently opened, shorter name, shorter path, then path', () => {
    expect(paths('a', ['z/a.js', 'y/a.js', 'a.js'])).toEqual(['a.js', 'y/a.js', 'z/a.js']);
    expect(paths('a', ['z/a.js', 'y/a.js'], ['z/a.js'])).toEqual(['z/a.js', 'y/a.js']);
  });
});

describe('quickOpen highlighting', () => {
  it('highlights the best alignment in the name: word starts, not the first letters found', () => {
    const [item] = quickOpen(indexPaths(['src/sales_order_view.js']), 'sov').items;
    expect(item).toMatchObject({
      name: 'sales_order_view.js',
      folder: 'src',
      nameRanges: [
        [0, 1],
        [6, 7],
        [12, 13],
      ],
      folderRanges: [],
    });
  });

  it('merges consecutive characters into one range', () => {
    const [item] = quickOpen(indexPaths(['a/invoice.js']), 'voice').items;
    expect(item?.nameRanges).toEqual([[2, 7]]);
  });

  it('highlights in the folder when the name does not match (the slash itself is not shown)', () => {
    const [item] = quickOpen(indexPaths(['src/FileCabinet/SuiteScripts/a.js']), 'fcss').items;
    expect(item).toMatchObject({
      folder: 'src/FileCabinet/SuiteScripts',
      folderRanges: [
        [4, 5],
        [8, 9],
        [16, 17],
        [21, 22],
      ],
      nameRanges: [],
    });
    const [across] = quickOpen(indexPaths(['lib/sales.js']), 'lib/sa').items;
    expect(across).toMatchObject({ folderRanges: [[0, 3]], nameRanges: [[0, 2]] });
  });
});

describe('quickOpen lists', () => {
  const list = ['b/two.js', 'a/one.js', 'c/three.js', 'a/one.js'];

  it('shows the recently opened files first, then every file by path, for an empty query', () => {
    const result = quickOpen(indexPaths(list), '  ', { recent: ['c/three.js', 'gone.js', 'b/two.js'] });
    expect(result.items.map((i) => [i.path, i.recent])).toEqual([
      ['c/three.js', true],
      ['b/two.js', true],
      ['a/one.js', false],
    ]);
    expect(result.total).toBe(3);
    expect(result.items.every((i) => i.nameRanges.length === 0)).toBe(true);
  });

  it('lists nothing when nothing matches', () => {
    expect(quickOpen(indexPaths(list), 'zzz')).toEqual({ items: [], total: 0 });
  });

  it('keeps at most `limit` items and says how many matched', () => {
    const many = Array.from({ length: 50 }, (_, i) => `f/file${i}.js`);
    const result = quickOpen(indexPaths(many), 'file', { limit: 10 });
    expect(result.items).toHaveLength(10);
    expect(result.total).toBe(50);
    expect(quickOpen(indexPaths(many), '', { limit: 5 }).items).toHaveLength(5);
  });
});
