/**
 * renderer/search/search-model.ts: the search view's pure parts: the request it sends (search.hybrid's
 * params from what the user typed and chose), highlighted text split into marked and plain pieces,
 * how a hit's reason reads, and the notice when the query's model is not the stored vectors'.
 *
 * Guarantees: dates chosen in the user's calendar become instants at local midnight ("to" is
 * inclusive: the instant sent is the next local midnight, which the query treats as exclusive);
 * highlighted text is split on the query's private-use marks only, never parsed as HTML.
 */
import { SNIPPET_MARK_END, SNIPPET_MARK_START, type SearchMatch } from '../../common/queries/search.ts';
import type { QueryParams } from '../../common/queries/registry.ts';

export interface SearchFilters {
  readonly documentId: string | null;
  readonly contentType: string | null;
  /** Local calendar dates, `YYYY-MM-DD`, or '' for none. */
  readonly from: string;
  readonly to: string;
}

export const NO_FILTERS: SearchFilters = { documentId: null, contentType: null, from: '', to: '' };

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The instant of local midnight at the start of `date` (+ `days`), ISO, or null for no date. */
export function localMidnight(date: string, days = 0): string | null {
  const m = DAY.exec(date);
  if (!m) return null;
  const at = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days);
  return Number.isFinite(at.getTime()) ? at.toISOString() : null;
}

export interface QueryEmbedding {
  readonly model: string;
  readonly vector: number[];
}

/** search.hybrid's params, or null when there is nothing to search for. */
export function searchRequestParams(
  text: string,
  embedding: QueryEmbedding | null,
  filters: SearchFilters,
  tenantId: string | null,
): QueryParams<'search.hybrid'> | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  return {
    text: trimmed.slice(0, 500),
    embedding,
    tenantId,
    documentId: filters.documentId,
    contentType: filters.contentType,
    from: localMidnight(filters.from),
    to: localMidnight(filters.to, 1),
    limit: 30,
  };
}

export interface TextPiece {
  readonly text: string;
  readonly marked: boolean;
}

/** Splits ts_headline output into plain and highlighted pieces (unbalanced marks end at the end). */
export function highlightPieces(text: string): TextPiece[] {
  const pieces: TextPiece[] = [];
  let marked = false;
  let current = '';
  const flush = () => {
    if (current !== '') pieces.push({ text: current, marked });
    current = '';
  };
  for (const ch of text) {
    if (ch === SNIPPET_MARK_START || ch === SNIPPET_MARK_END) {
      flush();
      marked = ch === SNIPPET_MARK_START;
    } else current += ch;
  }
  flush();
  return pieces;
}

export const MATCH_TEXT: Record<SearchMatch, { label: string; title: string }> = {
  text: { label: 'Words', title: 'Found by its words (full-text search)' },
  meaning: { label: 'Meaning', title: 'Found by meaning (similar embedding), not by its exact words' },
  both: { label: 'Words + meaning', title: 'Found by its words and by meaning' },
};

/** What the user reads when the query's model cannot be compared with the stored vectors. */
export function modelNotice(queryModel: string, storedModels: readonly string[]): string {
  const stored = storedModels.length > 0 ? storedModels.join(', ') : 'another model';
  return (
    `Showing matches by words only: these documents were indexed with ${stored}, and this device ` +
    `embeds searches with ${queryModel}, whose vectors cannot be compared with them.`
  );
}
