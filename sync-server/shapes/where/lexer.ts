/**
 * sync-server/shapes/where/lexer.ts: splits a `where` clause into tokens.
 *
 * Accepts PostgreSQL's lexical forms for what the grammar needs: unquoted identifiers (folded to
 * lower case) and "quoted" ones (with "" escapes), 'string' literals (with '' escapes), unsigned
 * numbers, $n parameters, and operators, among them `-` (the parser allows it only as the sign of
 * a number: `-7`, `- 7`). Comments (`--`, `/*`), semicolons, other quote styles (E'', $$) and
 * anything else are rejected with the position of the offending character.
 */
import { OutpostError } from '../../../common/errors.ts';
import { readQuoted } from '../quoted.ts';

export type Token =
  | { type: 'ident'; value: string; quoted: boolean; pos: number }
  | { type: 'string'; value: string; pos: number }
  | { type: 'number'; value: string; pos: number }
  | { type: 'param'; index: number; pos: number }
  | { type: 'op'; value: string; pos: number }
  | { type: 'end'; pos: number };

export const MAX_WHERE_LENGTH = 16_384;
const OPERATORS = ['<>', '!=', '<=', '>=', '::', '=', '<', '>', '(', ')', ',', '-'];

export function whereError(message: string, pos?: number): OutpostError {
  const where = pos === undefined ? '' : ` (at character ${pos + 1})`;
  return new OutpostError(
    'invalid_where',
    `Invalid where clause: ${message}${where}.`,
    pos === undefined ? {} : { position: pos + 1 },
  );
}

export function tokenize(input: string): Token[] {
  if (input.length > MAX_WHERE_LENGTH) throw whereError(`longer than ${MAX_WHERE_LENGTH} characters`);
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === '-' && input[i + 1] === '-') throw whereError('comments are not allowed', i);
    if (c === '/' && input[i + 1] === '*') throw whereError('comments are not allowed', i);
    if (c === ';') throw whereError('";" is not allowed: a where clause is one expression', i);
    if (c === "'" || c === '"') {
      const token = readQuoted(input, i, c);
      if (!token)
        throw whereError(c === "'" ? 'unterminated string literal' : 'unterminated quoted identifier', start);
      if (c === "'") tokens.push({ type: 'string', value: token.value, pos: start });
      else {
        if (token.value.length === 0) throw whereError('empty quoted identifier', start);
        tokens.push({ type: 'ident', value: token.value, quoted: true, pos: start });
      }
      i = token.end;
      continue;
    }
    if (c === '$') {
      const m = /^\$([1-9][0-9]{0,3})(?![0-9A-Za-z_$])/.exec(input.slice(i));
      if (!m?.[1]) throw whereError('a parameter is written $1, $2, ... (up to $9999)', i);
      tokens.push({ type: 'param', index: Number(m[1]), pos: start });
      i += m[0].length;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(input[i + 1] ?? ''))) {
      const m = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(input.slice(i));
      const text = m?.[0] ?? '';
      if (/^[A-Za-z_]/.test(input.slice(i + text.length))) throw whereError('malformed number', i);
      tokens.push({ type: 'number', value: text, pos: start });
      i += text.length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(input.slice(i));
      const text = m?.[0] ?? c;
      tokens.push({ type: 'ident', value: text.toLowerCase(), quoted: false, pos: start });
      i += text.length;
      continue;
    }
    const op = OPERATORS.find((o) => input.startsWith(o, i));
    if (op) {
      tokens.push({ type: 'op', value: op === '!=' ? '<>' : op, pos: start });
      i += op.length;
      continue;
    }
    throw whereError(`unexpected character ${JSON.stringify(c)}`, i);
  }
  tokens.push({ type: 'end', pos: input.length });
  return tokens;
}
