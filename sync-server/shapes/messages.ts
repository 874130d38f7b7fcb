/**
 * sync-server/shapes/messages.ts: builds the Shape protocol's change messages, the same way for
 * snapshot rows and for replicated changes, so a row has one key and one encoding everywhere.
 *
 *   key     "schema"."table"/"pk1"/"pk2"   ('/' inside a key value is doubled)
 *   value   column -> PostgreSQL text or null, restricted to the shape's columns; for updates with
 *           replica=default only the key and the changed columns; for deletes only the key
 *   headers operation, relation, and for replicated changes lsn, op_position, txids, last
 *
 * Snapshot rows from COPY are written by copy-text.ts straight to bytes; `snapshotInsertTemplate`
 * gives it this module's constant parts of the message, so the layout is still defined only here
 * (and copy-text.test.ts checks its output against `snapshotInsert`).
 *
 * Membership: a replicated update is converted by evaluating the shape's `where` on the old and the
 * new row: in->in update, out->in insert (full row), in->out delete, out->out nothing. An update that
 * changes the primary key becomes a delete of the old key and an insert of the new one.
 */
import type { TextRow } from '../replication/types.ts';

export type Replica = 'default' | 'full';

export interface MessageShape {
  readonly schema: string;
  readonly table: string;
  /** Columns sent, in table order; includes every primary key column. */
  readonly columns: readonly string[];
  readonly primaryKey: readonly string[];
  readonly replica: Replica;
  /** Whether a row (as text) belongs to the shape. */
  readonly includes: (row: TextRow) => boolean;
}

export interface ChangeHeaders {
  operation: 'insert' | 'update' | 'delete';
  relation: [string, string];
  lsn?: string;
  op_position?: number;
  txids?: number[];
  last?: true;
  key_change_to?: string;
  key_change_from?: string;
}

export interface ChangeMessage {
  key: string;
  value: Record<string, string | null>;
  old_value?: Record<string, string | null>;
  headers: ChangeHeaders;
}

const quote = (s: string): string => `"${s.replace(/"/g, '""')}"`;

export function rowKey(shape: Pick<MessageShape, 'schema' | 'table' | 'primaryKey'>, row: TextRow): string {
  return `${quote(shape.schema)}.${quote(shape.table)}/${shape.primaryKey
    .map((c) => `"${(row[c] ?? '').replace(/\//g, '//')}"`)
    .join('/')}`;
}

function pick(row: TextRow, columns: readonly string[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const c of columns) out[c] = row[c] ?? null;
  return out;
}

/**
 * The constant parts of a snapshot row's insert message, as JSON text, for encoders that write the
 * message without building it (copy-text.ts). Filled in, they give exactly
 * `JSON.stringify(snapshotInsert(shape, row))`:
 *
 *   keyOpen + for each key column: keyValueOpen + <value, '/' doubled, JSON-escaped> + keyValueClose
 *   + valueOpen + for each column i: names[i] + (null | "<value, JSON-escaped>") + close
 */
export interface SnapshotInsertTemplate {
  readonly keyOpen: string;
  readonly keyValueOpen: string;
  readonly keyValueClose: string;
  readonly valueOpen: string;
  /** `"column":` per column of `columns`, with a leading comma after the first. */
  readonly names: readonly string[];
  readonly close: string;
}

export function snapshotInsertTemplate(
  shape: Pick<MessageShape, 'schema' | 'table'>,
  columns: readonly string[],
  /** Headers added after operation and relation (a subset snapshot's `snapshot_mark`). */
  extraHeaders: Readonly<Record<string, string | number>> = {},
): SnapshotInsertTemplate {
  const relation = JSON.stringify(`${quote(shape.schema)}.${quote(shape.table)}`);
  return {
    keyOpen: `{"key":${relation.slice(0, -1)}`,
    keyValueOpen: '/\\"',
    keyValueClose: '\\"',
    valueOpen: '","value":{',
    names: columns.map((c, i) => `${i === 0 ? '' : ','}${JSON.stringify(c)}:`),
    close: `},"headers":${JSON.stringify({ operation: 'insert', relation: [shape.schema, shape.table], ...extraHeaders })}}`,
  };
}

/** The insert message for a snapshot row (no replication headers). */
export function snapshotInsert(shape: MessageShape, row: TextRow): ChangeMessage {
  return {
    key: rowKey(shape, row),
    value: pick(row, shape.columns),
    headers: { operation: 'insert', relation: [shape.schema, shape.table] },
  };
}

export type ReplicatedRowChange =
  | { op: 'insert'; new: TextRow }
  | { op: 'update'; old: TextRow | null; new: TextRow }
  | { op: 'delete'; old: TextRow };

/**
 * Messages (0, 1 or 2) a replicated change produces for a shape, without the replication headers
 * (lsn, op_position, txids, last), which the engine adds.
 */
export function changeMessages(shape: MessageShape, change: ReplicatedRowChange): ChangeMessage[] {
  const relation: [string, string] = [shape.schema, shape.table];
  const keyOf = (row: TextRow) => pick(row, shape.primaryKey);
  const insert = (row: TextRow): ChangeMessage => ({
    key: rowKey(shape, row),
    value: pick(row, shape.columns),
    headers: { operation: 'insert', relation },
  });
  const remove = (row: TextRow): ChangeMessage => ({
    key: rowKey(shape, row),
    value: shape.replica === 'full' ? pick(row, shape.columns) : keyOf(row),
    headers: { operation: 'delete', relation },
  });
  switch (change.op) {
    case 'insert':
      return shape.includes(change.new) ? [insert(change.new)] : [];
    case 'delete':
      return shape.includes(change.old) ? [remove(change.old)] : [];
    case 'update': {
      const before = change.old;
      const wasIn = before !== null && shape.includes(before);
      const isIn = shape.includes(change.new);
      if (!wasIn && !isIn) {
        // Without the old row (no REPLICA IDENTITY FULL) membership before the update is unknown:
        // nothing to send only if the new row is out too.
        return [];
      }
      if (!wasIn) return [insert(change.new)];
      if (!isIn) return [remove(before)];
      const oldKey = rowKey(shape, before);
      const newKey = rowKey(shape, change.new);
      if (oldKey !== newKey) {
        const del = remove(before);
        del.headers.key_change_to = newKey;
        const ins = insert(change.new);
        ins.headers.key_change_from = oldKey;
        return [del, ins];
      }
      const changed = shape.columns.filter((c) => (before[c] ?? null) !== (change.new[c] ?? null));
      const value =
        shape.replica === 'full'
          ? pick(change.new, shape.columns)
          : { ...keyOf(change.new), ...pick(change.new, changed) };
      const message: ChangeMessage = { key: newKey, value, headers: { operation: 'update', relation } };
      if (shape.replica === 'full') message.old_value = pick(before, changed);
      return [message];
    }
  }
}
