/**
 * sync-server/shapes/snapshot.ts: a shape's initial snapshot, consistent with the replication stream.
 *
 *   BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY
 *   SET LOCAL <Electric display settings>                  -- same text forms as replication
 *   SELECT pg_current_snapshot(), pg_current_wal_lsn()     -- xmin:xmax:xip of the data we read
 *   cursor over SELECT <key JSON>, <value JSON> FROM table WHERE <compiled where, bind parameters
 *   only>: PostgreSQL builds each row's JSON from its columns' output-function text
 *   COMMIT
 *
 * Rows are written to the shape log in batches as they are read (offsets 0_0, 0_1, ...), so memory
 * holds one batch, never the table; a `snapshot-end` control message with the snapshot's xmin, xmax
 * and xip list closes it. Replicated transactions are then filtered with `visibleInSnapshot`: a
 * transaction the snapshot already saw is skipped, every other one is appended. That is how no
 * change is lost or duplicated at the boundary.
 */
import type pg from 'pg';
import Cursor from 'pg-cursor';
import type { MessageShape } from './messages.ts';
import type { ShapeLog } from './shape-log.ts';
import type { CompiledSql } from './where/to-sql.ts';
import { quoteIdent } from './where/to-sql.ts';

export const ELECTRIC_SESSION_SETTINGS: Readonly<Record<string, string>> = {
  TimeZone: 'UTC',
  DateStyle: 'ISO, DMY',
  extra_float_digits: '1',
  IntervalStyle: 'iso_8601',
  bytea_output: 'hex',
};

export interface PgSnapshot {
  readonly xmin: bigint;
  readonly xmax: bigint;
  readonly xip: readonly bigint[];
}

export interface SnapshotResult {
  readonly snapshot: PgSnapshot;
  readonly rows: number;
  /** WAL position when the snapshot was taken. */
  readonly lsn: string;
}

const BATCH = 5_000;
/** SQL string literal for an identifier we already know (schema, table and column names). */
const literal = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const quote = (s: string): string => `"${s.replace(/"/g, '""')}"`;
const RAW_TEXT = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

export function parsePgSnapshot(text: string): PgSnapshot {
  const [xmin, xmax, xip = ''] = text.split(':');
  return {
    xmin: BigInt(xmin ?? '0'),
    xmax: BigInt(xmax ?? '0'),
    xip: xip === '' ? [] : xip.split(',').map((x) => BigInt(x)),
  };
}

/**
 * Whether a transaction (32-bit xid, as pgoutput's Begin carries it) is visible in a snapshot of
 * 64-bit xids: the xid is placed in the epoch of the snapshot's xmax (or the one before).
 */
export function visibleInSnapshot(xid: number, snapshot: PgSnapshot): boolean {
  const epoch = snapshot.xmax >> 32n;
  let full = (epoch << 32n) | BigInt(xid >>> 0);
  if (full > snapshot.xmax) full -= 1n << 32n;
  if (full < snapshot.xmin) return true;
  return full < snapshot.xmax && !snapshot.xip.includes(full);
}

export interface SnapshotQuery {
  readonly schema: string;
  readonly table: string;
  /** Columns to read: the shape's columns. */
  readonly columns: readonly string[];
  readonly where: CompiledSql | null;
}

export async function runSnapshot(
  client: pg.Client,
  query: SnapshotQuery,
  shape: MessageShape,
  log: ShapeLog,
): Promise<SnapshotResult> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    for (const [name, value] of Object.entries(ELECTRIC_SESSION_SETTINGS)) {
      await client.query(`SELECT set_config($1, $2, true)`, [name, value]);
    }
    const head = await client.query<{ snapshot: string; lsn: string }>(
      `SELECT pg_current_snapshot()::text AS snapshot, pg_current_wal_lsn()::text AS lsn`,
    );
    const snapshot = parsePgSnapshot(head.rows[0]?.snapshot ?? '0:0:');
    // PostgreSQL builds each row's key and value JSON (on its own core, in parallel with us); Node
    // only splices them into messages. `concat(col)` is the column's output-function text, exactly
    // what pgoutput sends for live changes (a ::text cast differs for bool, inet and char(n)).
    const text = (c: string) =>
      `CASE WHEN ${quoteIdent(c)} IS NULL THEN NULL ELSE concat(${quoteIdent(c)}) END`;
    const keySql =
      `to_json(${literal(`${quote(query.schema)}.${quote(query.table)}/`)} || ` +
      shape.primaryKey.map((c) => `'"' || replace(${text(c)}, '/', '//') || '"'`).join(` || '/' || `) +
      `)::text`;
    const valueSql = `json_object(ARRAY[${query.columns.map((c) => literal(c)).join(', ')}]::text[], ARRAY[${query.columns
      .map(text)
      .join(', ')}]::text[])::text`;
    const sql =
      `SELECT ${keySql} AS k, ${valueSql} AS v FROM ${quoteIdent(query.schema)}.${quoteIdent(query.table)}` +
      (query.where ? ` WHERE ${query.where.sql}` : '');
    const headers = JSON.stringify({ operation: 'insert', relation: [query.schema, query.table] });
    const cursor = client.query(
      new Cursor<[string, string]>(sql, [...(query.where?.params ?? [])], {
        rowMode: 'array',
        types: RAW_TEXT,
      }),
    );
    let n = 0;
    try {
      for (;;) {
        const rows = await cursor.read(BATCH);
        if (rows.length === 0) break;
        log.append(
          rows.map(([k, v]) => ({
            offset: { tx: 0n, op: n++ },
            json: `{"key":${k},"value":${v},"headers":${headers}}`,
          })),
        );
      }
    } finally {
      await cursor.close();
    }
    log.append([
      {
        offset: { tx: 0n, op: n },
        json: JSON.stringify({
          headers: {
            control: 'snapshot-end',
            xmin: snapshot.xmin.toString(),
            xmax: snapshot.xmax.toString(),
            xip_list: snapshot.xip.map(String),
          },
        }),
      },
    ]);
    await client.query('COMMIT');
    await log.flush();
    return { snapshot, rows: n, lsn: head.rows[0]?.lsn ?? '0/0' };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
