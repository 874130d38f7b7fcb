/**
 * renderer/search/Highlighted.tsx: text with the query's highlights (search.hybrid's snippet and
 * title) as <mark> elements. The text is rendered as text, never as HTML.
 */
import { highlightPieces } from './search-model.ts';

export function Highlighted({ text }: { readonly text: string }) {
  return (
    <>
      {highlightPieces(text).map((piece, i) =>
        piece.marked ? <mark key={i}>{piece.text}</mark> : piece.text,
      )}
    </>
  );
}
