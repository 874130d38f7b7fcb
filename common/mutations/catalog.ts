/**
 * common/mutations/catalog.ts: what the write operations know about the tables they may touch, read
 * from the database they run on (central PostgreSQL or local PGlite): columns with their types,
 * primary keys, generated columns, and the `server_only_columns` registry.
 *
 * Where the tables are: centrally, plain tables in `public`. Locally (docs/local-schema.md), the tables
 * a client writes are views in `public` over `local.<t>_state` (INSTEAD OF triggers record the outbox);
 * a view has no primary key and no generated columns of its own, so for a view `public.<t>` with a
 * server-state table `synced.<t>` both are read from `synced.<t>`, column by column name. The operations
 * then run the same SQL against the same names on both databases.
 *
 * Guarantees:
 *   - Only tables with a sync rule (common/sync/rules.ts) are in the catalog; a name that is not in it
 *     is never turned into SQL. Every identifier the operations print is a `name` from here.
 *   - A view is in the catalog only where a `synced.<t>` table backs it (the local overlay); other
 *     views (aliases such as `documents`) never are, on either database.
 *   - `insertColumns` and `updateColumns` never contain a server-only or a generated column, whatever a
 *     rule says.
 *   - `publicState` strips server-only columns from a row, so audit before/after states (which are
 *     synced to readers of the audit log) never carry a secret.
 */
import { toPgArrayLiteral } from '../sync/pg-array-literal.ts';
import { insertColumns, SYNC_RULES, type TableRule } from '../sync/rules.ts';
import type { ConstraintInfo, ConstraintLookup } from './constraint-sentences.ts';
import { queryRows, type SqlQueryable, type ValueEncoding } from './sql.ts';

export interface ColumnInfo {
  readonly name: string;
  /** `format_type` of the column, e.g. `uuid[]`, `character varying(255)`. */
  readonly type: string;
  readonly encoding: ValueEncoding;
  readonly generated: boolean;
}

export interface TableInfo {
  readonly name: string;
  readonly rule: TableRule;
  /** Columns by name, in table order. */
  readonly columns: ReadonlyMap<string, ColumnInfo>;
  readonly primaryKey: readonly string[];
  readonly serverOnly: ReadonlySet<string>;
  /**
   * Columns a plain insert may set (common/sync/rules.ts `insertColumns`) and a plain update may change
   * (the rule's `columns`), each minus server-only and generated columns, whatever the rule says.
   */
  readonly insertColumns: ReadonlySet<string>;
  readonly updateColumns: ReadonlySet<string>;
}

/**
 * Which database a catalog describes: `central` (plain tables) or `local` (a client's PGlite, where the
 * writable tables are views over local state and the server stamps what only it can know, such as
 * `updated_at`, when the write arrives).
 */
export type CatalogSide = 'central' | 'local';

export class WriteCatalog {
  private readonly constraintsByKey: ReadonlyMap<string, ConstraintInfo>;
  private readonly constraintsByName: ReadonlyMap<string, ConstraintInfo[]>;

  constructor(
    readonly tables: ReadonlyMap<string, TableInfo>,
    readonly side: CatalogSide = 'central',
    constraints: readonly ConstraintInfo[] = [],
  ) {
    this.constraintsByKey = new Map(constraints.map((c) => [`${c.table}/${c.name}`, c]));
    const byName = new Map<string, ConstraintInfo[]>();
    for (const c of constraints) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);
    this.constraintsByName = byName;
  }

  /** Every constraint of a ruled table (check, unique, primary and foreign keys). */
  constraintsOf(table: string): ConstraintInfo[] {
    return [...this.constraintsByKey.values()].filter((c) => c.table === table);
  }

  /**
   * A constraint of a ruled table by the table a database error names and the constraint's name (by
   * name alone when the error names no table and the name is unambiguous). For database-errors.ts.
   */
  readonly constraint: ConstraintLookup = (table, name) => {
    if (table !== null) return this.constraintsByKey.get(`${table}/${name}`);
    const found = this.constraintsByName.get(name);
    return found?.length === 1 ? found[0] : undefined;
  };

  table(name: string): TableInfo | undefined {
    return this.tables.get(name);
  }

  /** A table the operations need; a missing one is a deployment bug, not a request error. */
  require(name: string): TableInfo {
    const table = this.tables.get(name);
    if (!table) throw new Error(`write catalog: table ${name} is missing from this database`);
    return table;
  }

  /** The row without its server-only columns (what may be recorded in the audit log). */
  publicState(table: string, row: Readonly<Record<string, unknown>> | null): Record<string, unknown> | null {
    if (row === null) return null;
    const secret = this.tables.get(table)?.serverOnly ?? new Set<string>();
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(row)) if (!secret.has(key)) out[key] = value;
    return out;
  }
}

interface CatalogRow {
  table_name: string;
  column_name: string;
  type: string;
  type_name: string;
  category: string;
  generated: boolean;
  primary_key_position: number | null;
}

function encodingOf(row: CatalogRow): ValueEncoding {
  if (row.type_name === 'json' || row.type_name === 'jsonb') return 'json';
  if (row.category === 'A') return 'array';
  if (row.type_name === 'vector') return 'vector';
  return 'scalar';
}

