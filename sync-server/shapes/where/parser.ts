/**
 * sync-server/shapes/where/parser.ts: parses a shape's `where` text into an Expr tree.
 *
 * Grammar (a subset of PostgreSQL's, with its precedence, lowest first):
 *   expr      := and ('OR' and)*
 *   and       := not ('AND' not)*
 *   not       := 'NOT' not | is
 *   is        := compare ['IS' ['NOT'] 'NULL']
 *   compare   := pattern [('=' | '<>' | '!=' | '<' | '<=' | '>' | '>=') pattern]
 *   pattern   := cast [['NOT'] ('LIKE' | 'ILIKE') cast | ['NOT'] 'IN' '(' expr (',' expr)* ')'
 *                      | ['NOT'] 'BETWEEN' cast 'AND' cast]
 *   cast      := primary ('::' type)*
 *   primary   := literal | '-' number | $n | column | ('lower' | 'upper') '(' expr ')' | '(' expr ')'
 * A '-' is only the sign of a number literal (`-7`, `- 7`, `-1.5e3`); it is not an operator, so
 * `a - 1`, `-x` and `-$1` are refused. `-7::int` is -(7::int) as in PostgreSQL, which is why a
 * negative number may only be cast to a number type.
 * Anything else (subqueries, other functions, operators, `;`, comments) is a clear `invalid_where`.
 * Limits: nesting depth 64, 2,000 nodes, 1,000 items per IN list.
 */
import type { ComparisonOperator, Expr, ScalarType } from './ast.ts';
import { tokenize, whereError, type Token } from './lexer.ts';

const MAX_DEPTH = 64;
const MAX_NODES = 2_000;
const MAX_IN_LIST = 1_000;

const KEYWORDS = new Set([
  'and',
  'or',
  'not',
  'in',
  'is',
  'null',
  'true',
  'false',
  'like',
  'ilike',
  'between',
]);
const CAST_TYPES: Record<string, ScalarType> = {
  text: 'text',
  varchar: 'text',
  int: 'int',
  integer: 'int',
  int2: 'int',
  int4: 'int',
  int8: 'int',
  smallint: 'int',
  bigint: 'int',
  real: 'float',
  float4: 'float',
  float8: 'float',
  numeric: 'numeric',
  decimal: 'numeric',
  uuid: 'uuid',
  bool: 'bool',
  boolean: 'bool',
  date: 'date',
  timestamp: 'timestamp',
  timestamptz: 'timestamptz',
};
const FUNCTIONS = new Set(['lower', 'upper']);
const NUMBER_TYPES = new Set<ScalarType>(['int', 'float', 'numeric']);

