/**
 * core/tables/table-service.ts: the table explorer of the RPC contract (`catalog.tables`, `table.query`
 * as a call and a subscription, `table.get`, `table.write`), answered from the local database.
 *
 *   catalog (read once)  public.<t> of every ruled table: a table (server state, read-only) or a view
 *                        over local.<t>_state (writable: writes go through the outbox, docs/local-schema.md)
 *   tables(permissions)  the readable rules (common/sync/rules.ts) that exist locally, with what the
 *                        user may write; cached per permission set
 *   query / liveQuery    table-sql.ts's page statement; live: PGlite's live query, re-run whenever a
 *                        relation under public.<t> changes, emitting only pages that differ
 *   write                checks ─► BEGIN; INSERT/UPDATE/DELETE on public.<t> (the INSTEAD OF trigger
 *                        writes local.<t>_state and records the outbox mutation); the mutation of this
 *                        local transaction (outbox.mutations.local_txid) ─► COMMIT ─► { mutationId }
 *
 * Guarantees:
 *   - Nothing reaches SQL unless the user may read the table (its rule's read permission; else
 *     `forbidden`) and the table and every column name are in the local catalog (else `validation`
 *     naming it). Identifiers are the catalog's, quoted; values are bind parameters.
 *   - A write needs the rule's write permission and operation, and sets only the columns the user may
 *     write (`forbidden` / `validation` naming the column); tenant_id is the actor's tenant unless given,
 *     and must be one of the actor's visible tenants; update and delete address an existing row by its
 *     whole primary key (`not_found`). The database's own checks (NOT NULL, CHECK, unique, lifecycle
 *     triggers, the outbox's rule check) still run and come back as OutpostErrors (database-errors.ts).
 *   - Each write is one local transaction and one outbox mutation, whose id is returned.
 *   - Rows are plain values (toPlainRow): safe to post across processes.
 *
 * Not here: tenant filtering of reads (the local database holds only rows the server sent this user)
 * and foreign keys (checked by the server, which may see rows this client cannot).
 */
import type { PGliteInterface } from '@electric-sql/pglite';
import type { LiveNamespace } from '@electric-sql/pglite/live';
import type { z } from 'zod';
import { OutpostError, isOutpostError } from '../../common/errors.ts';
import type { ConstraintLookup } from '../../common/mutations/constraint-sentences.ts';
import { mapDatabaseError, sqlStateOf } from '../../common/mutations/database-errors.ts';
import type { ValueEncoding } from '../../common/mutations/sql.ts';
import { prepareTableMutation } from '../../common/mutations/table-mutation.ts';
import type { MutationActor } from '../../common/mutations/types.ts';
import { lifecycleFor } from '../../common/lifecycles/registry.ts';
import { tableNoun, tableTitle } from '../../common/records/fields.ts';
import { labelSql } from '../../common/records/labels.ts';
import { presentColumn, type ColumnFacts } from '../../common/records/presentation.ts';
import {
  TableQuerySchema,
  TableWriteSchema,
  type Row,
  type TableInfo,
  type TablePage,
  type TableQuery,
} from '../../common/rpc/contract.ts';
import { DOMAINS, SYNC_RULES, mayRead, readableRules, type TableRule } from '../../common/sync/rules.ts';
import { toPgArrayLiteral } from '../../common/sync/pg-array-literal.ts';
import { LOCAL_STATE_SCHEMA, localStateTableOf } from '../database/local-schema.ts';
import { localWriteCatalog } from '../outbox/local-operation.ts';
import { columnFacts } from './column-facts.ts';
import { followStatement } from './live-statement.ts';
import {
  HELPER_PREFIX,
  dateOnlyColumns,
  keyOf,
  pageOf,
  pageStatement,
  rowStatement,
  toPlainRow,
  type LabelPlan,
  type LocalColumn,
  type LocalTable,
  type PageRequest,
} from './table-sql.ts';

export type TableWrite = z.input<typeof TableWriteSchema>;
export type TableKey = Readonly<Record<string, string | number>>;

