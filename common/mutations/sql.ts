/**
 * common/mutations/sql.ts: the minimal SQL surface the write operations run on, so that one
 * implementation serves the central PostgreSQL (a node-postgres client inside the API's transaction)
 * and the local PGlite (a PGlite instance or transaction).
 *
 * Guarantees:
 *   - Operations only ever call `query(text, params)` with constant SQL text: identifiers come from the
 *     database catalog (catalog.ts) and are quoted here; every request value is a bind parameter.
 *   - Values are encoded to text (or NULL) before they are bound (`encodeValue`), so both drivers
 *     receive the same strings and PostgreSQL does every type conversion: a value the column's type
 *     rejects is a database error (class 22), mapped to `validation` by database-errors.ts.
 *   - Rows come back as `to_jsonb(...)` objects wherever the operations read whole rows, which both
 *     drivers turn into the same plain JSON (no driver-specific Date, bigint or array parsing).
 */
import { OutpostError } from '../errors.ts';
import { toPgArrayLiteral } from '../sync/pg-array-literal.ts';

/** Anything with a node-postgres- or PGlite-shaped `query`: pg.Client, pg.PoolClient, PGlite, a PGlite transaction. */
export interface SqlQueryable {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** Runs a query and returns its rows typed as `R` (the SQL text decides the shape). */
export async function queryRows<R>(
  sql: SqlQueryable,
  text: string,
  params: readonly unknown[] = [],
): Promise<R[]> {
  const result = await sql.query(text, [...params]);
  return result.rows as R[];
}

/** A double-quoted SQL identifier. Only ever called with names read from the catalog. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A canonical uuid (any version), the form of every id the API takes. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How a column's values are written: which JSON values it takes and how they become text. */
export type ValueEncoding = 'json' | 'array' | 'vector' | 'scalar';

/** A JSON value (from a request) as the text PostgreSQL parses for a column, or null for SQL NULL. */
export function encodeValue(value: unknown, encoding: ValueEncoding, column: string): string | null {
  if (value === null || value === undefined) return null;
  const wrongType = (expected: string) =>
    new OutpostError(
      'validation',
      `Column ${JSON.stringify(column)} takes ${expected}, not ${describe(value)}.`,
      {
        column,
      },
    );
  switch (encoding) {
    case 'json':
      return JSON.stringify(value);
    case 'array':
      if (!Array.isArray(value)) throw wrongType('an array');
      return toPgArrayLiteral(value);
    case 'vector':
      if (typeof value === 'string') return value;
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' && Number.isFinite(v)))
        throw wrongType('an array of numbers');
      return JSON.stringify(value);
    case 'scalar':
      if (typeof value === 'string') return value;
      if (typeof value === 'number') {
        if (!Number.isFinite(value)) throw wrongType('a finite number');
        return String(value);
      }
      if (typeof value === 'boolean') return value ? 'true' : 'false';
      throw wrongType('a string, number or boolean');
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** A value read from a row (`to_jsonb`) as text: strings as they are, anything else as JSON. */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return value.toString();
  if (value === null || value === undefined) return '';
  return JSON.stringify(value) ?? '';
}
