/**
 * sync-server/shapes/where/bind.ts: type-checks a parsed `where` against a table's columns and the
 * request's parameters, producing a typed tree ready to compile to SQL or to evaluate.
 *
 * Follows PostgreSQL's resolution rules for what the grammar allows: an untyped string literal or
 * parameter takes the type of the other side of its comparison (or `text` when both are untyped);
 * comparisons need one type family (numbers, text, uuid, bool, date/time); LIKE, lower() and upper()
 * need text; AND, OR, NOT and the clause itself need bool. Every literal and parameter is parsed now,
 * so a malformed value is a 400 that names it, never a database error. Columns of other types
 * (jsonb, arrays, vector, bytea, ...) may only be tested with IS [NOT] NULL.
 */
import type { ComparisonOperator, Expr, ScalarType } from './ast.ts';
import { whereError } from './lexer.ts';
import { parseValue, ValueSyntaxError, type Value } from './values.ts';

export interface ColumnInfo {
  readonly name: string;
  /** PostgreSQL type name as in pg_type.typname, e.g. int4, text, _text, timestamptz, vector. */
  readonly pgType: string;
}

export type Bound =
  | { kind: 'column'; name: string; type: ScalarType | null; bpchar: boolean }
  | { kind: 'const'; value: Value | null; type: ScalarType; text: string | null }
  | { kind: 'call'; fn: 'lower' | 'upper'; arg: Bound; type: 'text' }
  | { kind: 'not'; expr: Bound; type: 'bool' }
  | { kind: 'and' | 'or'; left: Bound; right: Bound; type: 'bool' }
  | { kind: 'compare'; op: ComparisonOperator; left: Bound; right: Bound; type: 'bool' }
  | { kind: 'in'; expr: Bound; list: Bound[]; negated: boolean; type: 'bool' }
  | { kind: 'isnull'; expr: Bound; negated: boolean; type: 'bool' }
  | { kind: 'like'; expr: Bound; pattern: Bound; caseInsensitive: boolean; negated: boolean; type: 'bool' };

const SCALAR_OF: Record<string, ScalarType> = {
  int2: 'int',
  int4: 'int',
  int8: 'int',
  float4: 'float',
  float8: 'float',
  numeric: 'numeric',
  text: 'text',
  varchar: 'text',
  bpchar: 'text',
  name: 'text',
  citext: 'text',
  uuid: 'uuid',
  bool: 'bool',
  date: 'date',
  timestamp: 'timestamp',
  timestamptz: 'timestamptz',
};

const FAMILY: Record<ScalarType, string> = {
  int: 'number',
  float: 'number',
  numeric: 'number',
  text: 'text',
  uuid: 'uuid',
  bool: 'bool',
  date: 'time',
  timestamp: 'time',
  timestamptz: 'time',
};

/** An untyped literal or parameter before its context gives it a type. */
type Pending = { kind: 'unknown'; text: string | null; pos: number; what: string };
type Typed = Bound | Pending;

export function scalarTypeOf(pgType: string): ScalarType | null {
  return SCALAR_OF[pgType] ?? null;
}

function typeName(b: Typed): string {
  if (b.kind === 'unknown') return 'unknown';
  if (b.kind === 'column' && b.type === null) return 'a non-scalar type';
  return b.type ?? 'unknown';
}

function constOf(text: string | null, type: ScalarType, pos: number, what: string): Bound {
  if (text === null) return { kind: 'const', value: null, type, text: null };
  try {
    const value = parseValue(text, type);
    return { kind: 'const', value, type, text };
  } catch (error) {
    if (error instanceof ValueSyntaxError) throw whereError(`${what}: ${error.message}`, pos);
    throw error;
  }
}

function resolve(b: Typed, type: ScalarType): Bound {
  return b.kind === 'unknown' ? constOf(b.text, type, b.pos, b.what) : b;
}

/**
 * char(n) compares without its trailing spaces. The column is compared as text (compiled as
 * `"col"::text`, which drops the padding), so a constant compared with it drops its own.
 */
function padInsensitive(b: Bound, other: Bound): Bound {
  if (b.kind !== 'const' || b.text === null || other.kind !== 'column' || !other.bpchar) return b;
  const text = b.text.replace(/ +$/, '');
  return { ...b, text, value: { t: 'text', v: text } };
}

export class WhereBinder {
  private readonly columns = new Map<string, ColumnInfo>();

  constructor(
    columns: readonly ColumnInfo[],
    private readonly params: Readonly<Record<string, string>>,
  ) {
    for (const c of columns) this.columns.set(c.name, c);
  }

  bindPredicate(expr: Expr): Bound {
    return this.asBool(this.bind(expr), expr.pos, 'the where clause');
  }

  private asBool(b: Typed, pos: number, what: string): Bound {
    const r = resolve(b, 'bool');
    if (r.type !== 'bool') throw whereError(`${what} must be a boolean, not ${typeName(r)}`, pos);
    return r;
  }

