/**
 * sync-server/shapes/where/print.ts: prints a `where` tree back as `where` text, the form a Shape API
 * takes: for the gate, which adds its tenant condition to the client's tree and then hands the result
 * to the shape engine or, in proxy mode, to an upstream Shape API (Electric) as the `where` parameter.
 *
 * Guarantees: the output parses back (parser.ts) to the same tree, positions aside
 * (print.test.ts checks this over generated trees): parentheses wherever the grammar's precedence
 * needs them (and only there, so nesting limits mean the same after a round trip), column names are
 * always double-quoted (with "" escapes), string literals single-quoted (with '' escapes); parameters
 * stay `$n` references. Nothing of the input is copied as raw text.
 */
import type { Expr } from './ast.ts';
import { SQL_TYPE } from './to-sql.ts';

export function quoteWhereIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteWhereString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Binding strength of each node, as the grammar in parser.ts nests them (higher binds tighter). */
function precedence(e: Expr): number {
  switch (e.kind) {
    case 'or':
      return 1;
    case 'and':
      return 2;
    case 'not':
      return 3;
    case 'isnull':
      return 4;
    case 'compare':
      return 5;
    case 'like':
    case 'in':
      return 6;
    case 'cast':
      return 7;
    default:
      return 8;
  }
}

/** Prints `e` where the grammar needs a node of at least precedence `min` (parenthesised otherwise). */
function at(e: Expr, min: number): string {
  const text = printNode(e);
  return precedence(e) < min ? `(${text})` : text;
}

export function printWhere(e: Expr): string {
  return at(e, 1);
}

function printNode(e: Expr): string {
  switch (e.kind) {
    case 'column':
      return quoteWhereIdent(e.name);
    case 'literal':
      switch (e.literalType) {
        case 'null':
          return 'NULL';
        case 'bool':
          return e.value === 'true' ? 'TRUE' : 'FALSE';
        case 'number':
          if (e.value === null || !/^-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(e.value))
            throw new Error(`printWhere: not a number literal: ${String(e.value)}`);
          return e.value;
        case 'string':
          return quoteWhereString(e.value ?? '');
      }
      break;
    case 'param':
      return `$${e.index}`;
    case 'cast':
      return `${at(e.expr, 8)}::${SQL_TYPE[e.to]}`;
    case 'call':
      return `${e.fn}(${e.args.map((a) => at(a, 1)).join(', ')})`;
    case 'not':
      return `NOT ${at(e.expr, 3)}`;
    case 'or':
      return `${at(e.left, 1)} OR ${at(e.right, 2)}`;
    case 'and':
      return `${at(e.left, 2)} AND ${at(e.right, 3)}`;
    case 'compare':
      return `${at(e.left, 6)} ${e.op} ${at(e.right, 6)}`;
    case 'in':
      return `${at(e.expr, 7)}${e.negated ? ' NOT' : ''} IN (${e.list.map((a) => at(a, 1)).join(', ')})`;
    case 'isnull':
      return `${at(e.expr, 5)} IS ${e.negated ? 'NOT ' : ''}NULL`;
    case 'like':
      return `${at(e.expr, 7)}${e.negated ? ' NOT' : ''} ${e.caseInsensitive ? 'ILIKE' : 'LIKE'} ${at(e.pattern, 7)}`;
  }
}

/** Every column a tree refers to. */
export function columnsOf(e: Expr, into = new Set<string>()): Set<string> {
  switch (e.kind) {
    case 'column':
      into.add(e.name);
      break;
    case 'literal':
    case 'param':
      break;
    case 'cast':
    case 'not':
    case 'isnull':
      columnsOf(e.expr, into);
      break;
    case 'call':
      for (const a of e.args) columnsOf(a, into);
      break;
    case 'and':
    case 'or':
    case 'compare':
      columnsOf(e.left, into);
      columnsOf(e.right, into);
      break;
    case 'in':
      columnsOf(e.expr, into);
      for (const a of e.list) columnsOf(a, into);
      break;
    case 'like':
      columnsOf(e.expr, into);
      columnsOf(e.pattern, into);
      break;
  }
  return into;
}

/** The highest `$n` a tree refers to (0 when none). */
export function maxParamOf(e: Expr): number {
  switch (e.kind) {
    case 'param':
      return e.index;
    case 'column':
    case 'literal':
      return 0;
    case 'cast':
    case 'not':
    case 'isnull':
      return maxParamOf(e.expr);
    case 'call':
      return Math.max(0, ...e.args.map(maxParamOf));
    case 'and':
    case 'or':
    case 'compare':
      return Math.max(maxParamOf(e.left), maxParamOf(e.right));
    case 'in':
      return Math.max(maxParamOf(e.expr), ...e.list.map(maxParamOf));
    case 'like':
      return Math.max(maxParamOf(e.expr), maxParamOf(e.pattern));
  }
}