export interface TableServiceOptions {
  /** The local database (core/database/local-database.ts), with PGlite's live extension. */
  readonly db: PGliteInterface & { live: LiveNamespace };
  /**
   * Whether pages name their rows and the rows their references point to (default true). Off only to
   * measure what naming costs (bench/grid-query.ts).
   */
  readonly labels?: boolean;
}

interface Catalog {
  readonly tables: ReadonlyMap<string, LocalTable>;
  /** Columns never sent by the server (`server_only_columns`), by table. */
  readonly serverOnly: ReadonlyMap<string, ReadonlySet<string>>;
}

interface Description {
  readonly facts: ReadonlyMap<string, ColumnFacts>;
  readonly labels: LabelPlan;
}

interface CatalogRow {
  table_name: string;
  is_view: boolean;
  column_name: string;
  type: string;
  type_name: string;
  category: string;
  element_type: string;
  nullable: boolean;
  generated: boolean;
  pk_position: number | null;
}

/** What localStateTableOf appends to a table's name (`<t>_state`). */
const STATE_SUFFIX = localStateTableOf('');

const UNORDERED_TYPES: ReadonlySet<string> = new Set(['json', 'xml', 'point']);

const forbidden = (message: string, details: Record<string, unknown> = {}) =>
  new OutpostError('forbidden', message, details);
const invalid = (message: string, details: Record<string, unknown> = {}) =>
  new OutpostError('validation', message, details);

function encodingOf(row: CatalogRow): ValueEncoding {
  if (row.type_name === 'json' || row.type_name === 'jsonb') return 'json';
  if (row.category === 'A') return 'array';
  if (row.type_name === 'vector') return 'vector';
  return 'scalar';
}

/**
 * Every public relation with a sync rule, with its columns. Nullability, generated columns and the
 * primary key of a view come from the table under it (local.<t>_state): that is the relation writes are
 * checked against (synced.<t> stores server state as sent, without NOT NULL).
 */
async function loadCatalog(db: PGliteInterface): Promise<Catalog> {
  const { rows } = await db.query<CatalogRow>(
    `WITH rel AS (
       SELECT c.relname::text AS table_name, c.oid AS public_oid, c.relkind = 'v' AS is_view,
              CASE WHEN c.relkind = 'v' THEN s.oid ELSE c.oid END AS base_oid
         FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
         LEFT JOIN pg_namespace ln ON ln.nspname = $2
         LEFT JOIN pg_class s ON s.relnamespace = ln.oid AND s.relname::text = c.relname::text || $3
                              AND s.relkind IN ('r', 'p')
        WHERE c.relkind IN ('r', 'p', 'v') AND c.relname::text = ANY ($1::text[]))
     SELECT rel.table_name, rel.is_view, a.attname::text AS column_name,
            format_type(a.atttypid, a.atttypmod) AS type, t.typname::text AS type_name,
            t.typcategory::text AS category, coalesce(et.typname::text, '') AS element_type,
            NOT coalesce(b.attnotnull, a.attnotnull) AS nullable,
            coalesce(b.attgenerated <> '', false) AS generated,
            (SELECT k.ord::int FROM pg_index i, unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
              WHERE i.indrelid = rel.base_oid AND i.indisprimary AND k.attnum = b.attnum) AS pk_position
       FROM rel
       JOIN pg_attribute a ON a.attrelid = rel.public_oid AND a.attnum > 0 AND NOT a.attisdropped
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_type et ON t.typcategory = 'A' AND et.oid = t.typelem
       LEFT JOIN pg_attribute b ON b.attrelid = rel.base_oid AND b.attname = a.attname AND NOT b.attisdropped
      ORDER BY rel.table_name, a.attnum`,
    [toPgArrayLiteral([...SYNC_RULES.keys()]), LOCAL_STATE_SCHEMA, STATE_SUFFIX],
  );
  const byTable = new Map<string, CatalogRow[]>();
  for (const row of rows) {
    if (row.column_name.startsWith(HELPER_PREFIX))
      throw new Error(`table catalog: ${row.table_name}.${row.column_name} collides with the page statement`);
    let list = byTable.get(row.table_name);
    if (!list) byTable.set(row.table_name, (list = []));
    list.push(row);
  }
  const tables = new Map<string, LocalTable>();
  for (const [name, columnRows] of byTable) {
    const columns = new Map<string, LocalColumn>(
      columnRows.map((r) => [
        r.column_name,
        {
          name: r.column_name,
          type: r.type,
          nullable: r.nullable,
          generated: r.generated,
          encoding: encodingOf(r),
          comparable: !UNORDERED_TYPES.has(r.type_name) && !UNORDERED_TYPES.has(r.element_type),
          dateOnly: r.type_name === 'date',
        },
      ]),
    );
    const primaryKey = columnRows
      .filter((r) => r.pk_position !== null)
      .sort((a, b) => (a.pk_position ?? 0) - (b.pk_position ?? 0))
      .map((r) => r.column_name);
    tables.set(name, { name, kind: columnRows[0]?.is_view ? 'view' : 'table', columns, primaryKey });
  }

  const serverOnly = new Map<string, Set<string>>();
  const { rows: registry } = await db.query<{ present: boolean }>(
    `SELECT to_regclass('public.server_only_columns') IS NOT NULL AS present`,
  );
  if (registry[0]?.present) {
    const { rows: secrets } = await db.query<{ table_name: string; column_name: string }>(
      `SELECT table_name::text AS table_name, column_name::text AS column_name FROM public.server_only_columns`,
    );
    for (const s of secrets) {
      let set = serverOnly.get(s.table_name);
      if (!set) serverOnly.set(s.table_name, (set = new Set()));
      set.add(s.column_name);
    }
  }
  return { tables, serverOnly };
}