  private bind(expr: Expr): Typed {
    switch (expr.kind) {
      case 'column': {
        const column = this.columns.get(expr.name);
        if (!column) throw whereError(`unknown column "${expr.name}"`, expr.pos);
        return {
          kind: 'column',
          name: column.name,
          type: scalarTypeOf(column.pgType),
          bpchar: column.pgType === 'bpchar',
        };
      }
      case 'literal':
        switch (expr.literalType) {
          case 'null':
            return { kind: 'unknown', text: null, pos: expr.pos, what: 'NULL' };
          case 'bool':
            return constOf(expr.value, 'bool', expr.pos, 'literal');
          case 'number':
            return constOf(
              expr.value,
              /^-?[0-9]+$/.test(expr.value ?? '') ? 'int' : 'numeric',
              expr.pos,
              'literal',
            );
          case 'string':
            return { kind: 'unknown', text: expr.value, pos: expr.pos, what: 'literal' };
        }
        throw whereError('unsupported literal', expr.pos);
      case 'param': {
        const value = this.params[String(expr.index)];
        if (value === undefined)
          throw whereError(`parameter $${expr.index} has no value (send params[${expr.index}])`, expr.pos);
        return { kind: 'unknown', text: value, pos: expr.pos, what: `parameter $${expr.index}` };
      }
      case 'cast': {
        const inner = this.bind(expr.expr);
        if (inner.kind === 'unknown') return constOf(inner.text, expr.to, expr.pos, inner.what);
        if (inner.kind === 'const') {
          return constOf(inner.text, expr.to, expr.pos, 'literal');
        }
        if (
          inner.type !== null &&
          FAMILY[inner.type] === FAMILY[expr.to] &&
          inner.kind === 'column' &&
          inner.type === expr.to
        ) {
          return inner;
        }
        throw whereError(
          `only literals and parameters can be cast (found a cast of ${typeName(inner)} to ${expr.to})`,
          expr.pos,
        );
      }
      case 'call': {
        const arg = resolve(this.bind(expr.args[0] as Expr), 'text');
        if (arg.type !== 'text') throw whereError(`${expr.fn}() takes text, not ${typeName(arg)}`, expr.pos);
        return { kind: 'call', fn: expr.fn, arg, type: 'text' };
      }
      case 'not':
        return {
          kind: 'not',
          expr: this.asBool(this.bind(expr.expr), expr.pos, 'the operand of NOT'),
          type: 'bool',
        };
      case 'and':
      case 'or':
        return {
          kind: expr.kind,
          left: this.asBool(
            this.bind(expr.left),
            expr.left.pos,
            `the left side of ${expr.kind.toUpperCase()}`,
          ),
          right: this.asBool(
            this.bind(expr.right),
            expr.right.pos,
            `the right side of ${expr.kind.toUpperCase()}`,
          ),
          type: 'bool',
        };
      case 'compare': {
        const [left, right] = this.unify(
          this.bind(expr.left),
          this.bind(expr.right),
          expr.pos,
          `"${expr.op}"`,
        );
        return { kind: 'compare', op: expr.op, left, right, type: 'bool' };
      }
      case 'in': {
        const items = [this.bind(expr.expr), ...expr.list.map((e) => this.bind(e))];
        const known = items.find((b): b is Bound => b.kind !== 'unknown');
        const type: ScalarType = known?.type ?? 'text';
        const [subject, ...list] = items.map(
          (b) => this.unify(b, known ?? resolve(b, type), expr.pos, 'IN')[0],
        );
        return { kind: 'in', expr: subject as Bound, list, negated: expr.negated, type: 'bool' };
      }
      case 'isnull': {
        const inner = this.bind(expr.expr);
        return { kind: 'isnull', expr: resolve(inner, 'text'), negated: expr.negated, type: 'bool' };
      }
      case 'like': {
        const subject = resolve(this.bind(expr.expr), 'text');
        const pattern = resolve(this.bind(expr.pattern), 'text');
        const op = expr.caseInsensitive ? 'ILIKE' : 'LIKE';
        if (subject.type !== 'text')
          throw whereError(`${op} needs text on its left, not ${typeName(subject)}`, expr.pos);
        if (pattern.type !== 'text')
          throw whereError(`${op} needs a text pattern, not ${typeName(pattern)}`, expr.pos);
        if (pattern.kind === 'const' && pattern.text !== null && /(^|[^\\])(\\\\)*\\$/.test(pattern.text)) {
          throw whereError('LIKE pattern must not end with escape character', expr.pattern.pos);
        }
        return {
          kind: 'like',
          expr: subject,
          pattern,
          caseInsensitive: expr.caseInsensitive,
          negated: expr.negated,
          type: 'bool',
        };
      }
    }
  }

  /** Gives both sides of a comparison one type, PostgreSQL-style; throws if their families differ. */
  private unify(a: Typed, b: Typed, pos: number, what: string): [Bound, Bound] {
    const ra = a.kind === 'unknown' ? resolve(a, b.kind === 'unknown' ? 'text' : (b.type ?? 'text')) : a;
    const rb = b.kind === 'unknown' ? resolve(b, ra.type ?? 'text') : b;
    if (ra.type === null || rb.type === null || FAMILY[ra.type] !== FAMILY[rb.type]) {
      throw whereError(`cannot compare ${typeName(ra)} with ${typeName(rb)} using ${what}`, pos);
    }
    return [padInsensitive(ra, rb), padInsensitive(rb, ra)];
  }
}
