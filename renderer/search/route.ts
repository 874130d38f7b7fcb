/**
 * renderer/search/route.ts: the search view's address: `#/search` (no document open) and
 * `#/search/<chunk id>` (a hit's document open at that chunk): the link every hit carries. Its own
 * module so the view's components link to it without importing the view.
 *
 * Guarantee: the segment is accepted only as a UUID (lower-cased); anything else opens the view with
 * nothing open, so a URL cannot put anything else into a query.
 */
import type { ViewAddress } from '../shell/contribution.ts';

export interface SearchParams {
  /** The chunk whose document is open beside the results, or null. */
  readonly chunk: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const searchAddress: ViewAddress<SearchParams> = {
  id: 'search',
  route: {
    path: 'search',
    parse: ([chunk]) => ({ chunk: chunk !== undefined && UUID.test(chunk) ? chunk.toLowerCase() : null }),
    format: ({ chunk }) => (chunk ? [chunk] : []),
    examples: [{ chunk: null }, { chunk: '5ea4c000-0000-4000-8000-000000000101' }],
  },
};
