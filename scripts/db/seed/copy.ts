/**
 * scripts/db/seed/copy.ts: bulk loading with COPY ... FROM STDIN (pg-copy-streams), in batches.
 *
 *   generator ──add(row)──► TableWriter buffer ──(≥ batch rows or bytes)──► COPY table (cols) FROM STDIN
 *
 * Invariants:
 *   - Rows reach the table in the order they were added (so bigserial ids and the audit hash chain
 *     follow the generator's order) and each batch is one COPY statement, i.e. one transaction on an
 *     autocommit connection: memory stays bounded by the batch size, and no transaction grows with
 *     the scale (the audit chain's head row is updated once per audit row).
 *   - Each table is ANALYZEd after its first batch (see flush), so plans cached by this connection,
 *     such as the foreign-key checks of child tables, are made with statistics.
 *   - Values are encoded to COPY's text format here, once: NULL is \N; backslash, tab, newline and
 *     carriage return are escaped; Date is ISO-8601 UTC; Float32Array is a pgvector literal;
 *     PgArray is a Postgres array literal; other objects and plain arrays are JSON (for jsonb).
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { toVectorLiteral } from '../../../common/embeddings/deterministic-embedder.ts';

/** A Postgres array value (text[], uuid[], integer[]), as opposed to a JSON array. */
export class PgArray {
  constructor(readonly items: readonly (string | number | null)[]) {}
}

export const pgArray = (items: readonly (string | number | null)[]): PgArray => new PgArray(items);

/**
 * A column value: scalars as themselves; Date, PgArray and Float32Array as described above; any
 * other object or array is JSON (jsonb), with undefined properties left out as JSON.stringify does.
 */
export type Cell = string | number | bigint | boolean | null | undefined | object;

function arrayLiteral(a: PgArray): string {
  const items = a.items.map((item) => {
    if (item === null) return 'NULL';
    if (typeof item === 'number') return String(item);
    return `"${item.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  });
  return `{${items.join(',')}}`;
}

/** The Postgres text form of a value, or null for SQL NULL. */
export function cellText(value: Cell): string | null {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
      return String(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 't' : 'f';
    default:
      if (value instanceof Date) return value.toISOString();
      if (value instanceof PgArray) return arrayLiteral(value);
      if (value instanceof Float32Array) return toVectorLiteral(value);
      return JSON.stringify(value);
  }
}

/** Escapes a text value for COPY's text format. */
export function escapeCopy(text: string): string {
  return /[\\\t\n\r]/.test(text)
    ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : text;
}

export function copyLine(row: readonly Cell[]): string {
  let line = '';
  for (let i = 0; i < row.length; i++) {
    if (i > 0) line += '\t';
    const text = cellText(row[i]);
    line += text === null ? '\\N' : escapeCopy(text);
  }
  return `${line}\n`;
}

export interface TableWriterOptions {
  /** Rows per COPY statement (default 5000). */
  readonly batchRows?: number;
  /** Bytes of COPY text per statement (default 4 MB). */
  readonly batchBytes?: number;
  /**
   * Writers of the tables this one references: their buffered rows are sent before each batch of
   * this one, so foreign keys always find their parent rows.
   */
  readonly parents?: readonly TableWriter[];
}

export class TableWriter<C extends string = string> {
  private lines: string[] = [];
  private bytes = 0;
  private written = 0;
  private readonly batchRows: number;
  private readonly batchBytes: number;
  private readonly statement: string;
  private readonly parents: readonly TableWriter[];

  constructor(
    private readonly client: pg.Client,
    readonly table: string,
    readonly columns: readonly C[],
    options: TableWriterOptions = {},
  ) {
    this.batchRows = options.batchRows ?? 5000;
    this.batchBytes = options.batchBytes ?? 4_000_000;
    this.statement = `COPY ${table} (${columns.join(', ')}) FROM STDIN`;
    this.parents = options.parents ?? [];
  }

  /**
   * Buffers one row, given as { column: value } for every column of the writer (the type
   * refuses a missing or unknown column); sends a batch when the buffer is full.
   */
  async add(row: { readonly [K in C]: Cell }): Promise<void> {
    const line = copyLine(this.columns.map((column) => row[column]));
    this.lines.push(line);
    this.bytes += line.length;
    if (this.lines.length >= this.batchRows || this.bytes >= this.batchBytes) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.lines.length === 0) return;
    for (const parent of this.parents) await parent.flush();
    const payload = this.lines.join('');
    const count = this.lines.length;
    this.lines = [];
    this.bytes = 0;
    const stream = this.client.query(copyFrom(this.statement));
    await pipeline(Readable.from([payload]), stream);
    if (this.written === 0) {
      // Statistics from the first batch make Postgres plan (and cache, for this connection) the
      // foreign-key checks of child tables with the right index; without them it may pick e.g.
      // chat_sessions (tenant_id, created_at) for a lookup by id, and the seed turns quadratic.
      await this.client.query(`ANALYZE ${this.table}`);
    }
    this.written += count;
  }

  /** Sends what is buffered; returns how many rows this writer wrote in total. */
  async end(): Promise<number> {
    await this.flush();
    return this.written;
  }
}
