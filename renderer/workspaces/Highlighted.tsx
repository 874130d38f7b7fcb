/**
 * renderer/workspaces/Highlighted.tsx: a text with some ranges marked (<mark>): the characters Quick
 * open matched, a search result's match. Ranges are [start, end) in the text, sorted and disjoint;
 * parts outside the text are ignored.
 */
import type { TextRange } from '../../common/workspaces/quick-open.ts';

export function Highlighted(props: { readonly text: string; readonly ranges: readonly TextRange[] }) {
  const parts = [];
  let at = 0;
  for (const [start, end] of props.ranges) {
    const from = Math.max(at, start);
    const to = Math.min(props.text.length, end);
    if (to <= from) continue;
    if (from > at) parts.push(props.text.slice(at, from));
    parts.push(<mark key={from}>{props.text.slice(from, to)}</mark>);
    at = to;
  }
  if (at < props.text.length) parts.push(props.text.slice(at));
  return <>{parts}</>;
}
