/**
 * sync-server/shapes/where/index.ts: an equality index over many `where` clauses of one table, so a
 * changed row finds the clauses it may satisfy by lookup instead of evaluating every one.
 *
 * A clause is indexed by one conjunct of its top-level AND chain of the form `column = constant`
 * (either side), where the column has a scalar type whose equality `evaluate.ts` decides by
 * comparing normalised values (int, numeric, text, uuid, bool, date, timestamp, timestamptz) and
 * the constant is non-NULL and of the same value family. The key of a value is its normalised form
 * (`parseValue` then `valueKey`), so two values have the same key exactly when `compareValues`
 * says they are equal. Clauses without such a conjunct are kept in a list that every row visits.
 *
 * Guarantee: `candidates(row)` yields every item whose clause `matches` the row (and usually only
 * those whose indexed conjunct holds); it never leaves one out. A matching row makes every conjunct
 * of the AND chain true, so its indexed column is non-NULL and has the key of the constant. A row
 * value that does not parse as its indexed column's type (PostgreSQL never sends one) visits every
 * item indexed on that column; one in another column may skip an evaluation that would have thrown.
 */
import type { Bound } from './bind.ts';
import { parseValue, type Value } from './values.ts';
import type { ScalarType } from './ast.ts';

export type RowValues = Readonly<Record<string, string | null | undefined>>;

/** The value family `parseValue` produces for each column type that can be indexed. */
const FAMILY: Partial<Record<ScalarType, Value['t']>> = {
  int: 'num',
  numeric: 'num',
  text: 'text',
  uuid: 'uuid',
  bool: 'bool',
  date: 'time',
  timestamp: 'time',
  timestamptz: 'time',
};

export interface EqualityCondition {
  readonly column: string;
  readonly type: ScalarType;
  readonly bpchar: boolean;
  readonly key: string;
}

/** A key equal for two values exactly when compareValues(a, b) === 0 (values of one family). */
export function valueKey(v: Value): string {
  switch (v.t) {
    case 'bool':
      return v.v ? 't' : 'f';
    case 'num':
    case 'text':
    case 'uuid':
      return v.v;
    case 'float':
      return Number.isNaN(v.v) ? 'NaN' : String(v.v === 0 ? 0 : v.v);
    case 'time':
      return v.infinite !== 0 ? `inf${v.infinite}` : v.v.toString();
  }
}

/** The first `column = constant` conjunct of the clause's top-level AND chain that can be indexed. */
export function equalityCondition(b: Bound): EqualityCondition | null {
  switch (b.kind) {
    case 'and':
      return equalityCondition(b.left) ?? equalityCondition(b.right);
    case 'compare': {
      if (b.op !== '=') return null;
      const [column, constant] =
        b.left.kind === 'column'
          ? [b.left, b.right]
          : b.right.kind === 'column'
            ? [b.right, b.left]
            : [null, null];
      if (column?.kind !== 'column' || constant?.kind !== 'const') return null;
      if (column.type === null || constant.value === null) return null;
      const family = FAMILY[column.type];
      if (family === undefined || family !== constant.value.t) return null;
      return { column: column.name, type: column.type, bpchar: column.bpchar, key: valueKey(constant.value) };
    }
    default:
      return null;
  }
}

/** The key of a row's column value as `evaluate.ts` reads it; null for NULL, undefined if unparseable. */
function rowKey(
  text: string | null | undefined,
  type: ScalarType,
  bpchar: boolean,
): string | null | undefined {
  if (text === null || text === undefined) return null;
  try {
    return valueKey(parseValue(bpchar ? text.replace(/ +$/, '') : text, type));
  } catch {
    return undefined;
  }
}

interface ColumnIndex<T> {
  readonly type: ScalarType;
  readonly bpchar: boolean;
  readonly byKey: Map<string, Set<T>>;
  readonly all: Set<T>;
}

export class WhereIndex<T> {
  private readonly columns = new Map<string, ColumnIndex<T>>();
  private readonly placed = new Map<T, { column: ColumnIndex<T>; key: string } | null>();
  /** Items no row lookup can exclude: visited for every row. */
  readonly unindexed = new Set<T>();

  get size(): number {
    return this.placed.size;
  }

  has(item: T): boolean {
    return this.placed.has(item);
  }

  /** Whether `item` is found by lookup (false: it is in `unindexed`). */
  isIndexed(item: T): boolean {
    return (this.placed.get(item) ?? null) !== null;
  }

  /** Adds an item with its bound clause (null: no where, matches every row). */
  add(item: T, where: Bound | null): void {
    if (this.placed.has(item)) this.delete(item);
    const condition = where === null ? null : equalityCondition(where);
    if (condition === null) {
      this.unindexed.add(item);
      this.placed.set(item, null);
      return;
    }
    let column = this.columns.get(condition.column);
    if (column && (column.type !== condition.type || column.bpchar !== condition.bpchar)) {
      // One column has one type; a mismatch (never expected) is routed by scanning.
      this.unindexed.add(item);
      this.placed.set(item, null);
      return;
    }
    if (!column) {
      column = { type: condition.type, bpchar: condition.bpchar, byKey: new Map(), all: new Set() };
      this.columns.set(condition.column, column);
    }
    let set = column.byKey.get(condition.key);
    if (!set) column.byKey.set(condition.key, (set = new Set()));
    set.add(item);
    column.all.add(item);
    this.placed.set(item, { column, key: condition.key });
  }

  delete(item: T): void {
    const place = this.placed.get(item);
    if (place === undefined) return;
    this.placed.delete(item);
    if (place === null) {
      this.unindexed.delete(item);
      return;
    }
    const set = place.column.byKey.get(place.key);
    set?.delete(item);
    if (set?.size === 0) place.column.byKey.delete(place.key);
    place.column.all.delete(item);
    if (place.column.all.size === 0) {
      for (const [name, column] of this.columns) if (column === place.column) this.columns.delete(name);
    }
  }

  /**
   * Calls `visit` for every indexed item whose indexed conjunct may hold for `row` (each once per
   * call). Unindexed items are not visited: the caller treats them as candidates of every row.
   */
  forEachIndexedCandidate(row: RowValues, visit: (item: T) => void): void {
    for (const [name, column] of this.columns) {
      const key = rowKey(row[name], column.type, column.bpchar);
      if (key === null) continue;
      const found = key === undefined ? column.all : column.byKey.get(key);
      if (found) for (const item of found) visit(item);
    }
  }
}
