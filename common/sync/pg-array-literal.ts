/**
 * common/sync/pg-array-literal.ts: a JS array (as @electric-sql/client parses array columns) back
 * to PostgreSQL's array literal text, e.g. ['x', null, 'a,b'] -> {"x",NULL,"a,b"}.
 *
 * Why: @electric-sql/pglite-sync 0.6.1 sizes insert batches by reading `.length` of every element
 * of a string array, so an array holding NULL after a string crashes the apply. Handing it the
 * literal (a string) avoids that; PostgreSQL parses the literal on insert, so the stored value is
 * the same. Every string element is quoted, so commas, braces, quotes, backslashes and the word
 * NULL survive; nested arrays become multi-dimensional literals.
 */
export function toPgArrayLiteral(value: readonly unknown[]): string {
  const element = (v: unknown): string => {
    if (v === null || v === undefined) return 'NULL';
    if (Array.isArray(v)) return toPgArrayLiteral(v);
    let text: string;
    if (typeof v === 'string') text = v;
    else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') text = v.toString();
    else text = JSON.stringify(v);
    return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  };
  return `{${value.map(element).join(',')}}`;
}

/** A row with every array value replaced by its literal (a pglite-sync `mapColumns` function body). */
export function withArrayLiterals(row: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row))
    out[key] = Array.isArray(value) ? toPgArrayLiteral(value) : value;
  return out;
}