/** Reads the catalog of every ruled table from the database behind `sql` (central or local). */
export async function loadWriteCatalog(sql: SqlQueryable): Promise<WriteCatalog> {
  const rows = await queryRows<CatalogRow>(
    sql,
    `SELECT c.relname::text AS table_name, a.attname::text AS column_name,
            format_type(a.atttypid, a.atttypmod) AS type, t.typname::text AS type_name,
            t.typcategory::text AS category, coalesce(sa.attgenerated, a.attgenerated) <> '' AS generated,
            array_position(i.indkey::int2[], coalesce(sa.attnum, a.attnum)) AS primary_key_position
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       JOIN pg_type t ON t.oid = a.atttypid
       -- Locally: the server-state table behind a writable view (keys and generated columns).
       LEFT JOIN pg_namespace sn ON c.relkind = 'v' AND sn.nspname = 'synced'
       LEFT JOIN pg_class s ON s.relnamespace = sn.oid AND s.relname = c.relname AND s.relkind = 'r'
       LEFT JOIN pg_attribute sa ON sa.attrelid = s.oid AND sa.attname = a.attname AND NOT sa.attisdropped
       LEFT JOIN pg_index i ON i.indrelid = coalesce(s.oid, c.oid) AND i.indisprimary
      WHERE n.nspname = 'public' AND c.relname = ANY ($1::text[])
        AND (c.relkind IN ('r', 'p') OR (c.relkind = 'v' AND s.oid IS NOT NULL))
      ORDER BY c.relname, a.attnum`,
    [toPgArrayLiteral([...SYNC_RULES.keys()])],
  );
  const secrets = await queryRows<{ table_name: string; column_name: string }>(
    sql,
    `SELECT table_name, column_name FROM server_only_columns`,
  );
  const serverOnlyOf = new Map<string, Set<string>>();
  for (const s of secrets) {
    let set = serverOnlyOf.get(s.table_name);
    if (!set) serverOnlyOf.set(s.table_name, (set = new Set()));
    set.add(s.column_name);
  }
  const byTable = new Map<string, CatalogRow[]>();
  for (const row of rows) {
    let list = byTable.get(row.table_name);
    if (!list) byTable.set(row.table_name, (list = []));
    list.push(row);
  }
  const tables = new Map<string, TableInfo>();
  for (const [name, columnRows] of byTable) {
    const rule = SYNC_RULES.get(name);
    if (!rule) continue;
    const serverOnly = serverOnlyOf.get(name) ?? new Set<string>();
    const columns = new Map<string, ColumnInfo>(
      columnRows.map((r) => [
        r.column_name,
        { name: r.column_name, type: r.type, encoding: encodingOf(r), generated: r.generated },
      ]),
    );
    const primaryKey = columnRows
      .filter((r) => r.primary_key_position !== null)
      .sort((a, b) => (a.primary_key_position ?? 0) - (b.primary_key_position ?? 0))
      .map((r) => r.column_name);
    const usable = (list: readonly string[]) =>
      new Set(list.filter((c) => columns.has(c) && !serverOnly.has(c) && !columns.get(c)?.generated));
    const write = rule.write;
    tables.set(name, {
      name,
      rule,
      columns,
      primaryKey,
      serverOnly,
      insertColumns: usable(write ? insertColumns(write, primaryKey) : []),
      updateColumns: usable(write?.columns ?? []),
    });
  }
  const [side] = await queryRows<{ local: boolean }>(
    sql,
    `SELECT to_regnamespace('synced') IS NOT NULL AS local`,
  );
  return new WriteCatalog(tables, side?.local ? 'local' : 'central', await loadConstraints(sql));
}

const CONSTRAINT_KINDS = { c: 'check', u: 'unique', p: 'primary_key', f: 'foreign_key' } as const;

/**
 * The CHECK, UNIQUE, PRIMARY KEY and FOREIGN KEY constraints of the ruled tables, under the tables' app
 * names (locally: public tables, synced.<t> and local.<t>_state all stand for <t>; the same constraint
 * found twice is one).
 */
async function loadConstraints(sql: SqlQueryable): Promise<ConstraintInfo[]> {
  const rows = await queryRows<{
    name: string;
    table_name: string;
    kind: keyof typeof CONSTRAINT_KINDS;
    columns: string[];
    definition: string;
    referenced: string | null;
    referenced_columns: string[];
  }>(
    sql,
    `SELECT con.conname::text AS name, regexp_replace(c.relname::text, '_state$', '') AS table_name,
            con.contype::text AS kind, pg_get_constraintdef(con.oid) AS definition,
            ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, o)
                    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o) AS columns,
            regexp_replace(fc.relname::text, '_state$', '') AS referenced,
            ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, o)
                    JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o) AS referenced_columns
       FROM pg_constraint con
       JOIN pg_class c ON c.oid = con.conrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname IN ('public', 'synced', 'local')
       LEFT JOIN pg_class fc ON fc.oid = con.confrelid
      WHERE con.contype IN ('c', 'u', 'p', 'f')
        AND regexp_replace(c.relname::text, '_state$', '') = ANY ($1::text[])
      ORDER BY 2, 1`,
    [toPgArrayLiteral([...SYNC_RULES.keys()])],
  );
  const seen = new Map<string, ConstraintInfo>();
  for (const r of rows)
    seen.set(`${r.table_name}/${r.name}`, {
      name: r.name,
      table: r.table_name,
      kind: CONSTRAINT_KINDS[r.kind],
      columns: r.columns,
      definition: r.definition,
      references: r.referenced,
      referencedColumns: r.referenced_columns,
    });
  return [...seen.values()];
}
