import { describe, expect, it } from 'vitest';
import { PAGE_SIZE, pagesFor, rowAt } from './table-pages.ts';

describe('pagesFor', () => {
  it('covers the viewport plus a page either side', () => {
    expect(pagesFor(0, 30, 100_000)).toEqual([0, 1]);
    expect(pagesFor(50_010, 50_040, 100_000)).toEqual([249, 250, 251]);
    expect(pagesFor(199, 201, 100_000)).toEqual([0, 1, 2]);
  });

  it('stays within the rows that exist', () => {
    expect(pagesFor(99_990, 99_999, 100_000)).toEqual([498, 499]);
    expect(pagesFor(0, 10, 0)).toEqual([0]);
    expect(pagesFor(0, 10, null)).toEqual([0, 1]);
  });

  it('asks for a bounded number of pages at 100k rows', () => {
    expect(pagesFor(40_000, 40_000 + 60, 100_000).length).toBeLessThanOrEqual(3);
  });
});

describe('rowAt', () => {
  it('finds a row by its absolute index', () => {
    const pages = new Map([[1, { rows: Array.from({ length: PAGE_SIZE }, (_, i) => PAGE_SIZE + i) }]]);
    expect(rowAt(pages, PAGE_SIZE + 5)).toBe(PAGE_SIZE + 5);
    expect(rowAt(pages, 3)).toBeUndefined();
  });
});
