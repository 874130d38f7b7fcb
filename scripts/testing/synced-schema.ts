/**
 * scripts/testing/synced-schema.ts: the whole schema synced from central PostgreSQL into a local
 * PGlite through @electric-sql/pglite-sync, and compared table by table.
 *
 *   central catalog ─► syncableTables() ─► one pglite-sync shape per table (generated columns left out)
 *   createMigratedSyncPGlite() ─► relaxForSyncApplier() ─► syncShapesToTables ─► tableFingerprint() both sides
 *
 * relaxForSyncApplier() is test scaffolding standing in for a client-only migration that does not
 * exist yet: it makes every foreign key INITIALLY DEFERRED (pglite-sync writes one table after the
 * other inside one transaction, so a child row may come before its parent) and disables the user
 * triggers of the local tables (the business-rule triggers of migrations/shared/0050 and 0051 would
 * refuse or rewrite server state that the applier must store as it is). Constraint triggers of
 * foreign keys stay enabled: the synced data must still satisfy every key at commit.
 *
 * Fingerprints read each table as its row text (`t::text`) under fixed display settings, so two
 * databases agree only when every value of every row prints the same.
 */
import { PGlite } from '@electric-sql/pglite';
import { live } from '@electric-sql/pglite/live';
import { vector } from '@electric-sql/pglite-pgvector';
import { electricSync, type ShapeToTableOptions } from '@electric-sql/pglite-sync';
import { withArrayLiterals } from '../../common/sync/pg-array-literal.ts';
import { PGLITE_SHAPE_PARSERS } from '../../common/sync/shape-parsers.ts';
import { createMigratedPGlite } from './migrated.ts';

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
  const migrated = await createMigratedPGlite();
  const dump = await migrated.dumpDataDir('none');
  await migrated.close();
  return PGlite.create({ extensions: { vector, live, sync: electricSync() }, loadDataDir: dump });
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

/** Every table of `public` (partitioned ones by their root), except the migration ledger. */
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
              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '') AS columns,
            (SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a
              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated <> '') AS generated
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
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
 * the PGlite parsers, array literals, and only the columns a client can write.
 */
export function tableShape(shapeUrl: string, table: SyncableTable): ShapeToTableOptions {
  return {
    shape: {
      url: shapeUrl,
      params: { table: table.name, columns: [...table.columns] },
      // pglite-sync bundles its own @electric-sql/client, whose Parser type cannot name Uint8Array.
      parser: PGLITE_SHAPE_PARSERS as unknown as NonNullable<ShapeToTableOptions['shape']['parser']>,
    },
    table: table.name,
    primaryKey: [...table.primaryKey],
    mapColumns: (message) => withArrayLiterals(message.value as Record<string, unknown>),
  };
}

const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

export interface ApplierRelaxation {
  /** `table.constraint` of every foreign key made INITIALLY DEFERRED. */
  readonly deferredForeignKeys: readonly string[];
  /** `table: trigger, ...` of every table whose user triggers were disabled. */
  readonly disabledTriggers: readonly string[];
}

/**
 * Lets pglite-sync store server state as it is (see the module header). Local only: never run it on
 * a central database.
 */
export async function relaxForSyncApplier(db: PGlite): Promise<ApplierRelaxation> {
  const fks = await db.query<{ rel: string; name: string }>(
    `SELECT conrelid::regclass::text AS rel, conname::text AS name FROM pg_constraint
      WHERE contype = 'f' AND connamespace = 'public'::regnamespace AND conparentid = 0
        AND NOT (condeferrable AND condeferred)
      ORDER BY 1, 2`,
  );
  const triggers = await db.query<{ rel: string; names: string }>(
    `SELECT tgrelid::regclass::text AS rel, string_agg(tgname::text, ', ' ORDER BY tgname) AS names
       FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
      WHERE NOT t.tgisinternal AND c.relnamespace = 'public'::regnamespace
      GROUP BY 1 ORDER BY 1`,
  );
  await db.transaction(async (tx) => {
    for (const fk of fks.rows)
      await tx.exec(`ALTER TABLE ${fk.rel} ALTER CONSTRAINT ${ident(fk.name)} DEFERRABLE INITIALLY DEFERRED`);
    for (const t of triggers.rows) await tx.exec(`ALTER TABLE ${t.rel} DISABLE TRIGGER USER`);
  });
  return {
    deferredForeignKeys: fks.rows.map((fk) => `${fk.rel}.${fk.name}`),
    disabledTriggers: triggers.rows.map((t) => `${t.rel}: ${t.names}`),
  };
}

/**
 * Deletes the rows the local migrations put into synced tables (reference data of 0050 and 0060):
 * pglite-sync inserts the server's copy of every row with a plain INSERT, so a row already present
 * fails the whole apply with a duplicate key. Returns the number of rows removed per table.
 * Run after relaxForSyncApplier (the append-only and lifecycle triggers would refuse the deletes).
 */
export async function emptyPrefilledTables(
  db: PGlite,
  tables: readonly string[],
): Promise<Record<string, number>> {
  const removed: Record<string, number> = {};
  await db.transaction(async (tx) => {
    for (const table of tables) {
      const { affectedRows } = await tx.query(`DELETE FROM ${ident(table)}`);
      if (affectedRows) removed[table] = affectedRows;
    }
  });
  return removed;
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
