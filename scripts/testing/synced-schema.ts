/**
 * scripts/testing/synced-schema.ts: the whole schema synced from central PostgreSQL into a local
 * PGlite through @electric-sql/pglite-sync, and compared table by table.
 *
 *   central catalog ─► syncableTables() ─► one pglite-sync shape per table (generated columns left out,
 *   written where core/sync/applier-target.ts says: synced.<t> for writable tables, public.<t> otherwise)
 *   createMigratedSyncPGlite() (the local schema) ─► syncShapesToTables ─► tableFingerprint() both sides
 *   (locally through the public names: the views of the writable tables show their server state)
 *
 * The local schema's client migrations (migrations/client, docs/local-schema.md) do what the applier
 * needs: every foreign key INITIALLY DEFERRED (pglite-sync writes one table after the other inside one
 * transaction, so a child row may come before its parent), the business-rule triggers of
 * migrations/shared/0050, 0051 and 0300 off for server state, reference rows of the migrations accepted
 * again. relaxForSyncApplier() and emptyPrefilledTables() only report that now (they did it themselves
 * before those migrations existed).
 *
 * Fingerprints read each table as its row text (`t::text`) under fixed display settings, so two
 * databases agree only when every value of every row prints the same.
 */
import { PGlite } from '@electric-sql/pglite';
import { live } from '@electric-sql/pglite/live';
import { vector } from '@electric-sql/pglite-pgvector';
import { electricSync, type ShapeToTableOptions } from '@electric-sql/pglite-sync';
import { PGLITE_SHAPE_PARSERS } from '../../common/sync/shape-parsers.ts';
import { SYNCED_TXID_COLUMN } from '../../core/database/local-schema.ts';
import { applierTarget } from '../../core/sync/applier-target.ts';
import { migratedPGliteDump } from './migrated.ts';

/** Runs SQL and returns its rows: a pg.Client (`(s) => c.query(s).then((r) => r.rows)`) or a PGlite. */
export type RowsOf = <R>(sql: string) => Promise<R[]>;

/** Display settings under which central and local print every value the same way. */
export const FINGERPRINT_SETTINGS = [
  `SET TimeZone = 'UTC'`,
  `SET DateStyle = 'ISO, DMY'`,
  `SET extra_float_digits = 1`,
  `SET IntervalStyle = 'postgres'`,
  `SET bytea_output = 'hex'`,
].join('; ');

/** The local schema (shared + client migrations) with pglite-sync loaded as `db.sync`. */
export async function createMigratedSyncPGlite() {
  return PGlite.create({
    extensions: { vector, live, sync: electricSync() },
    loadDataDir: await migratedPGliteDump('local'),
  });
}

export type SyncPGlite = Awaited<ReturnType<typeof createMigratedSyncPGlite>>;

export interface SyncableTable {
  readonly name: string;
  readonly primaryKey: readonly string[];
  /** Columns a client can write (generated columns excluded), in table order. */
  readonly columns: readonly string[];
  readonly generated: readonly string[];
}

export interface SchemaTables {
  readonly tables: readonly SyncableTable[];
  /** Tables of the schema without a primary key (a shape needs one). */
  readonly withoutPrimaryKey: readonly string[];
}

/**
 * Every table of `public` (partitioned ones by their root), except the migration ledger. On a local
 * database, the server-state tables of `synced` stand for the writable tables (their public names are
 * views there), without their bookkeeping column.
 */
export async function syncableTables(rows: RowsOf): Promise<SchemaTables> {
  const found = await rows<{
    name: string;
    primary_key: string[] | null;
    columns: string[];
    generated: string[] | null;
  }>(
    `SELECT c.relname::text AS name,
            (SELECT array_agg(a.attname::text ORDER BY k.ord)
               FROM pg_index i, unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord), pg_attribute a
              WHERE i.indrelid = c.oid AND i.indisprimary AND a.attrelid = c.oid AND a.attnum = k.attnum) AS primary_key,
            (SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a
              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
                AND a.attname <> '${SYNCED_TXID_COLUMN}') AS columns,
            (SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a
              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated <> '') AS generated
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname IN ('public', 'synced') AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND c.relname <> 'schema_migrations'
      ORDER BY 1`,
  );
  return {
    tables: found
      .filter((t) => t.primary_key !== null)
      .map((t) => ({
        name: t.name,
        primaryKey: t.primary_key ?? [],
        columns: t.columns,
        generated: t.generated ?? [],
      })),
    withoutPrimaryKey: found.filter((t) => t.primary_key === null).map((t) => t.name),
  };
}

/**
 * The pglite-sync options for one whole table, with what a PGlite client must pass (docs/protocol.md):
 * the PGlite parsers, array literals, only the columns a client can write, and the local table the
 * applier writes (core/sync/applier-target.ts).
 */