/** The request as the contract's schema parses it, or a `validation` error naming the fields. */
function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues
    .map((i) => `${i.path.map(String).join('.') || 'params'}: ${i.message}`)
    .join('; ');
  throw invalid(`Invalid ${what}: ${issues}.`);
}

/**
 * A database error as an OutpostError (database-errors.ts), naming the table rather than its local
 * state table; other errors unchanged.
 */
function asOutpostError(error: unknown, table: string, constraints?: ConstraintLookup): unknown {
  if (isOutpostError(error)) return error;
  const state = sqlStateOf(error);
  if (state === '42883' || state === '42804')
    return new OutpostError(
      'validation',
      `A filter or sort of ${table} does not fit its column's type: ${(error as Error).message}.`,
      { sqlstate: state },
      { cause: error },
    );
  const mapped = mapDatabaseError(error, constraints);
  if (!mapped) return error;
  const message = mapped.message.split(`"${localStateTableOf(table)}"`).join(`"${table}"`);
  return new OutpostError(mapped.code, message, mapped.details, { cause: error });
}

/** The lifecycle machine of a column, if it has one (common/lifecycles). */
function lifecycleColumnOf(table: string, column: string): string | null {
  const binding = lifecycleFor(table);
  return binding?.column === column ? binding.lifecycle.name : null;
}

export class TableService {
  private readonly db: PGliteInterface & { live: LiveNamespace };
  private catalogLoad: Promise<Catalog> | null = null;
  private readonly infoCache = new Map<string, readonly TableInfo[]>();
  private readonly descriptions = new Map<string, Promise<Description>>();

  private readonly labels: boolean;

  constructor(options: TableServiceOptions) {
    this.db = options.db;
    this.labels = options.labels ?? true;
  }

