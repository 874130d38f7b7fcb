/**
 * sync-server/shapes/where/to-sql.ts: prints a bound `where` as SQL for snapshot queries.
 *
 * Guarantees: the SQL text contains only fixed keywords and operators, double-quoted column names
 * that exist in the table, and `$n` placeholders with explicit casts: every literal and parameter
 * value travels as a bind parameter, so no input can change the statement's structure. Ordering,
 * LIKE/ILIKE and lower()/upper() on text use COLLATE "C", the rules the JavaScript evaluator follows,
 * so the snapshot and the live stream agree. char(n) columns are compared as text without their
 * padding (see bind.ts). Run it in a session with TimeZone = 'UTC'.
 */
import type { ScalarType } from './ast.ts';
import type { Bound } from './bind.ts';

export interface CompiledSql {
  readonly sql: string;
  readonly params: readonly (string | null)[];
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The PostgreSQL type name of each `where` scalar type (also the cast `print.ts` writes). */
export const SQL_TYPE: Record<ScalarType, string> = {
  bool: 'boolean',
  int: 'int8',
  float: 'float8',
  numeric: 'numeric',
  text: 'text',
  uuid: 'uuid',
  date: 'date',
  timestamp: 'timestamp',
  timestamptz: 'timestamptz',
};

/**
 * How bind values are referenced: `$n` placeholders (for a parameterised statement), or
 * transaction-local settings `current_setting('outpost.where_pN')` that the caller sets with
 * `set_config(name, value, true)` through a parameterised statement first: the form a `COPY (...)`,
 * which takes no parameters, can use. Either way no value enters the SQL text.
 */
export type ParamStyle = 'placeholder' | 'setting';

export function whereSettingName(n: number): string {
  return `outpost.where_p${n}`;
}

export function compileWhere(b: Bound, firstParam = 1, style: ParamStyle = 'placeholder'): CompiledSql {
  const params: (string | null)[] = [];
  const param = (text: string | null, type: ScalarType): string => {
    if (text === null) return `NULL::${SQL_TYPE[type]}`;
    params.push(text);
    const n = firstParam + params.length - 1;
    // int8 overflows on huge integer literals: those compare as numeric (same family, same result).
    const cast = type === 'int' && !/^\s*[+-]?[0-9]{1,18}\s*$/.test(text) ? 'numeric' : SQL_TYPE[type];
    return style === 'setting' ? `current_setting('${whereSettingName(n)}')::${cast}` : `$${n}::${cast}`;
  };
  const collateC = (sql: string, b2: Bound): string => (b2.type === 'text' ? `(${sql} COLLATE "C")` : sql);

  const print = (node: Bound): string => {
    switch (node.kind) {
      case 'column':
        return node.bpchar ? `(${quoteIdent(node.name)}::text)` : quoteIdent(node.name);
      case 'const':
        return param(node.text, node.type);
      case 'call':
        return `${node.fn}(${collateC(print(node.arg), node.arg)})`;
      case 'not':
        return `(NOT ${print(node.expr)})`;
      case 'and':
        return `(${print(node.left)} AND ${print(node.right)})`;
      case 'or':
        return `(${print(node.left)} OR ${print(node.right)})`;
      case 'compare': {
        const ordering = node.op !== '=' && node.op !== '<>';
        const left = ordering ? collateC(print(node.left), node.left) : print(node.left);
        return `(${left} ${node.op} ${print(node.right)})`;
      }
      case 'in':
        return `(${print(node.expr)} ${node.negated ? 'NOT IN' : 'IN'} (${node.list.map(print).join(', ')}))`;
      case 'isnull':
        return `(${print(node.expr)} IS ${node.negated ? 'NOT ' : ''}NULL)`;
      case 'like':
        return `(${collateC(print(node.expr), node.expr)} ${node.negated ? 'NOT ' : ''}${node.caseInsensitive ? 'ILIKE' : 'LIKE'} ${print(node.pattern)})`;
    }
  };
  return { sql: print(b), params };
}
