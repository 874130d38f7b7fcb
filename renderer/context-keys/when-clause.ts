/**
 * renderer/context-keys/when-clause.ts: when-clauses, in the style of VS Code's: the condition under
 * which a command is available or a keybinding applies, written over context keys (what has focus,
 * which view is open, whether an overlay is up; renderer/context-keys/current-context.ts).
 *
 *   clause  := or
 *   or      := and ( '||' and )*
 *   and     := unary ( '&&' unary )*
 *   unary   := '!' unary | primary
 *   primary := '(' or ')' | 'true' | 'false' | key ( ( '==' | '!=' ) value )?
 *   key     := [A-Za-z_][A-Za-z0-9_.]*          e.g. listFocus, explorer.canInsert
 *   value   := [A-Za-z0-9_.:-]+ | '…'          e.g. view == explorer, overlay == palette
 *
 * `!` binds tightest, then `&&`, then `||`. A bare key holds when its value is `true` or a non-empty
 * string; `key == value` compares the value's text (`true`/`false` for booleans); an unset key is
 * falsy and equals nothing. The empty clause always holds.
 *
 * Guarantees: parsing is total: a clause either parses or throws a WhenClauseError that quotes the
 * clause and names the position and what was expected, so a typo fails at registration
 * (renderer/shell/registry.ts), never silently at the first key press. Evaluation never throws.
 */

export type ContextValue = boolean | string | undefined;
export type ContextValues = Readonly<Record<string, ContextValue>>;

export type WhenNode =
  | { readonly kind: 'literal'; readonly value: boolean }
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'equals'; readonly key: string; readonly value: string; readonly negated: boolean }
  | { readonly kind: 'not'; readonly operand: WhenNode }
  | { readonly kind: 'and' | 'or'; readonly operands: readonly WhenNode[] };

export interface WhenClause {
  /** The clause as written. */
  readonly source: string;
  /** The same clause in one canonical spelling (spacing and redundant parentheses normalised). */
  readonly canonical: string;
  readonly node: WhenNode;
  /** Every context key the clause reads. */
  readonly keys: readonly string[];
  /** Every `key == value` / `key != value` comparison, for checks such as "is that a view id". */
  readonly comparisons: readonly { readonly key: string; readonly value: string }[];
  holds(values: ContextValues): boolean;
}

export class WhenClauseError extends Error {
  constructor(
    readonly clause: string,
    readonly position: number,
    problem: string,
  ) {
    super(`Invalid when-clause "${clause}" at character ${position + 1}: ${problem}`);
    this.name = 'WhenClauseError';
  }
}

type Token =
  | { readonly type: '(' | ')' | '!' | '&&' | '||' | '==' | '!=' | 'end'; readonly at: number }
  | { readonly type: 'word'; readonly text: string; readonly quoted: boolean; readonly at: number };

const KEY = /^[A-Za-z_][A-Za-z0-9_.]*$/;
const WORD = /[A-Za-z0-9_.:-]/;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i] ?? '';
    const pair = source.slice(i, i + 2);
    if (/\s/.test(ch)) i += 1;
    else if (pair === '&&' || pair === '||' || pair === '==' || pair === '!=') {
      tokens.push({ type: pair, at: i });
      i += 2;
    } else if (ch === '(' || ch === ')' || ch === '!') {
      tokens.push({ type: ch, at: i });
      i += 1;
    } else if (ch === "'") {
      const end = source.indexOf("'", i + 1);
      if (end < 0) throw new WhenClauseError(source, i, 'a quoted value is not closed');
      tokens.push({ type: 'word', text: source.slice(i + 1, end), quoted: true, at: i });
      i = end + 1;
    } else if (WORD.test(ch)) {
      const start = i;
      while (i < source.length && WORD.test(source[i] ?? '')) i += 1;
      tokens.push({ type: 'word', text: source.slice(start, i), quoted: false, at: start });
    } else {
      const hint = ch === '&' ? " (use '&&')" : ch === '|' ? " (use '||')" : ch === '=' ? " (use '==')" : '';
      throw new WhenClauseError(source, i, `unexpected '${ch}'${hint}`);
    }
  }
  tokens.push({ type: 'end', at: source.length });
  return tokens;
}

