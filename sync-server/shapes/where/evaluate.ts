/**
 * sync-server/shapes/where/evaluate.ts: decides whether a row belongs to a shape, in JavaScript,
 * with the same answer PostgreSQL gives for the compiled SQL (see values.ts for the value rules).
 *
 * SQL's three-valued logic is kept: comparisons with NULL are unknown (null), NOT/AND/OR combine
 * unknowns as PostgreSQL does, and a row matches only when the clause is true. Rows are given as
 * PostgreSQL text values (string | null) by column name.
 *
 * Hot path (every live change is evaluated against its candidate shapes): no closures or regular
 * expressions are built per call; compiled LIKE patterns are cached (at most 1,000).
 */
import type { Bound } from './bind.ts';
import { compareValues, parseValue, type Value } from './values.ts';

export type RowText = Readonly<Record<string, string | null | undefined>>;

const asciiLower = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const asciiUpper = (s: string): string => s.replace(/[a-z]/g, (c) => c.toUpperCase());

/** LIKE pattern (escape character backslash) to an anchored regular expression. */
export function likeToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  let source = '';
  const chars = [...(caseInsensitive ? asciiLower(pattern) : pattern)];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    if (c === '\\') {
      const next = chars[++i];
      source += (next ?? '').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else if (c === '%') source += '.*';
    else if (c === '_') source += '.';
    else source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'su');
}

/** Compiled LIKE patterns (a shape's pattern is usually a constant): not rebuilt for every row. */
const likeCache = new Map<string, RegExp>();
function cachedLike(pattern: string, caseInsensitive: boolean): RegExp {
  const key = `${caseInsensitive ? 'i' : 'c'}${pattern}`;
  let re = likeCache.get(key);
  if (!re) {
    if (likeCache.size >= 1000) likeCache.clear();
    likeCache.set(key, (re = likeToRegExp(pattern, caseInsensitive)));
  }
  return re;
}

function scalar(b: Bound, row: RowText): Value | null {
  switch (b.kind) {
    case 'const':
      return b.value;
    case 'column': {
      const text = row[b.name];
      if (text === null || text === undefined) return null;
      if (b.type === null) return { t: 'text', v: text };
      return parseValue(b.bpchar ? text.replace(/ +$/, '') : text, b.type);
    }
    case 'call': {
      const v = scalar(b.arg, row);
      if (v === null || v.t !== 'text') return v;
      return { t: 'text', v: b.fn === 'lower' ? asciiLower(v.v) : asciiUpper(v.v) };
    }
    default: {
      const r = truth(b, row);
      return r === null ? null : { t: 'bool', v: r };
    }
  }
}

function compare(op: string, a: Value | null, b: Value | null): boolean | null {
  if (a === null || b === null) return null;
  const c = compareValues(a, b);
  switch (op) {
    case '=':
      return c === 0;
    case '<>':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    default:
      return c >= 0;
  }
}

/** The clause's value for `row`: true, false, or null (unknown). */
export function truth(b: Bound, row: RowText): boolean | null {
  switch (b.kind) {
    case 'not': {
      const v = truth(b.expr, row);
      return v === null ? null : !v;
    }
    case 'and': {
      const l = truth(b.left, row);
      if (l === false) return false;
      const r = truth(b.right, row);
      if (r === false) return false;
      return l === null || r === null ? null : true;
    }
    case 'or': {
      const l = truth(b.left, row);
      if (l === true) return true;
      const r = truth(b.right, row);
      if (r === true) return true;
      return l === null || r === null ? null : false;
    }
    case 'compare':
      return compare(b.op, scalar(b.left, row), scalar(b.right, row));
    case 'in': {
      const subject = scalar(b.expr, row);
      if (subject === null) return null;
      let sawNull = false;
      for (const item of b.list) {
        const r = compare('=', subject, scalar(item, row));
        if (r === true) return !b.negated;
        if (r === null) sawNull = true;
      }
      return sawNull ? null : b.negated;
    }
    case 'isnull': {
      const isNull =
        b.expr.kind === 'column' ? (row[b.expr.name] ?? null) === null : scalar(b.expr, row) === null;
      return b.negated ? !isNull : isNull;
    }
    case 'like': {
      const subject = scalar(b.expr, row);
      const pattern = scalar(b.pattern, row);
      if (subject === null || pattern === null || subject.t !== 'text' || pattern.t !== 'text') return null;
      const text = b.caseInsensitive ? asciiLower(subject.v) : subject.v;
      const matched = cachedLike(pattern.v, b.caseInsensitive).test(text);
      return b.negated ? !matched : matched;
    }
    default: {
      const v = scalar(b, row);
      return v === null ? null : v.t === 'bool' ? v.v : null;
    }
  }
}

export function matches(b: Bound, row: RowText): boolean {
  return truth(b, row) === true;
}
