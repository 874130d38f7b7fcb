import { describe, expect, it } from 'vitest';
import { SNIPPET_MARK_END as E, SNIPPET_MARK_START as S } from '../../common/queries/search.ts';
import {
  highlightPieces,
  localMidnight,
  modelNotice,
  NO_FILTERS,
  searchRequestParams,
} from './search-model.ts';

describe('search model', () => {
  it('splits highlighted text into plain and marked pieces', () => {
    expect(highlightPieces(`a ${S}refund${E} for a ${S}photo${E}.`)).toEqual([
      { text: 'a ', marked: false },
      { text: 'refund', marked: true },
      { text: ' for a ', marked: false },
      { text: 'photo', marked: true },
      { text: '.', marked: false },
    ]);
    expect(highlightPieces('<b>not html</b>')).toEqual([{ text: '<b>not html</b>', marked: false }]);
    expect(highlightPieces(`${S}open`)).toEqual([{ text: 'open', marked: true }]);
    expect(highlightPieces('')).toEqual([]);
  });

  it('turns local calendar dates into local midnights, "to" inclusive', () => {
    const from = localMidnight('2026-03-02');
    expect(from).toBe(new Date(2026, 2, 2).toISOString());
    expect(localMidnight('2026-03-02', 1)).toBe(new Date(2026, 2, 3).toISOString());
    expect(localMidnight('')).toBeNull();
    expect(localMidnight('02/03/2026')).toBeNull();
  });

  it('asks nothing for blank text, and sends the filters and the scope', () => {
    expect(searchRequestParams('   ', null, NO_FILTERS, null)).toBeNull();
    const params = searchRequestParams(
      ' refund ',
      { model: 'm/3', vector: [1, 0, 0] },
      { documentId: 'd', contentType: 'text/markdown', from: '2026-01-01', to: '2026-01-31' },
      't',
    );
    expect(params).toEqual({
      text: 'refund',
      embedding: { model: 'm/3', vector: [1, 0, 0] },
      tenantId: 't',
      documentId: 'd',
      contentType: 'text/markdown',
      from: new Date(2026, 0, 1).toISOString(),
      to: new Date(2026, 1, 1).toISOString(),
      limit: 30,
    });
  });

  it('names both models in the fallback notice', () => {
    expect(modelNotice('a/1024', ['b/1024'])).toContain('indexed with b/1024');
    expect(modelNotice('a/1024', ['b/1024'])).toContain('embeds searches with a/1024');
  });
});