class Parser {
  private i = 0;
  private depth = 0;
  private nodes = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): Expr {
    const expr = this.expr();
    const next = this.peek();
    if (next.type !== 'end') throw whereError(`unexpected ${describe(next)}`, next.pos);
    return expr;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const t = this.peek();
    this.i = Math.min(this.i + 1, this.tokens.length - 1);
    return t;
  }

  private isKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.type === 'ident' && !t.quoted && t.value === word;
  }

  private isOp(op: string): boolean {
    const t = this.peek();
    return t.type === 'op' && t.value === op;
  }

  private expectOp(op: string): void {
    const t = this.next();
    if (t.type !== 'op' || t.value !== op)
      throw whereError(`expected "${op}" but found ${describe(t)}`, t.pos);
  }

  private node<T extends Expr>(expr: T): T {
    if (++this.nodes > MAX_NODES) throw whereError(`more than ${MAX_NODES} terms`, expr.pos);
    return expr;
  }

  private nested<T>(pos: number, fn: () => T): T {
    if (++this.depth > MAX_DEPTH) throw whereError(`nested more than ${MAX_DEPTH} levels deep`, pos);
    try {
      return fn();
    } finally {
      this.depth--;
    }
  }

  private expr(): Expr {
    return this.nested(this.peek().pos, () => {
      let left = this.and();
      while (this.isKeyword('or')) {
        const pos = this.next().pos;
        left = this.node({ kind: 'or', left, right: this.and(), pos });
      }
      return left;
    });
  }

  private and(): Expr {
    let left = this.not();
    while (this.isKeyword('and')) {
      const pos = this.next().pos;
      left = this.node({ kind: 'and', left, right: this.not(), pos });
    }
    return left;
  }

  private not(): Expr {
    if (this.isKeyword('not')) {
      const pos = this.next().pos;
      return this.nested(pos, () => this.node({ kind: 'not', expr: this.not(), pos }));
    }
    return this.is();
  }

  private is(): Expr {
    const expr = this.compare();
    if (!this.isKeyword('is')) return expr;
    const pos = this.next().pos;
    const negated = this.isKeyword('not');
    if (negated) this.next();
    const t = this.next();
    if (!(t.type === 'ident' && !t.quoted && t.value === 'null')) {
      throw whereError(
        `only IS NULL and IS NOT NULL are supported, found IS ${negated ? 'NOT ' : ''}${describe(t)}`,
        t.pos,
      );
    }
    return this.node({ kind: 'isnull', expr, negated, pos });
  }

  private compare(): Expr {
    const left = this.pattern();
    const t = this.peek();
    if (t.type === 'op' && ['=', '<>', '<', '<=', '>', '>='].includes(t.value)) {
      this.next();
      const right = this.pattern();
      const after = this.peek();
      if (after.type === 'op' && ['=', '<>', '<', '<=', '>', '>='].includes(after.value)) {
        throw whereError('comparisons cannot be chained; add parentheses', after.pos);
      }
      return this.node({ kind: 'compare', op: t.value as ComparisonOperator, left, right, pos: t.pos });
    }
    return left;
  }

  private pattern(): Expr {
    const expr = this.cast();
    const negated =
      this.isKeyword('not') && ['like', 'ilike', 'in', 'between'].some((k) => this.isKeyword(k, 1));
    if (negated) this.next();
    const t = this.peek();
    if (this.isKeyword('like') || this.isKeyword('ilike')) {
      this.next();
      const pattern = this.cast();
      return this.node({
        kind: 'like',
        expr,
        pattern,
        caseInsensitive: t.type === 'ident' && t.value === 'ilike',
        negated,
        pos: t.pos,
      });
    }
    if (this.isKeyword('in')) {
      this.next();
      this.expectOp('(');
      if (this.isKeyword('select')) throw whereError('subqueries are not allowed', this.peek().pos);
      const list: Expr[] = [this.expr()];
      while (this.isOp(',')) {
        this.next();
        if (list.length >= MAX_IN_LIST)
          throw whereError(`an IN list may hold at most ${MAX_IN_LIST} values`, this.peek().pos);
        list.push(this.expr());
      }
      this.expectOp(')');
      return this.node({ kind: 'in', expr, list, negated, pos: t.pos });
    }
    if (this.isKeyword('between')) {
      this.next();
      const low = this.cast();
      if (!this.isKeyword('and'))
        throw whereError(`expected AND in BETWEEN but found ${describe(this.peek())}`, this.peek().pos);
      this.next();
      const high = this.cast();
      const range: Expr = this.node({
        kind: 'and',
        left: this.node({ kind: 'compare', op: '>=', left: expr, right: low, pos: t.pos }),
        right: this.node({ kind: 'compare', op: '<=', left: expr, right: high, pos: t.pos }),
        pos: t.pos,
      });
      return negated ? this.node({ kind: 'not', expr: range, pos: t.pos }) : range;
    }
    if (negated) throw whereError('expected LIKE, ILIKE, IN or BETWEEN after NOT', t.pos);
    return expr;
  }

  private cast(): Expr {
    let expr = this.primary();
    while (this.isOp('::')) {
      const pos = this.next().pos;
      const t = this.next();
      const name = t.type === 'ident' ? t.value : '';
      const to = CAST_TYPES[name];
      if (!to)
        throw whereError(
          `cannot cast to ${describe(t)}; allowed: ${Object.keys(CAST_TYPES).join(', ')}`,
          t.pos,
        );
      if (
        expr.kind === 'literal' &&
        expr.literalType === 'number' &&
        expr.value?.startsWith('-') &&
        !NUMBER_TYPES.has(to)
      )
        throw whereError(
          `${expr.value}::${name} is -(${expr.value.slice(1)}::${name}), and a ${name} cannot be negated`,
          expr.pos,
        );
      expr = this.node({ kind: 'cast', expr, to, pos });
    }
    return expr;
  }

  private primary(): Expr {
    const t = this.next();
    switch (t.type) {
      case 'string':
        return this.node({ kind: 'literal', value: t.value, literalType: 'string', pos: t.pos });
      case 'number':
        return this.node({ kind: 'literal', value: t.value, literalType: 'number', pos: t.pos });
      case 'param':
        return this.node({ kind: 'param', index: t.index, pos: t.pos });
      case 'op':
        if (t.value === '(') {
          if (this.isKeyword('select')) throw whereError('subqueries are not allowed', this.peek().pos);
          const inner = this.expr();
          this.expectOp(')');
          return inner;
        }
        if (t.value === '-') {
          const n = this.next();
          if (n.type !== 'number')
            throw whereError(`"-" is only allowed before a number, found ${describe(n)}`, n.pos);
          return this.node({ kind: 'literal', value: `-${n.value}`, literalType: 'number', pos: t.pos });
        }
        throw whereError(`unexpected "${t.value}"`, t.pos);
      case 'ident': {
        if (!t.quoted && (t.value === 'true' || t.value === 'false')) {
          return this.node({ kind: 'literal', value: t.value, literalType: 'bool', pos: t.pos });
        }
        if (!t.quoted && t.value === 'null')
          return this.node({ kind: 'literal', value: null, literalType: 'null', pos: t.pos });
        if (this.isOp('(')) {
          if (t.quoted || !FUNCTIONS.has(t.value)) {
            throw whereError(
              `function ${t.value}() is not allowed; allowed: ${[...FUNCTIONS].join(', ')}`,
              t.pos,
            );
          }
          this.next();
          const arg = this.expr();
          this.expectOp(')');
          return this.node({ kind: 'call', fn: t.value as 'lower' | 'upper', args: [arg], pos: t.pos });
        }
        if (!t.quoted && KEYWORDS.has(t.value))
          throw whereError(`unexpected keyword ${t.value.toUpperCase()}`, t.pos);
        if (this.isOp('.')) throw whereError('qualified names are not allowed', t.pos);
        return this.node({ kind: 'column', name: t.value, pos: t.pos });
      }
      case 'end':
        throw whereError('unexpected end of the clause', t.pos);
    }
  }
}

function describe(t: Token): string {
  switch (t.type) {
    case 'end':
      return 'end of the clause';
    case 'ident':
      return t.quoted ? `"${t.value}"` : t.value;
    case 'string':
      return 'a string literal';
    case 'number':
      return `number ${t.value}`;
    case 'param':
      return `$${t.index}`;
    case 'op':
      return `"${t.value}"`;
  }
}

export function parseWhere(text: string): Expr {
  if (text.trim() === '') throw whereError('it is empty');
  return new Parser(tokenize(text)).parse();
}