  /** Every table `permissions` may read that exists locally, in domain order, with what they may write. */
  async tables(permissions: ReadonlySet<string>): Promise<TableInfo[]> {
    const cacheKey = [...permissions].sort().join('\n');
    const cached = this.infoCache.get(cacheKey);
    if (cached) return [...cached];
    const catalog = await this.catalog();
    const infos: TableInfo[] = [];
    for (const rule of readableRules(permissions)) {
      const table = catalog.tables.get(rule.table);
      if (!table) continue;
      const domain = DOMAINS.find((d) => d.id === rule.domain);
      const { facts } = await this.described(table);
      const names = [...table.columns.keys()];
      infos.push({
        table: table.name,
        title: tableTitle(table.name),
        noun: tableNoun(table.name),
        domain: rule.domain,
        domainLabel: domain?.label ?? rule.domain,
        primaryKey: [...table.primaryKey],
        columns: [...table.columns.values()].map((c) => ({
          name: c.name,
          type: c.type,
          nullable: c.nullable,
          presentation: presentColumn(table.name, c.name, c.type, names, facts.get(c.name)),
        })),
        writable: await this.writableFor(rule, table, permissions),
        hasTenant: table.columns.has('tenant_id'),
      });
    }
    this.infoCache.set(cacheKey, infos);
    return [...infos];
  }

  /** One page of a readable table and the number of rows matching the filters. */
  async query(permissions: ReadonlySet<string>, query: TableQuery): Promise<TablePage> {
    const { table, statement } = await this.pagePlan(permissions, query);
    try {
      const { rows } = await this.db.query<Record<string, unknown>>(statement.text, statement.params);
      return pageOf(table, rows);
    } catch (error) {
      throw asOutpostError(error, table.name);
    }
  }

  /**
   * `query`, live: `emit` gets the first page before this resolves, then every page that differs from
   * the last one emitted (rows or total) after a change to the table, whether a local write through
   * the view or server state arriving in synced.<t>. `fail` gets an error raised after the start
   * (turning a page into plain values, or `emit` throwing). Resolves to a function that stops it.
   *
   * PGlite 0.5's live query re-runs the statement on every change of an underlying relation without
   * reporting failures of that re-run to its caller (the statement is fixed and already ran once,
   * so only a closed database makes it fail).
   */
  async liveQuery(
    permissions: ReadonlySet<string>,
    query: TableQuery,
    emit: (page: TablePage) => void,
    fail: (error: unknown) => void,
  ): Promise<() => void> {
    const { table, statement } = await this.pagePlan(permissions, query);
    try {
      return await followStatement(this.db, statement, (rows) => pageOf(table, rows), emit, fail);
    } catch (error) {
      throw asOutpostError(error, table.name);
    }
  }

  /** The row of a readable table with primary key `key` (exactly the primary key), or null. */
  async get(permissions: ReadonlySet<string>, tableName: string, key: TableKey): Promise<Row | null> {
    const { table } = await this.readable(permissions, tableName);
    const statement = rowStatement(table, keyOf(table, key));
    try {
      const { rows } = await this.db.query<Record<string, unknown>>(statement.text, statement.params);
      const row = rows[0];
      return row ? toPlainRow(row, dateOnlyColumns(table)) : null;
    } catch (error) {
      throw asOutpostError(error, table.name);
    }
  }

  /**
   * Inserts, updates or deletes one row through the table's view, in one transaction, with the write
   * path the server runs (common/mutations/table-mutation.ts: the table's rule, the actor's tenants,
   * stamped columns); returns the id of the outbox mutation it created (the id the server will know the
   * write by).
   */
  async write(
    permissions: ReadonlySet<string>,
    actor: MutationActor,
    request: TableWrite,
  ): Promise<{ mutationId: string }> {
    const write = parseWith(TableWriteSchema, request, 'table write');
    const { table } = await this.readable(permissions, write.table);
    const catalog = await localWriteCatalog(this.db);
    const prepared = prepareTableMutation(
      {
        id: globalThis.crypto.randomUUID(),
        table: write.table,
        op: write.op,
        ...(write.key ? { key: write.key } : {}),
        values: write.values,
      },
      { actor: { ...actor, permissions }, catalog },
    );
    if (table.kind !== 'view')
      throw forbidden(`${table.name} has no local write path on this device; it cannot be written here.`);
    try {
      return await this.db.transaction(async (tx) => {
        await prepared.run(tx);
        const { rows } = await tx.query<{ id: string }>(
          `SELECT id::text AS id FROM outbox.mutations WHERE local_txid = pg_current_xact_id()
            ORDER BY seq DESC LIMIT 1`,
        );
        const mutationId = rows[0]?.id;
        if (mutationId === undefined)
          throw invalid(`The update changes nothing in ${table.name}: every value equals the current one.`, {
            unchanged: true,
          });
        return { mutationId };
      });
    } catch (error) {
      throw asOutpostError(error, table.name, catalog.constraint);
    }
  }

