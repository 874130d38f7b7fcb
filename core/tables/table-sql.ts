/**
 * core/tables/table-sql.ts: the SQL the table explorer runs against the local database, built from the
 * local catalog (never from request strings), and the conversion of PGlite's rows into plain values.
 *
 *   TableQuery (validated) ──► columnOf(catalog) ──► pageStatement: one statement, constant text, $n values
 *
 *   SELECT c.__outpost_total, p.*, <labels of p>           one row per page row, or one row with only
 *     FROM (SELECT count(*) ... WHERE <filters>) c           the total when the page is empty; the same
 *     LEFT JOIN LATERAL (SELECT true AS __outpost_row, ...   text serves a plain query and a live query
 *                          WHERE <filters> ORDER BY <sort, primary key> LIMIT $l OFFSET $o) p ON true
 *    ORDER BY <sort, primary key>
 *
 *   The labels are computed over the page (outside LIMIT/OFFSET): inside, PostgreSQL would evaluate
 *   them for every row OFFSET skips (30× slower at offset 50,000, docs/benchmarks.md).
 *
 * Guarantees:
 *   - Every identifier printed here is a column or table name read from the catalog, quoted; a name the
 *     catalog does not have is a `validation` error naming it. Every request value is a bind parameter.
 *   - The text contains no `%` and no `$` other than parameters: PGlite's live queries inline parameters
 *     with `format()` (formatQuery), which would read either.
 *   - Pages are stable: the requested sort, then the primary key ascending, so paging never repeats or
 *     skips a row while the data stays the same.
 *   - `toPlainRow` returns values a structured clone (and, except for non-finite numbers, JSON) carries
 *     unchanged: no Date, no bigint.
 */
import type { TablePage } from '../../common/rpc/contract.ts';
import { OutpostError } from '../../common/errors.ts';
import { encodeValue, quoteIdent, textOf, type ValueEncoding } from '../../common/mutations/sql.ts';

export interface LocalColumn {
  readonly name: string;
  /** `format_type` of the column, e.g. `uuid[]`, `character varying(20)`. */
  readonly type: string;
  readonly nullable: boolean;
  readonly generated: boolean;
  /** How a request value becomes the text PostgreSQL parses for this column. */
  readonly encoding: ValueEncoding;
  /** Whether `=`, `<` and ORDER BY work on the value itself; otherwise on its text (json, xml, point). */
  readonly comparable: boolean;
  /** A `date` column: shown as `YYYY-MM-DD`, not as a timestamp. */
  readonly dateOnly: boolean;
}

/**
 * How a page names rows: the row's own label and, per reference column, the label of the row it
 * names; SQL over the alias of the row (common/records/labels.ts).
 */
export interface LabelPlan {
  readonly row: (alias: string) => string;
  readonly references: readonly {
    readonly column: string;
    readonly table: string;
    /** An id array: labels of each element. */
    readonly array: boolean;
    readonly label: (alias: string) => string;
  }[];
}

export interface LocalTable {
  readonly name: string;
  /** `view`: a writable table behind the outbox (docs/local-schema.md); `table`: the applier's server state. */
  readonly kind: 'view' | 'table';
  /** Columns by name, in the relation's order. */
  readonly columns: ReadonlyMap<string, LocalColumn>;
  readonly primaryKey: readonly string[];
}

export type FilterOp = 'eq' | 'neq' | 'lt' | 'lte' | 'gt' | 'gte' | 'contains' | 'is_null' | 'not_null';
export type FilterValue = string | number | boolean | null | undefined;

/** A table query after the contract's defaults were applied. */
export interface PageRequest {
  readonly filters: readonly {
    readonly column: string;
    readonly op: FilterOp;
    readonly value?: FilterValue;
  }[];
  readonly sort: readonly { readonly column: string; readonly direction: 'asc' | 'desc' }[];
  readonly offset: number;
  readonly limit: number;
}

export interface SqlStatement {
  readonly text: string;
  readonly params: (string | number | null)[];
}

/** Prefix of the helper columns of a page statement (no table of the schema has such a column). */
export const HELPER_PREFIX = '__outpost_';
const TOTAL = `${HELPER_PREFIX}total`;
const PRESENT = `${HELPER_PREFIX}row`;
const LABEL = `${HELPER_PREFIX}label`;
const REFERENCE = `${HELPER_PREFIX}ref_`;

const invalid = (message: string, details: Record<string, unknown> = {}) =>
  new OutpostError('validation', message, details);

/** The catalog's column `name` of `table`, or a `validation` error naming it. */
export function columnOf(table: LocalTable, name: string): LocalColumn {
  const column = table.columns.get(name);
  if (!column)
    throw invalid(`${table.name} has no column ${JSON.stringify(name.slice(0, 63))}.`, {
      table: table.name,
      column: name.slice(0, 63),
    });
  return column;
}