export function tableShape(shapeUrl: string, table: SyncableTable): ShapeToTableOptions {
  const target = applierTarget(table.name);
  return {
    shape: {
      url: shapeUrl,
      params: { table: table.name, columns: [...table.columns] },
      // pglite-sync bundles its own @electric-sql/client, whose Parser type cannot name Uint8Array.
      parser: PGLITE_SHAPE_PARSERS as unknown as NonNullable<ShapeToTableOptions['shape']['parser']>,
    },
    schema: target.schema,
    table: target.table,
    primaryKey: [...table.primaryKey],
    mapColumns: target.mapColumns,
  };
}

/**
 * Subscribes `local` to whole-table shapes of `tables` (one pglite-sync subscription, so transactions
 * land whole), written where the local schema wants them; `errors` collects what pglite-sync reports.
 */
export async function syncWholeTables(
  local: SyncPGlite,
  shapeUrl: string,
  tables: readonly { readonly name: string; readonly primaryKey: readonly string[] }[],
  key: string,
  errors: unknown[] = [],
): Promise<{ unsubscribe(): void; readonly isUpToDate: boolean }> {
  return local.sync.syncShapesToTables({
    key,
    shapes: Object.fromEntries(
      tables.map((t) => {
        const target = applierTarget(t.name);
        const options: ShapeToTableOptions = {
          shape: {
            url: shapeUrl,
            params: { table: t.name },
            parser: PGLITE_SHAPE_PARSERS as unknown as NonNullable<ShapeToTableOptions['shape']['parser']>,
          },
          schema: target.schema,
          table: target.table,
          primaryKey: [...t.primaryKey],
          mapColumns: target.mapColumns,
        };
        return [t.name, options];
      }),
    ),
    onError: (error) => errors.push(error),
  });
}

const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

export interface ApplierRelaxation {
  /** `table.constraint` of every foreign key between server-state tables (all INITIALLY DEFERRED). */
  readonly deferredForeignKeys: readonly string[];
  /** `table: trigger, ...` of every table whose business-rule triggers are off for server state. */
  readonly disabledTriggers: readonly string[];
}

/**
 * What the local schema's client migrations do for the applier (see the module header), read back from
 * the catalog; throws if a foreign key is not deferred. Changes nothing: kept for its callers.
 */
export async function relaxForSyncApplier(db: PGlite): Promise<ApplierRelaxation> {
  const fks = await db.query<{ rel: string; name: string; deferred: boolean }>(
    `SELECT conrelid::regclass::text AS rel, conname::text AS name, condeferred AS deferred FROM pg_constraint
      WHERE contype = 'f' AND connamespace IN ('public'::regnamespace, 'synced'::regnamespace) AND conparentid = 0
      ORDER BY 1, 2`,
  );
  const immediate = fks.rows.filter((fk) => !fk.deferred);
  if (immediate.length > 0)
    throw new Error(`not deferred: ${immediate.map((fk) => `${fk.rel}.${fk.name}`).join(', ')}`);
  const triggers = await db.query<{ rel: string; names: string }>(
    `SELECT tgrelid::regclass::text AS rel, string_agg(tgname::text, ', ' ORDER BY tgname) AS names
       FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
      WHERE NOT t.tgisinternal AND t.tgenabled = 'D' AND c.relnamespace = 'public'::regnamespace
      GROUP BY 1 ORDER BY 1`,
  );
  return {
    deferredForeignKeys: fks.rows.map((fk) => `${fk.rel}.${fk.name}`),
    disabledTriggers: triggers.rows.map((t) => `${t.rel}: ${t.names}`),
  };
}

/**
 * Formerly deleted the reference rows the local migrations insert (0050, 0060), which pglite-sync's
 * plain INSERT of the server's copy would have hit as duplicate keys. The client migrations now accept
 * the server's copy of such a row as an update, so there is nothing to delete: returns `{}`.
 */
export function emptyPrefilledTables(
  _db: PGlite,
  _tables: readonly string[],
): Promise<Record<string, number>> {
  return Promise.resolve({});
}

export interface TableFingerprint {
  readonly rows: number;
  /** md5 over the sorted row texts, or null for an empty table. */
  readonly md5: string | null;
}

/** Row count and md5 of a table's rows as text; run FINGERPRINT_SETTINGS in the session first. */
export async function tableFingerprint(rows: RowsOf, table: string): Promise<TableFingerprint> {
  const [r] = await rows<{ n: number; md5: string | null }>(
    `SELECT count(*)::int AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS md5 FROM ${ident(table)} t`,
  );
  return { rows: r?.n ?? 0, md5: r?.md5 ?? null };
}

/** The row texts of `table` in one database that the other lacks (a few of each side). */
export async function sampleRowDiff(
  central: RowsOf,
  local: RowsOf,
  table: string,
  limit = 3,
): Promise<{ onlyCentral: string[]; onlyLocal: string[] }> {
  const texts = async (rows: RowsOf) =>
    (await rows<{ t: string }>(`SELECT t::text AS t FROM ${ident(table)} t`)).map((r) => r.t);
  const [c, l] = await Promise.all([texts(central), texts(local)]);
  const cs = new Set(c);
  const ls = new Set(l);
  return {
    onlyCentral: c.filter((t) => !ls.has(t)).slice(0, limit),
    onlyLocal: l.filter((t) => !cs.has(t)).slice(0, limit),
  };
}
