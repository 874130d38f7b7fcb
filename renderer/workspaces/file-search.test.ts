import { describe, expect, it } from 'vitest';
import { searchFiles, searchSummary, type SearchQuery, type SearchOutcome } from './file-search.ts';

const plain: SearchQuery = { text: '', matchCase: false, wholeWord: false, regex: false };
const files = [
  { path: 'src/b.js', content: 'const Total = 1;\n  total += 2; // TOTAL\n' },
  { path: 'src/a.js', content: 'no match here\r\nlast total' },
  { path: 'README.md', content: '' },
];

const where = (outcome: SearchOutcome) =>
  outcome.kind === 'results'
    ? outcome.files.flatMap((f) => f.matches.map((m) => `${f.path}:${m.line}:${m.column}`))
    : [];

describe('searchFiles', () => {
  it('finds every match case-insensitively by default, by file in path order, 1-based', () => {
    const outcome = searchFiles(files, { ...plain, text: 'total' });
    expect(where(outcome)).toEqual(['src/a.js:2:6', 'src/b.js:1:7', 'src/b.js:2:3', 'src/b.js:2:18']);
    expect(searchSummary(outcome)).toBe('4 results in 2 files.');
  });

  it('honours Match case and Whole word', () => {
    expect(where(searchFiles(files, { ...plain, text: 'Total', matchCase: true }))).toEqual(['src/b.js:1:7']);
    const words = [{ path: 'x.js', content: 'total totals subtotal $total total_ (total)' }];
    expect(where(searchFiles(words, { ...plain, text: 'total', wholeWord: true }))).toEqual([
      'x.js:1:1',
      'x.js:1:38',
    ]);
  });

  it('treats the text literally unless Regular expression is on', () => {
    const code = [{ path: 'x.js', content: 'a.b axb (a+b)' }];
    expect(where(searchFiles(code, { ...plain, text: 'a.b' }))).toEqual(['x.js:1:1']);
    expect(where(searchFiles(code, { ...plain, text: '(a+b)' }))).toEqual(['x.js:1:9']);
    expect(where(searchFiles(code, { ...plain, text: 'a.b', regex: true }))).toEqual([
      'x.js:1:1',
      'x.js:1:5',
      'x.js:1:10',
    ]);
    expect(where(searchFiles(code, { ...plain, text: '^a', regex: true }))).toEqual(['x.js:1:1']);
  });

  it('says why a regular expression is invalid instead of throwing', () => {
    expect(searchFiles(files, { ...plain, text: '(total', regex: true })).toEqual({
      kind: 'invalid',
      message: 'This is not a valid regular expression: Unterminated group.',
    });
    const unclosed = searchFiles(files, { ...plain, text: '[a-', regex: true, wholeWord: true });
    expect(unclosed.kind === 'invalid' && unclosed.message).toBe(
      'This is not a valid regular expression: Unterminated character class.',
    );
    // The same text is fine as plain text.
    expect(searchFiles(files, { ...plain, text: '(total' }).kind).toBe('results');
  });

  it('skips empty matches, so a pattern that can match nothing never lists every line', () => {
    expect(where(searchFiles(files, { ...plain, text: 'x*', regex: true }))).toEqual([]);
    expect(where(searchFiles(files, { ...plain, text: '^', regex: true }))).toEqual([]);
  });

  it('is idle for an empty query and says "No results." when nothing matches', () => {
    expect(searchFiles(files, plain)).toEqual({ kind: 'idle' });
    const none = searchFiles(files, { ...plain, text: 'zebra' });
    expect(none).toEqual({ kind: 'results', files: [], count: 0, truncated: false });
    expect(searchSummary(none)).toBe('No results.');
  });

  it('stops at the limit and says more were not shown', () => {
    const big = [{ path: 'big.txt', content: 'word word\n'.repeat(2_000) }];
    const outcome = searchFiles(big, { ...plain, text: 'word' });
    expect(outcome).toMatchObject({ kind: 'results', count: 2_000, truncated: true });
    expect(searchSummary(outcome)).toBe(
      '2,000 results in 1 file. More not shown: narrow the search to see them all.',
    );
    expect(searchFiles(big, { ...plain, text: 'word' }, 4_000)).toMatchObject({
      count: 4_000,
      truncated: false,
    });
  });
});

describe('search previews', () => {
  it('drops leading blanks and gives the match range in the preview', () => {
    const outcome = searchFiles([{ path: 'a.js', content: '\t    return total;' }], {
      ...plain,
      text: 'total',
    });
    expect(outcome.kind === 'results' && outcome.files[0]?.matches[0]).toEqual({
      line: 1,
      column: 13,
      length: 5,
      preview: 'return total;',
      range: [7, 12],
    });
  });

  it('shows a line whole when its match is near the start', () => {
    const line = `define(['N/query', 'N/email', 'N/runtime'], (query, email, runtime) => {`;
    const outcome = searchFiles([{ path: 'a.js', content: line }], { ...plain, text: 'runtime' });
    const previews = outcome.kind === 'results' ? outcome.files[0]?.matches.map((m) => m.preview) : [];
    expect(previews).toEqual([line, line]);
  });

  it('cuts a long line around the match and marks the cuts', () => {
    const line = `${'a'.repeat(300)}needle${'b'.repeat(300)}`;
    const outcome = searchFiles([{ path: 'min.js', content: line }], { ...plain, text: 'needle' });
    const match = outcome.kind === 'results' ? outcome.files[0]?.matches[0] : undefined;
    expect(match?.column).toBe(301);
    expect(match?.preview.startsWith('…')).toBe(true);
    expect(match?.preview.endsWith('…')).toBe(true);
    expect(match?.preview.slice(...(match?.range ?? [0, 0]))).toBe('needle');
    expect(match?.preview.length).toBeLessThanOrEqual(242);
  });
});