/** `public."table"`: the relation the app reads and writes. */
export function relationOf(table: LocalTable): string {
  return `public.${quoteIdent(table.name)}`;
}

/** A LIKE pattern matching `text` literally anywhere (`\`, `%` and `_` escaped; `\` is LIKE's default escape). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

class Parameters {
  readonly values: (string | number | null)[] = [];
  add(value: string | number | null): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** A filter value as the text PostgreSQL parses for the column (its type decides). */
function filterText(column: LocalColumn, op: FilterOp, value: FilterValue): string {
  if (value === null || value === undefined)
    throw invalid(`The ${op} filter on ${column.name} needs a value.`, { column: column.name });
  if (typeof value === 'number' && !Number.isFinite(value))
    throw invalid(`The ${op} filter on ${column.name} needs a finite number.`, { column: column.name });
  return typeof value === 'boolean' ? (value ? 'true' : 'false') : textOf(value);
}

/** The expression a column is compared and sorted by (`r."c"`, or its text where it has no ordering). */
function operand(alias: string, column: LocalColumn): string {
  const ref = `${alias}.${quoteIdent(column.name)}`;
  return column.comparable ? ref : `${ref}::text`;
}

const COMPARISONS: Readonly<Partial<Record<FilterOp, string>>> = {
  lt: '<',
  lte: '<=',
  gt: '>',
  gte: '>=',
};

function condition(table: LocalTable, filter: PageRequest['filters'][number], params: Parameters): string {
  const column = columnOf(table, filter.column);
  const ref = `r.${quoteIdent(column.name)}`;
  switch (filter.op) {
    case 'is_null':
      return `${ref} IS NULL`;
    case 'not_null':
      return `${ref} IS NOT NULL`;
    case 'eq':
      if (filter.value === null) return `${ref} IS NULL`;
      return `${operand('r', column)} = ${params.add(filterText(column, 'eq', filter.value))}`;
    case 'neq':
      // Rows whose value is NULL differ from any value, so they are included.
      if (filter.value === null) return `${ref} IS NOT NULL`;
      return `${operand('r', column)} IS DISTINCT FROM ${params.add(filterText(column, 'neq', filter.value))}`;
    case 'contains':
      return `${ref}::text ILIKE ${params.add(containsPattern(filterText(column, 'contains', filter.value)))}`;
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return `${operand('r', column)} ${COMPARISONS[filter.op] ?? '='} ${params.add(filterText(column, filter.op, filter.value))}`;
  }
}

/** ORDER BY terms on `alias`: the requested sort, then every primary key column not sorted yet. */
function orderBy(table: LocalTable, sort: PageRequest['sort'], alias: string): string {
  const terms: string[] = [];
  const seen = new Set<string>();
  for (const s of sort) {
    const column = columnOf(table, s.column);
    if (seen.has(column.name)) continue;
    seen.add(column.name);
    terms.push(`${operand(alias, column)} ${s.direction === 'desc' ? 'DESC' : 'ASC'}`);
  }
  for (const key of table.primaryKey) {
    const column = columnOf(table, key);
    if (seen.has(column.name)) continue;
    seen.add(column.name);
    terms.push(`${operand(alias, column)} ASC`);
  }
  return terms.length > 0 ? ` ORDER BY ${terms.join(', ')}` : '';
}

function selectList(table: LocalTable, alias: string): string {
  return [...table.columns.keys()].map((c) => `${alias}.${quoteIdent(c)}`).join(', ');
}

/** The label columns of a page: the row's label and one per reference (see LabelPlan). */
function labelList(labels: LabelPlan | undefined, alias: string): string {
  if (!labels) return '';
  const items = [`${labels.row(alias)} AS ${LABEL}`];
  for (const ref of labels.references) {
    const column = `${alias}.${quoteIdent(ref.column)}`;
    const relation = `public.${quoteIdent(ref.table)}`;
    items.push(
      ref.array
        ? `(SELECT jsonb_object_agg(x."id"::text, ${ref.label('x')}) FROM ${relation} x WHERE x."id" = ANY (${column})) AS ${quoteIdent(REFERENCE + ref.column)}`
        : `(SELECT ${ref.label('x')} FROM ${relation} x WHERE x."id" = ${column}) AS ${quoteIdent(REFERENCE + ref.column)}`,
    );
  }
  return `, ${items.join(', ')}`;
}

/** One page of `table` and the number of rows matching the filters, as one statement (see the header). */
export function pageStatement(table: LocalTable, request: PageRequest, labels?: LabelPlan): SqlStatement {
  const params = new Parameters();
  const conditions = request.filters.map((f) => condition(table, f, params));
  const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
  const limit = params.add(request.limit);
  const offset = params.add(request.offset);
  const relation = relationOf(table);
  const text =
    `SELECT c.${TOTAL}, p.*${labelList(labels, 'p')} FROM (SELECT count(*) AS ${TOTAL} FROM ${relation} r${where}) c` +
    ` LEFT JOIN LATERAL (SELECT true AS ${PRESENT}, ${selectList(table, 'r')} FROM ${relation} r${where}` +
    `${orderBy(table, request.sort, 'r')} LIMIT ${limit} OFFSET ${offset}) p ON true` +
    orderBy(table, request.sort, 'p');
  return { text, params: params.values };
}

