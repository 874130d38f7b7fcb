/**
 * sync-server/shapes/subset.ts: a subset snapshot of a shape (Electric's `subset__*` requests):
 * the shape's current rows that also match the subset's where, ordered and paged, with the snapshot
 * metadata a client needs to merge them with the shape's live log.
 *
 *   BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY
 *   SELECT pg_current_snapshot(), pg_current_wal_insert_lsn()  -- first statement: takes the snapshot
 *   SELECT set_config(...)   display settings, the shape's where values, then the subset's
 *   COPY (SELECT <shape columns> FROM t WHERE (<shape where>) AND (<subset where>)
 *         ORDER BY ... LIMIT ... OFFSET ...) TO STDOUT
 *   COMMIT
 *
 * Guarantees:
 *   - Never wider than the shape: the subset's where is its own parsed, bound tree, compiled apart and
 *     ANDed in SQL with the shape's where (which, for a gated shape, holds the tenant scope); the
 *     caller runs this on a connection with the shape's row-level security context. Only the shape's
 *     columns are read. Values are bound into settings, never into the SQL text.
 *   - The rows are insert messages byte-identical to the shape log's snapshot rows, plus a
 *     `snapshot_mark` header; `metadata` is Electric's: `xmin`, `xmax`, `xip_list` of the snapshot,
 *     `database_lsn` (the WAL insert position it was taken at: every transaction it sees committed
 *     below it) and `snapshot_mark`. The client drops a live change whose key is in the subset and
 *     whose transaction the snapshot saw, and stops checking once the stream passes `database_lsn`.
 */
import { randomInt } from 'node:crypto';
import type pg from 'pg';
import { OutpostError } from '../../common/errors.ts';
import { CopyJsonEncoder } from './copy-text.ts';
import type { MessageShape } from './messages.ts';
import { copyEncoded, parsePgSnapshot, setCopySettings } from './snapshot.ts';
import type { TableColumn } from './table-schema.ts';
import { WhereBinder, type Bound } from './where/bind.ts';
import { orderBySql, parseOrderBy } from './where/order-by.ts';
import { parseWhere } from './where/parser.ts';
import { compileWhere, quoteIdent } from './where/to-sql.ts';

/** What a client asks of a subset (sync-server/http/subset-params.ts reads it). */
export interface Subset {
  readonly where: string | null;
  readonly params: Readonly<Record<string, string>>;
  readonly orderBy: string | null;
  readonly limit: number | null;
  readonly offset: number | null;
}

/** Electric's subset snapshot metadata (the client's `SnapshotMetadata`). */
export interface SubsetMetadata {
  readonly xmin: string;
  readonly xmax: string;
  readonly xip_list: string[];
  readonly database_lsn: string;
  readonly snapshot_mark: number;
}

export interface SubsetResult {
  readonly metadata: SubsetMetadata;
  /** The rows' insert messages, each followed by a comma. */
  readonly rows: readonly Uint8Array[];
  readonly count: number;
}

/** The shape a subset is taken of. */
export interface SubsetSource {
  readonly schema: string;
  readonly table: string;
  readonly tableColumns: readonly TableColumn[];
  readonly messages: MessageShape;
  /** The shape's bound where (null: every row of the table). */
  readonly predicate: Bound | null;
}

/** The subset's where and order, checked against the table; throws 400s naming the parameter. */
function compileSubset(source: SubsetSource, subset: Subset, firstParam: number) {
  let where: { sql: string; params: readonly (string | null)[] } | null = null;
  if (subset.where !== null) {
    try {
      const bound = new WhereBinder(source.tableColumns, subset.params).bindPredicate(
        parseWhere(subset.where),
      );
      where = compileWhere(bound, firstParam, 'setting');
    } catch (error) {
      if (error instanceof OutpostError)
        throw new OutpostError(error.code, error.message, { ...error.details, param: 'subset__where' });
      throw error;
    }
  }
  let order: string | null = null;
  if (subset.orderBy !== null) {
    const terms = parseOrderBy(subset.orderBy);
    const known = new Set(source.tableColumns.map((c) => c.name));
    const unknown = terms.find((t) => !known.has(t.column));
    if (unknown)
      throw new OutpostError(
        'validation',
        `Invalid subset order_by: unknown column ${JSON.stringify(unknown.column)}.`,
        {
          param: 'subset__order_by',
        },
      );
    order = orderBySql(terms);
  }
  return { where, order };
}

export async function runSubset(
  client: pg.ClientBase,
  source: SubsetSource,
  subset: Subset,
): Promise<SubsetResult> {
  const shapeWhere = source.predicate ? compileWhere(source.predicate, 1, 'setting') : null;
  const { where, order } = compileSubset(source, subset, (shapeWhere?.params.length ?? 0) + 1);
  const mark = randomInt(0, 2 ** 31 - 1);
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const head = await client.query<{ snapshot: string; lsn: string }>(
      `SELECT pg_current_snapshot()::text AS snapshot, (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::text AS lsn`,
    );
    const snapshot = parsePgSnapshot(head.rows[0]?.snapshot ?? '0:0:');
    const values = [...(shapeWhere?.params ?? []), ...(where?.params ?? [])];
    await setCopySettings(client, values);
    const conditions = [shapeWhere?.sql, where?.sql].filter((c): c is string => c !== undefined);
    const sql =
      `COPY (SELECT ${source.messages.columns.map(quoteIdent).join(', ')} FROM ${quoteIdent(source.schema)}.${quoteIdent(source.table)}` +
      (conditions.length > 0 ? ` WHERE ${conditions.map((c) => `(${c})`).join(' AND ')}` : '') +
      (order ? ` ORDER BY ${order}` : '') +
      (subset.limit !== null ? ` LIMIT ${subset.limit}` : '') +
      (subset.offset !== null ? ` OFFSET ${subset.offset}` : '') +
      `) TO STDOUT`;
    const encoder = new CopyJsonEncoder(source.messages, source.messages.columns, { snapshot_mark: mark });
    const rows: Uint8Array[] = [];
    let count = 0;
    await copyEncoded(client, sql, encoder, (encoded) => {
      rows.push(Buffer.from(encoded.bytes)); // a copy: the encoder reuses its buffer
      count += encoded.count;
    });
    await client.query('COMMIT');
    return {
      metadata: {
        xmin: snapshot.xmin.toString(),
        xmax: snapshot.xmax.toString(),
        xip_list: snapshot.xip.map(String),
        database_lsn: head.rows[0]?.lsn ?? '0',
        snapshot_mark: mark,
      },
      rows,
      count,
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** The response body: `{"metadata": {...}, "data": [<rows>]}`. */
export function subsetBody(result: SubsetResult): Uint8Array[] {
  const parts: Uint8Array[] = [Buffer.from(`{"metadata":${JSON.stringify(result.metadata)},"data":[`)];
  const last = result.rows.length - 1;
  result.rows.forEach((bytes, i) => parts.push(i === last ? bytes.subarray(0, bytes.length - 1) : bytes));
  parts.push(Buffer.from(']}'));
  return parts;
}