function parseTokens(source: string, tokens: readonly Token[]): WhenNode {
  let index = 0;
  const peek = (): Token => tokens[index] ?? { type: 'end', at: source.length };
  const fail = (token: Token, expected: string): never => {
    const found = token.type === 'end' ? 'the end' : token.type === 'word' ? `'${token.text}'` : token.type;
    throw new WhenClauseError(source, token.at, `expected ${expected}, found ${found}`);
  };

  const list = (kind: 'and' | 'or', next: () => WhenNode): WhenNode => {
    const operands = [next()];
    while (peek().type === (kind === 'and' ? '&&' : '||')) {
      index += 1;
      operands.push(next());
    }
    return operands.length === 1 ? (operands[0] as WhenNode) : { kind, operands };
  };
  const or = (): WhenNode => list('or', and);
  const and = (): WhenNode => list('and', unary);
  const unary = (): WhenNode => {
    if (peek().type !== '!') return primary();
    index += 1;
    return { kind: 'not', operand: unary() };
  };
  const primary = (): WhenNode => {
    const token = peek();
    if (token.type === '(') {
      index += 1;
      const inner = or();
      if (peek().type !== ')') fail(peek(), "')'");
      index += 1;
      return inner;
    }
    if (token.type !== 'word' || token.quoted) return fail(token, 'a context key');
    index += 1;
    if (token.text === 'true' || token.text === 'false')
      return { kind: 'literal', value: token.text === 'true' };
    if (!KEY.test(token.text))
      throw new WhenClauseError(source, token.at, `'${token.text}' is not a context key name`);
    const operator = peek();
    if (operator.type !== '==' && operator.type !== '!=') return { kind: 'key', key: token.text };
    index += 1;
    const value = peek();
    if (value.type !== 'word') return fail(value, `a value after '${operator.type}'`);
    index += 1;
    return { kind: 'equals', key: token.text, value: value.text, negated: operator.type === '!=' };
  };

  const node = or();
  if (peek().type !== 'end') fail(peek(), "'&&', '||' or the end");
  return node;
}

function print(node: WhenNode, parent: 'and' | 'or' | 'not' | null = null): string {
  switch (node.kind) {
    case 'literal':
      return String(node.value);
    case 'key':
      return node.key;
    case 'equals': {
      const value = /^[A-Za-z0-9_.:-]+$/.test(node.value) ? node.value : `'${node.value}'`;
      const text = `${node.key} ${node.negated ? '!=' : '=='} ${value}`;
      return parent === 'not' ? `(${text})` : text;
    }
    case 'not':
      return `!${print(node.operand, 'not')}`;
    case 'and':
    case 'or': {
      const text = node.operands.map((o) => print(o, node.kind)).join(node.kind === 'and' ? ' && ' : ' || ');
      const bare = parent === null || (parent === 'or' && node.kind === 'and');
      return bare ? text : `(${text})`;
    }
  }
}

function truthy(value: ContextValue): boolean {
  return value === true || (typeof value === 'string' && value !== '');
}

export function evaluateWhen(node: WhenNode, values: ContextValues): boolean {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'key':
      return truthy(values[node.key]);
    case 'equals': {
      const value = values[node.key];
      const equal = value !== undefined && String(value) === node.value;
      return node.negated ? !equal : equal;
    }
    case 'not':
      return !evaluateWhen(node.operand, values);
    case 'and':
      return node.operands.every((o) => evaluateWhen(o, values));
    case 'or':
      return node.operands.some((o) => evaluateWhen(o, values));
  }
}

function collect(node: WhenNode, keys: Set<string>, comparisons: { key: string; value: string }[]): void {
  if (node.kind === 'key') keys.add(node.key);
  else if (node.kind === 'equals') {
    keys.add(node.key);
    comparisons.push({ key: node.key, value: node.value });
  } else if (node.kind === 'not') collect(node.operand, keys, comparisons);
  else if (node.kind === 'and' || node.kind === 'or')
    for (const operand of node.operands) collect(operand, keys, comparisons);
}

/** Parses a when-clause (undefined or blank: always). Throws WhenClauseError. */
export function parseWhen(source: string | undefined): WhenClause {
  const text = source ?? '';
  const node: WhenNode =
    text.trim() === '' ? { kind: 'literal', value: true } : parseTokens(text, tokenize(text));
  const keys = new Set<string>();
  const comparisons: { key: string; value: string }[] = [];
  collect(node, keys, comparisons);
  return {
    source: text,
    canonical: print(node),
    node,
    keys: [...keys],
    comparisons,
    holds: (values) => evaluateWhen(node, values),
  };
}

/**
 * The keys a clause requires to be truthy in every case (the bare keys of its top-level `&&`), for
 * grouping keybindings by context in the shortcut sheet.
 */
export function requiredKeys(clause: WhenClause): string[] {
  const node = clause.node;
  const operands = node.kind === 'and' ? node.operands : [node];
  return operands.flatMap((o) => (o.kind === 'key' ? [o.key] : []));
}