/** The page a pageStatement's rows stand for. */
export function pageOf(table: LocalTable, rows: readonly Readonly<Record<string, unknown>>[]): TablePage {
  const total = Number(rows[0]?.[TOTAL] ?? 0);
  const dateOnly = dateOnlyColumns(table);
  const page: Record<string, unknown>[] = [];
  const rowLabels: string[] = [];
  const labels: Record<string, Record<string, string>> = {};
  for (const row of rows) {
    if (row[PRESENT] !== true) continue;
    const data: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(row)) {
      if (!key.startsWith(HELPER_PREFIX)) data[key] = value;
      else if (key.startsWith(REFERENCE) && value !== null && value !== undefined) {
        const column = key.slice(REFERENCE.length);
        const names = (labels[column] ??= {});
        if (typeof value === 'object') Object.assign(names, value);
        else names[textOf(toPlainValue(row[column]))] = textOf(value);
      }
    }
    rowLabels.push(typeof row[LABEL] === 'string' ? row[LABEL] : '');
    page.push(toPlainRow(data, dateOnly));
  }
  return { rows: page, total, rowLabels, labels };
}

/**
 * `key` as (column, text) pairs: exactly the primary key of `table`, else a `validation` error that
 * names the expected columns.
 */
export function keyOf(
  table: LocalTable,
  key: Readonly<Record<string, unknown>> | undefined,
): [LocalColumn, string][] {
  const expected = table.primaryKey.join(', ');
  if (table.primaryKey.length === 0)
    throw new OutpostError('forbidden', `${table.name} has no primary key, so its rows cannot be addressed.`);
  const given = key ?? {};
  for (const name of Object.keys(given))
    if (!table.primaryKey.includes(name))
      throw invalid(
        `${JSON.stringify(name.slice(0, 63))} is not part of the primary key of ${table.name} (${expected}).`,
        { column: name.slice(0, 63) },
      );
  return table.primaryKey.map((name) => {
    const column = columnOf(table, name);
    if (!Object.hasOwn(given, name))
      throw invalid(`The key of ${table.name} is its whole primary key (${expected}); ${name} is missing.`, {
        column: name,
      });
    const text = encodeValue(given[name], 'scalar', name);
    if (text === null) throw invalid(`Key column ${name} of ${table.name} cannot be null.`, { column: name });
    return [column, text];
  });
}

/** `r."k1" = $n AND ...` for a key from keyOf. */
export function keyCondition(
  key: readonly [LocalColumn, string][],
  params: { add(v: string): string },
): string {
  return key.map(([column, value]) => `r.${quoteIdent(column.name)} = ${params.add(value)}`).join(' AND ');
}

/** The row of `table` with primary key `key` (at most one row). */
export function rowStatement(table: LocalTable, key: readonly [LocalColumn, string][]): SqlStatement {
  const params = new Parameters();
  const text = `SELECT ${selectList(table, 'r')} FROM ${relationOf(table)} r WHERE ${keyCondition(key, params)}`;
  return { text, params: params.values };
}

/** The `date` columns of a table (their values are shown without a time). */
export function dateOnlyColumns(table: LocalTable): ReadonlySet<string> {
  return new Set([...table.columns.values()].filter((c) => c.dateOnly).map((c) => c.name));
}

/**
 * One value as PGlite parsed it, made plain: Date → ISO 8601 string (an invalid Date → null), bigint →
 * decimal string, arrays and JSON objects element by element; Uint8Array (bytea), strings, numbers
 * (including ±Infinity for infinite timestamps) and booleans stay; undefined → null.
 */
export function toPlainValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map(toPlainValue);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toPlainValue(v);
    return out;
  }
  if (typeof value === 'function' || typeof value === 'symbol') return null;
  return value;
}

/**
 * A row as PGlite returns it, made safe to post to another process or worker (structured clone) and to
 * show: every value through `toPlainValue`; columns in `dateOnly` (PostgreSQL `date`, which PGlite parses
 * to midnight UTC) as `YYYY-MM-DD`.
 */
export function toPlainRow(
  row: Readonly<Record<string, unknown>>,
  dateOnly: ReadonlySet<string> = new Set(),
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (dateOnly.has(key) && value instanceof Date && !Number.isNaN(value.getTime()))
      out[key] = value.toISOString().slice(0, 10);
    else out[key] = toPlainValue(value);
  }
  return out;
}
