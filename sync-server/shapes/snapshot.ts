/**
 * sync-server/shapes/snapshot.ts: a shape's initial snapshot, consistent with the replication stream.
 *
 *   BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY
 *   SET LOCAL <Electric display settings>                  -- same text forms as replication
 *   SELECT pg_current_snapshot(), pg_current_wal_lsn()     -- xmin:xmax:xip of the data we read
 *   set_config(<where setting>, $value, true) for each where value (bound, never in SQL text)
 *   COPY (SELECT <columns> FROM table WHERE <compiled where, reading those settings>) TO STDOUT
 *   COMMIT
 *
 * Rows are written to the shape log in batches as they are read (offsets 0_0, 0_1, ...), so memory
 * holds one batch, never the table; a `snapshot-end` control message with the snapshot's xmin, xmax
 * and xip list closes it. Replicated transactions are then filtered with `visibleInSnapshot`: a
 * transaction the snapshot already saw is skipped, every other one is appended. That is how no
 * change is lost or duplicated at the boundary.
 */
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { TextRow } from '../replication/types.ts';
import { CopyLineSplitter, parseCopyLine } from './copy-text.ts';
import { rowKey, type MessageShape } from './messages.ts';
import type { ShapeLog } from './shape-log.ts';
import type { Bound } from './where/bind.ts';
import { compileWhere, quoteIdent, whereSettingName } from './where/to-sql.ts';

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
  // The 32-bit xid lies within 2^31 of xmax: put it in the epoch that makes it nearest.
  const epoch = snapshot.xmax >> 32n;
  let full = (epoch << 32n) | BigInt(xid >>> 0);
  if (full > snapshot.xmax + (1n << 31n)) full -= 1n << 32n;
  else if (full < snapshot.xmax - (1n << 31n)) full += 1n << 32n;
  if (full >= snapshot.xmax) return false; // started after the snapshot
  if (full < snapshot.xmin) return true;
  return !snapshot.xip.includes(full);
}

export interface SnapshotQuery {
  readonly schema: string;
  readonly table: string;
  /** Columns to read: the shape's columns. */
  readonly columns: readonly string[];
  /** The bound `where`, or null for the whole table. */
  readonly where: Bound | null;
}

export async function runSnapshot(
  client: pg.Client,
  query: SnapshotQuery,
  shape: MessageShape,
  log: ShapeLog,
  onRows: () => void = () => undefined,
): Promise<SnapshotResult> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    for (const [name, value] of Object.entries(ELECTRIC_SESSION_SETTINGS)) {
      await client.query(`SELECT set_config($1, $2, true)`, [name, value]);
    }
    // COPY takes no parameters: the where clause's values are bound into transaction-local settings
    // (parameterised set_config), and the COPY text refers to them by name. No value enters SQL text.
    const where = query.where ? compileWhere(query.where, 1, 'setting') : null;
    for (const [i, value] of (where?.params ?? []).entries()) {
      await client.query(`SELECT set_config($1, $2, true)`, [whereSettingName(i + 1), value]);
    }
    const head = await client.query<{ snapshot: string; lsn: string }>(
      `SELECT pg_current_snapshot()::text AS snapshot, pg_current_wal_lsn()::text AS lsn`,
    );
    const snapshot = parsePgSnapshot(head.rows[0]?.snapshot ?? '0:0:');
    // COPY's text format is each column's output-function text: exactly what pgoutput sends live.
    const sql =
      `COPY (SELECT ${query.columns.map(quoteIdent).join(', ')} FROM ${quoteIdent(query.schema)}.${quoteIdent(query.table)}` +
      (where ? ` WHERE ${where.sql}` : '') +
      `) TO STDOUT`;
    const encode = snapshotEncoder(shape, query.columns);
    const splitter = new CopyLineSplitter();
    let n = 0;
    await new Promise<void>((resolve, reject) => {
      const stream = client.query(copyTo(sql));
      stream.on('data', (chunk: Buffer) => {
        try {
          const lines = splitter.push(chunk);
          if (lines.length > 0) {
            log.append(
              lines.map((line) => ({ offset: { tx: 0n, op: n++ }, json: encode(parseCopyLine(line)) })),
            );
            onRows(); // readers may serve these rows while the rest is still coming
          }
        } catch (error) {
          stream.destroy(error as Error);
        }
      });
      stream.on('end', () => {
        try {
          splitter.end();
          resolve();
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
      stream.on('error', reject);
    });
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

/**
 * Encodes a snapshot row (its columns' text, in `columns` order) as an insert message, the same
 * JSON `snapshotInsert` produces, with the constant parts precomputed.
 */
export function snapshotEncoder(
  shape: MessageShape,
  columns: readonly string[],
): (values: (string | null)[]) => string {
  const names = columns.map((c) => `${JSON.stringify(c)}:`);
  const tail = `},"headers":${JSON.stringify({ operation: 'insert', relation: [shape.schema, shape.table] })}}`;
  const keyIndex = shape.primaryKey.map((c) => columns.indexOf(c));
  return (values) => {
    const row: TextRow = {};
    keyIndex.forEach((i, k) => (row[shape.primaryKey[k] as string] = values[i] ?? null));
    let json = `{"key":${JSON.stringify(rowKey(shape, row))},"value":{`;
    for (let i = 0; i < names.length; i++) {
      const v = values[i];
      json += `${i === 0 ? '' : ','}${names[i] as string}${v === null || v === undefined ? 'null' : JSON.stringify(v)}`;
    }
    return json + tail;
  };
}
