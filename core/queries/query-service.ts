/**
 * core/queries/query-service.ts: answers the named read queries of common/queries (`query.run` and the
 * live `query.live`) from the signed-in account's local database.
 *
 *   run(reader, { name, params })   prepareQuery (permission, params) ─► the statement ─► plain rows
 *   live(reader, request, emit)     PGlite's live query over the same statement: the first rows before
 *                                   it resolves, then the rows after every change of a relation the
 *                                   statement reads (local writes and arriving server state alike),
 *                                   only when they differ from the last rows emitted
 *
 * Guarantees: an unknown name is a `validation` error; a missing permission `forbidden`; invalid params
 * a `validation` error naming them; all before any SQL runs. Rows are plain values (toPlainRow: dates as
 * ISO strings, `dateOnly` columns as YYYY-MM-DD), safe to post across processes.
 */
import type { PGliteInterface } from '@electric-sql/pglite';
import type { LiveNamespace } from '@electric-sql/pglite/live';
import { OutpostError } from '../../common/errors.ts';
import { mapDatabaseError } from '../../common/mutations/database-errors.ts';
import { prepareQuery, type NamedQuery, type QueryReader } from '../../common/queries/query.ts';
import { NAMED_QUERIES } from '../../common/queries/registry.ts';
import { toPlainRow } from '../tables/table-sql.ts';
import { followStatement } from '../tables/live-statement.ts';

export interface QueryRequestInput {
  readonly name: string;
  readonly params?: Readonly<Record<string, unknown>> | undefined;
}

export type QueryRows = { rows: Record<string, unknown>[] };

function queryNamed(name: string): NamedQuery {
  const query = NAMED_QUERIES.get(name);
  if (!query)
    throw new OutpostError(
      'validation',
      `There is no query ${JSON.stringify(name.slice(0, 100))}; known: ${[...NAMED_QUERIES.keys()].join(', ')}.`,
    );
  return query;
}

function plainRows(query: NamedQuery, rows: readonly Record<string, unknown>[]): QueryRows {
  const dateOnly = new Set(query.dateOnly ?? []);
  return { rows: rows.map((row) => toPlainRow(row, dateOnly)) };
}

function asOutpostError(error: unknown): unknown {
  return error instanceof OutpostError ? error : (mapDatabaseError(error) ?? error);
}

export class QueryService {
  constructor(private readonly db: PGliteInterface & { live: LiveNamespace }) {}

  async run(reader: QueryReader, request: QueryRequestInput): Promise<QueryRows> {
    const query = queryNamed(request.name);
    const statement = prepareQuery(query, request.params, reader);
    try {
      const { rows } = await this.db.query<Record<string, unknown>>(statement.text, [...statement.params]);
      return plainRows(query, rows);
    } catch (error) {
      throw asOutpostError(error);
    }
  }

  /** Resolves to a function that stops it (see the module header). */
  async live(
    reader: QueryReader,
    request: QueryRequestInput,
    emit: (rows: QueryRows) => void,
    fail: (error: unknown) => void,
  ): Promise<() => void> {
    const query = queryNamed(request.name);
    const statement = prepareQuery(query, request.params, reader);
    try {
      return await followStatement(this.db, statement, (rows) => plainRows(query, rows), emit, fail);
    } catch (error) {
      throw asOutpostError(error);
    }
  }
}
