/**
 * sync-server/shapes/where/order-by.ts: a subset snapshot's `order_by`, parsed and printed back.
 *
 *   order_by := term ("," term)*          at most 32 terms
 *   term     := column [ASC | DESC] [NULLS FIRST | NULLS LAST]
 *   column   := name | "Quoted Name"       (the where lexer's rules: unquoted names fold to lower case)
 *
 * What @electric-sql/client's compileOrderBy writes (`"title" DESC NULLS FIRST, "id"`) and the plain
 * forms people type. Anything else (expressions, functions, COLLATE, positions) is refused with
 * `400 validation` naming `subset__order_by`. The printed SQL holds only keywords and double-quoted
 * names, and the caller checks the names against the table (and the gate against server-only columns).
 */
import { OutpostError } from '../../../common/errors.ts';
import { tokenize, type Token } from './lexer.ts';
import { quoteIdent } from './to-sql.ts';

export interface OrderTerm {
  readonly column: string;
  readonly descending: boolean;
  readonly nulls: 'first' | 'last' | null;
}

const MAX_TERMS = 32;

function orderByError(message: string): OutpostError {
  return new OutpostError('validation', `Invalid subset order_by: ${message}.`, {
    param: 'subset__order_by',
  });
}

export function parseOrderBy(text: string): OrderTerm[] {
  let tokens: Token[];
  try {
    tokens = tokenize(text);
  } catch (error) {
    throw orderByError((error as Error).message.replace(/^Invalid where clause: /, '').replace(/\.$/, ''));
  }
  let i = 0;
  const peek = (): Token => tokens[i] ?? { type: 'end', pos: text.length };
  const keyword = (word: string): boolean => {
    const t = peek();
    if (t.type === 'ident' && !t.quoted && t.value === word) {
      i++;
      return true;
    }
    return false;
  };
  const terms: OrderTerm[] = [];
  for (;;) {
    const t = peek();
    if (t.type !== 'ident') throw orderByError(`expected a column name at character ${t.pos + 1}`);
    i++;
    const descending = keyword('desc') ? true : (keyword('asc'), false);
    let nulls: OrderTerm['nulls'] = null;
    if (keyword('nulls')) {
      if (keyword('first')) nulls = 'first';
      else if (keyword('last')) nulls = 'last';
      else throw orderByError(`expected FIRST or LAST after NULLS at character ${peek().pos + 1}`);
    }
    terms.push({ column: t.value, descending, nulls });
    if (terms.length > MAX_TERMS) throw orderByError(`more than ${MAX_TERMS} terms`);
    const next = peek();
    if (next.type === 'end') return terms;
    if (next.type !== 'op' || next.value !== ',')
      throw orderByError(`expected "," or the end at character ${next.pos + 1}`);
    i++;
  }
}

/** The ORDER BY clause's SQL (without the keywords ORDER BY). */
export function orderBySql(terms: readonly OrderTerm[]): string {
  return terms
    .map(
      (t) =>
        `${quoteIdent(t.column)}${t.descending ? ' DESC' : ' ASC'}${t.nulls ? ` NULLS ${t.nulls.toUpperCase()}` : ''}`,
    )
    .join(', ');
}
