/**
 * sync-server/shapes/table-schema.ts: what the shape engine knows about a table: its columns, their
 * types and its primary key, read from the PostgreSQL catalog.
 *
 * The `table` parameter follows PostgreSQL's name rules: `name` or `schema.name`, unquoted parts
 * folded to lower case, "quoted" parts kept as written (with "" for a quote); the schema defaults to
 * public. A table must exist and have a primary key (rows are keyed by it); otherwise the request
 * is refused with `invalid_table`. The same catalog data produces the `electric-schema` header.
 */
import { OutpostError } from '../../common/errors.ts';
import { readQuoted } from './quoted.ts';
import type { ColumnInfo } from './where/bind.ts';

export interface QueryRunner {
  query<Row>(sql: string, params?: unknown[]): Promise<{ rows: Row[] }>;
}

export interface TableColumn extends ColumnInfo {
  readonly attnum: number;
  readonly notNull: boolean;
  /** Element type name for arrays (pgType is then e.g. `_text`), otherwise null. */
  readonly elementType: string | null;
  readonly dims: number;
  readonly typeMod: number;
  /** 1-based position in the primary key, or null. */
  readonly pkIndex: number | null;
  /** Generated columns are computed by the database and cannot be written by a client. */
  readonly generated: boolean;
}

export interface TableSchema {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  readonly columns: readonly TableColumn[];
  readonly primaryKey: readonly string[];
}

export interface TableName {
  readonly schema: string;
  readonly name: string;
}

function tableError(message: string): OutpostError {
  return new OutpostError('invalid_table', message);
}

/** Splits `table` into schema and name with PostgreSQL's quoting and case rules. */
export function parseTableName(input: string): TableName {
  const parts: string[] = [];
  let i = 0;
  const text = input.trim();
  if (text === '') throw tableError('Invalid table: it is empty.');
  if (text.length > 200) throw tableError('Invalid table: the name is too long.');
  while (i < text.length) {
    if (text[i] === '"') {
      const token = readQuoted(text, i, '"');
      if (!token) throw tableError(`Invalid table ${JSON.stringify(input)}: unterminated quoted name.`);
      if (token.value === '') throw tableError(`Invalid table ${JSON.stringify(input)}: empty quoted name.`);
      parts.push(token.value);
      i = token.end;
    } else {
      const m = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(text.slice(i));
      if (!m)
        throw tableError(`Invalid table ${JSON.stringify(input)}: expected a name at character ${i + 1}.`);
      parts.push(m[0].toLowerCase());
      i += m[0].length;
    }
    if (i < text.length) {
      if (text[i] !== '.')
        throw tableError(`Invalid table ${JSON.stringify(input)}: unexpected character at ${i + 1}.`);
      i++;
      if (i >= text.length) throw tableError(`Invalid table ${JSON.stringify(input)}: it ends with ".".`);
    }
  }
  if (parts.length > 2)
    throw tableError(`Invalid table ${JSON.stringify(input)}: use "table" or "schema.table".`);
  return parts.length === 2
    ? { schema: parts[0] as string, name: parts[1] as string }
    : { schema: 'public', name: parts[0] as string };
}

interface ColumnRow {
  oid: number;
  name: string;
  attnum: number;
  not_null: boolean;
  type_name: string;
  element_type: string | null;
  dims: number;
  type_mod: number;
  pk_index: number | null;
  generated: boolean;
}

const COLUMNS_SQL = `
  SELECT c.oid::int AS oid, a.attname AS name, a.attnum::int AS attnum, a.attnotnull AS not_null,
         t.typname AS type_name,
         CASE WHEN t.typcategory = 'A' THEN et.typname END AS element_type,
         CASE WHEN t.typcategory = 'A' THEN greatest(a.attndims, 1) ELSE 0 END::int AS dims,
         a.atttypmod AS type_mod,
         (SELECT k.n::int FROM pg_index i, unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
           WHERE i.indrelid = c.oid AND i.indisprimary AND k.attnum = a.attnum) AS pk_index,
         a.attgenerated <> '' AS generated
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    JOIN pg_type t ON t.oid = a.atttypid
    LEFT JOIN pg_type et ON et.oid = t.typelem
   WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')
   ORDER BY a.attnum`;

export async function loadTableSchema(db: QueryRunner, table: TableName): Promise<TableSchema> {
  const { rows } = await db.query<ColumnRow>(COLUMNS_SQL, [table.schema, table.name]);
  const qualified = `${table.schema}.${table.name}`;
  if (rows.length === 0) throw tableError(`Table ${qualified} does not exist.`);
  const columns: TableColumn[] = rows.map((r) => ({
    name: r.name,
    pgType: r.type_name,
    attnum: r.attnum,
    notNull: r.not_null,
    elementType: r.element_type,
    dims: r.dims,
    typeMod: r.type_mod,
    pkIndex: r.pk_index,
    generated: r.generated,
  }));
  const primaryKey = columns
    .filter((c) => c.pkIndex !== null)
    .sort((a, b) => (a.pkIndex ?? 0) - (b.pkIndex ?? 0))
    .map((c) => c.name);
  if (primaryKey.length === 0)
    throw tableError(`Table ${qualified} has no primary key; shapes need one to key their rows.`);
  return { oid: rows[0]?.oid ?? 0, schema: table.schema, name: table.name, columns, primaryKey };
}

export interface ElectricColumnSchema {
  type: string;
  dims?: number;
  pk_index?: number;
  not_null?: boolean;
  max_length?: number;
  length?: number;
  precision?: number;
  scale?: number;
  type_mod?: number;
}

/** The `electric-schema` header value for the given columns (a subset of the table's, in order). */
export function electricSchema(columns: readonly TableColumn[]): Record<string, ElectricColumnSchema> {
  const schema: Record<string, ElectricColumnSchema> = {};
  for (const c of columns) {
    const entry: ElectricColumnSchema = { type: c.elementType ?? c.pgType };
    if (c.dims > 0) entry.dims = c.dims;
    if (c.pkIndex !== null) entry.pk_index = c.pkIndex - 1;
    if (c.notNull) entry.not_null = true;
    const base = c.elementType ?? c.pgType;
    if (c.typeMod >= 0) {
      if (base === 'varchar') entry.max_length = c.typeMod - 4;
      else if (base === 'bpchar') entry.length = c.typeMod - 4;
      else if (base === 'numeric') {
        entry.precision = ((c.typeMod - 4) >> 16) & 0xffff;
        entry.scale = (c.typeMod - 4) & 0xffff;
      } else entry.type_mod = c.typeMod;
    }
    schema[c.name] = entry;
  }
  return schema;
}
