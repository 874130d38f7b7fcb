/**
 * sync-server/shapes/where/ast.ts: the syntax tree of a shape's `where` clause.
 *
 * The tree is the only form in which a `where` travels inside the server: the gate adds its tenant
 * condition as a node, the SQL compiler prints it with every value as a bind parameter, and the
 * evaluator decides row membership for live changes. Text is never concatenated into SQL.
 */
export type ComparisonOperator = '=' | '<>' | '<' | '<=' | '>' | '>=';

/** Scalar types a `where` can compute with. `unknown` is an untyped string literal or parameter. */
export type ScalarType =
  'bool' | 'int' | 'float' | 'numeric' | 'text' | 'uuid' | 'date' | 'timestamp' | 'timestamptz';

export type Expr =
  | { kind: 'column'; name: string; pos: number }
  | { kind: 'literal'; value: string | null; literalType: 'string' | 'number' | 'bool' | 'null'; pos: number }
  | { kind: 'param'; index: number; pos: number }
  | { kind: 'cast'; expr: Expr; to: ScalarType; pos: number }
  | { kind: 'call'; fn: 'lower' | 'upper'; args: Expr[]; pos: number }
  | { kind: 'not'; expr: Expr; pos: number }
  | { kind: 'and' | 'or'; left: Expr; right: Expr; pos: number }
  | { kind: 'compare'; op: ComparisonOperator; left: Expr; right: Expr; pos: number }
  | { kind: 'in'; expr: Expr; list: Expr[]; negated: boolean; pos: number }
  | { kind: 'isnull'; expr: Expr; negated: boolean; pos: number }
  | { kind: 'like'; expr: Expr; pattern: Expr; caseInsensitive: boolean; negated: boolean; pos: number };