  /** The rule and catalog entry of a table `permissions` may read (else `validation` / `forbidden`). */
  private async readable(
    permissions: ReadonlySet<string>,
    name: string,
  ): Promise<{ table: LocalTable; rule: TableRule; catalog: Catalog }> {
    const rule = SYNC_RULES.get(name);
    if (!rule)
      throw invalid(`There is no table ${JSON.stringify(name.slice(0, 63))}.`, { table: name.slice(0, 63) });
    if (!mayRead(rule, permissions))
      throw forbidden(`Reading ${name} needs the permission ${rule.read ?? ''}.`, {
        table: name,
        permission: rule.read,
      });
    const catalog = await this.catalog();
    const table = catalog.tables.get(name);
    if (!table) throw invalid(`The table ${name} does not exist in the local database.`, { table: name });
    return { table, rule, catalog };
  }

  private async pagePlan(
    permissions: ReadonlySet<string>,
    query: TableQuery,
  ): Promise<{ table: LocalTable; statement: ReturnType<typeof pageStatement> }> {
    const request: PageRequest & { table: string } = parseWith(TableQuerySchema, query, 'table query');
    const { table } = await this.readable(permissions, request.table);
    const { labels } = await this.described(table);
    return { table, statement: pageStatement(table, request, labels) };
  }

  /**
   * What the catalog knows of a table's columns (references, choices, lifecycles) and how its pages
   * name rows, computed once per table.
   */
  private described(table: LocalTable): Promise<Description> {
    let found = this.descriptions.get(table.name);
    if (!found) {
      found = this.describe(table);
      this.descriptions.set(table.name, found);
      found.catch(() => this.descriptions.delete(table.name));
    }
    return found;
  }

  private async describe(table: LocalTable): Promise<Description> {
    const [catalog, writes] = await Promise.all([this.catalog(), localWriteCatalog(this.db)]);
    const names = [...table.columns.keys()];
    const facts = columnFacts(writes, table.name, names, lifecycleColumnOf);
    if (!this.labels) return { facts, labels: { row: () => `''`, references: [] } };
    const references: LabelPlan['references'][number][] = [];
    for (const [column, fact] of facts) {
      const referenced = fact.references ? catalog.tables.get(fact.references) : undefined;
      if (!referenced) continue;
      const referencedColumns = [...referenced.columns.keys()];
      references.push({
        column,
        table: referenced.name,
        array: table.columns.get(column)?.type.endsWith('[]') ?? false,
        label: (alias) => labelSql(referenced.name, referencedColumns, alias),
      });
    }
    return { facts, labels: { row: (alias) => labelSql(table.name, names, alias), references } };
  }

  /** What a holder of `permissions` may write in `table` (null: nothing), as the write path allows it. */
  private async writableFor(
    rule: TableRule,
    table: LocalTable,
    permissions: ReadonlySet<string>,
  ): Promise<TableInfo['writable']> {
    const write = rule.write;
    if (!write || !permissions.has(write.permission) || table.kind !== 'view') return null;
    const info = (await localWriteCatalog(this.db)).table(table.name);
    if (!info) return null;
    return {
      operations: [...write.operations],
      insertColumns: write.operations.includes('insert') ? [...info.insertColumns] : [],
      updateColumns: write.operations.includes('update') ? [...info.updateColumns] : [],
    };
  }

  private catalog(): Promise<Catalog> {
    if (!this.catalogLoad) {
      this.catalogLoad = loadCatalog(this.db);
      this.catalogLoad.catch(() => {
        this.catalogLoad = null;
      });
    }
    return this.catalogLoad;
  }
}
