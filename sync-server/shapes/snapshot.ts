/**
 * sync-server/shapes/snapshot.ts: a shape's initial snapshot, consistent with the replication stream.
 *
 *   BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY
 *   SELECT pg_current_snapshot(), pg_current_wal_insert_lsn()   -- first statement: takes the snapshot
 *   SELECT set_config(...)   <Electric display settings> and the where values (bound, never in SQL text)
 *   COPY (SELECT <columns> FROM table WHERE <compiled where, reading those settings>) TO STDOUT
 *   COMMIT
 *
 * The transaction's snapshot is taken by its first statement, and that statement also reads it
 * (xmin:xmax:xip) and the WAL insert position, so both describe exactly the data COPY reads: every
 * transaction the snapshot sees committed before that position (its commit record was inserted
 * before it left the running set), which is what lets the engine compare commit LSNs with it.
 *
 * COPY's text is turned into insert messages as it arrives (copy-text.ts, bytes to bytes, one
 * chunk of about 64 KiB at a time) and written to the shape log chunk by chunk (offsets 0_0, 0_1,
 * ...), in COPY's order; readers are woken after each, so rows are served while the rest is still
 * coming. Memory holds one chunk and its messages, never the table. A `snapshot-end` control
 * message with the snapshot's xmin, xmax and xip list closes it. Replicated transactions are then
 * filtered with `visibleInSnapshot`: a transaction the snapshot already saw is skipped, every other
 * one is appended. That is how no change is lost or duplicated at the boundary.
 *
 * A `changes_only` shape (`rows: false`) takes the snapshot the same way but reads no rows: its log
 * is just `snapshot-end` at 0_0, then every transaction the snapshot did not see.
 */
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { CopyJsonEncoder, type EncodedRows } from './copy-text.ts';
import type { MessageShape } from './messages.ts';
import { KEPT_BYTES, type ShapeLog } from './shape-log.ts';
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

/**
 * Binds, for this transaction, Electric's session settings and the values of a compiled where clause
 * (`whereSettingName(n)`): COPY takes no parameters, so its text names the settings instead.
 */
export async function setCopySettings(
  client: pg.ClientBase,
  whereValues: readonly (string | null)[],
): Promise<void> {
  const settings = [
    ...Object.entries(ELECTRIC_SESSION_SETTINGS),
    ...whereValues.map((value, i) => [whereSettingName(i + 1), value] as const),
  ];
  await client.query(
    `SELECT set_config(name, value, true) FROM unnest($1::text[], $2::text[]) AS s(name, value)`,
    [settings.map(([name]) => name), settings.map(([, value]) => value)],
  );
}

/**
 * Runs `COPY (...) TO STDOUT` and hands each batch of encoded rows to `onRows` as it arrives (the
 * encoder reuses its buffer: copy what you keep); resolves once the encoder has seen the end, rejects
 * on a COPY or encoding error.
 */
export function copyEncoded(
  client: pg.ClientBase,
  sql: string,
  encoder: CopyJsonEncoder,
  onRows: (rows: EncodedRows) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const stream = client.query(copyTo(sql));
    stream.on('data', (chunk: Buffer) => {
      try {
        const rows = encoder.push(chunk);
        if (rows.count > 0) onRows(rows);
      } catch (error) {
        stream.destroy(error instanceof Error ? error : new Error(String(error)));
      }
    });
    stream.on('end', () => {
      try {
        encoder.end();
        resolve();
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    stream.on('error', reject);
  });
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
  /** False for a `changes_only` shape: take the snapshot (for its xmin/xmax/xip) but read no rows. */
  readonly rows?: boolean;
}

/** The most recent snapshot bytes a log keeps in memory while the snapshot is written. */
const SNAPSHOT_KEPT_BYTES = 4 * 1024 * 1024;

export async function runSnapshot(
  client: pg.Client,
  query: SnapshotQuery,
  shape: MessageShape,
  log: ShapeLog,
  onRows: () => void = () => undefined,
): Promise<SnapshotResult> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    // The first statement takes the snapshot: read it and the WAL position in that same statement.
    const head = await client.query<{ snapshot: string; lsn: string }>(
      `SELECT pg_current_snapshot()::text AS snapshot, pg_current_wal_insert_lsn()::text AS lsn`,
    );
    const snapshot = parsePgSnapshot(head.rows[0]?.snapshot ?? '0:0:');
    // COPY takes no parameters: the where clause's values are bound into transaction-local settings
    // (parameterised set_config), and the COPY text refers to them by name. No value enters SQL text.
    const where = query.where ? compileWhere(query.where, 1, 'setting') : null;
    await setCopySettings(client, where?.params ?? []);
    // COPY's text format is each column's output-function text: exactly what pgoutput sends live.
    const sql =
      `COPY (SELECT ${query.columns.map(quoteIdent).join(', ')} FROM ${quoteIdent(query.schema)}.${quoteIdent(query.table)}` +
      (where ? ` WHERE ${where.sql}` : '') +
      `) TO STDOUT`;
    const encoder = new CopyJsonEncoder(shape, query.columns);
    let n = 0;
    if (query.rows !== false) {
      // Readers follow the writer a response behind (shape-route.ts lingers for 1 MiB): they are
      // served the frames just written from memory rather than by reading them back from the file.
      log.keepRecentFrames(SNAPSHOT_KEPT_BYTES);
      try {
        await copyEncoded(client, sql, encoder, (rows) => {
          log.appendEncoded(0n, n, rows);
          n += rows.count;
          onRows(); // readers may serve these rows while the rest is still coming
        });
      } finally {
        log.keepRecentFrames(KEPT_BYTES);
      }
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
