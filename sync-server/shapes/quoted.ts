/**
 * sync-server/shapes/quoted.ts: reads a PostgreSQL-style quoted token: a 'string' or a "name",
 * where the quote character is escaped by doubling it. Shared by the `where` lexer and the
 * `table` and `columns` parameter parsers, which each report an unterminated token their own way.
 */
export interface QuotedToken {
  /** The content with doubled quotes undone. */
  readonly value: string;
  /** Index just after the closing quote. */
  readonly end: number;
}

/** Reads the quoted token that starts at `start` (which holds `quote`), or null if it is unterminated. */
export function readQuoted(text: string, start: number, quote: "'" | '"'): QuotedToken | null {
  let value = '';
  let i = start + 1;
  for (;;) {
    const next = text.indexOf(quote, i);
    if (next < 0) return null;
    value += text.slice(i, next);
    if (text[next + 1] === quote) {
      value += quote;
      i = next + 2;
      continue;
    }
    return { value, end: next + 1 };
  }
}
