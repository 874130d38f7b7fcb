/**
 * sync-server/shapes/shape-builder.ts: turns a definition and its table's schema into a `Shape` over a
 * log in a directory: the columns it carries, its bound `where`, how its messages are made.
 *
 * Guarantees: a definition naming a column the table lacks, or leaving out a primary-key column, is
 * refused (`invalid_columns`) before anything is opened; the `where` is bound against the table's
 * columns and parameters once, and the same bound predicate both filters changes and routes them.
 */
import path from 'node:path';
import { OutpostError } from '../../common/errors.ts';
import type { TextRow } from '../replication/types.ts';
import type { MessageShape } from './messages.ts';
import { definitionKey, Shape, type ShapeDefinition } from './shape.ts';
import { ShapeLog } from './shape-log.ts';
import type { TableColumn, TableSchema } from './table-schema.ts';
import { WhereBinder, type Bound } from './where/bind.ts';
import { matches } from './where/evaluate.ts';
import { parseWhere } from './where/parser.ts';

/** The definition's `where` bound to the table's columns and its params, or null for every row. */
export function bindDefinitionWhere(definition: ShapeDefinition, table: TableSchema): Bound | null {
  if (definition.where === null) return null;
  return new WhereBinder(table.columns, definition.params).bindPredicate(parseWhere(definition.where));
}

function selectColumns(definition: ShapeDefinition, table: TableSchema): TableColumn[] {
  if (!definition.columns) return [...table.columns];
  const all = new Set(table.columns.map((c) => c.name));
  const unknown = definition.columns.filter((c) => !all.has(c));
  if (unknown.length > 0) {
    throw new OutpostError(
      'invalid_columns',
      `Invalid columns: ${unknown.map((c) => JSON.stringify(c)).join(', ')} not in ${table.schema}.${table.name}.`,
    );
  }
  const missing = table.primaryKey.filter((c) => !definition.columns?.includes(c));
  if (missing.length > 0) {
    throw new OutpostError(
      'invalid_columns',
      `Invalid columns: the primary key column(s) ${missing.join(', ')} must be included.`,
    );
  }
  const wanted = new Set(definition.columns);
  return table.columns.filter((c) => wanted.has(c.name));
}

/** A new, unregistered shape whose log is `<dir>/log` (opened, or created empty). */
export function buildShape(
  handle: string,
  definition: ShapeDefinition,
  table: TableSchema,
  dir: string,
  chunkBytes: number | undefined,
): Shape {
  const columns = selectColumns(definition, table);
  const predicate = bindDefinitionWhere(definition, table);
  const messages: MessageShape = {
    schema: table.schema,
    table: table.name,
    columns: columns.map((c) => c.name),
    primaryKey: table.primaryKey,
    replica: definition.replica,
    includes: predicate ? (row: TextRow) => matches(predicate, row) : () => true,
  };
  const log = ShapeLog.open(path.join(dir, 'log'), chunkBytes === undefined ? {} : { chunkBytes });
  const shape = new Shape(handle, definitionKey(definition), definition, table, columns, messages, log, dir);
  shape.predicate = predicate;
  return shape;
}
