/**
 * sync-server/http/shape-params.ts: reads a `GET /v1/shape` query string into a typed request.
 *
 * Accepts what @electric-sql/client sends: table, where, params[n] (deepObject), columns (a list of
 * "double-quoted" or bare names), replica, log, offset, handle, live, cursor, live_sse (and its old name
 * experimental_live_sse), log (full or changes_only), offset=now, and a subset snapshot's
 * subset__* parameters or POST body (subset-params.ts); unknown parameters (cache-buster,
 * expired_handle, ...) are ignored. Every problem is a 400 naming the parameter.
 */
import { BEFORE_ALL, parseOffset } from '../shapes/log-offset.ts';
import { readQuoted } from '../shapes/quoted.ts';
import type { ShapeRequest } from '../shapes/shape-request.ts';
import { parseTableName } from '../shapes/table-schema.ts';
import { ParamError } from './param-error.ts';
import { parseSubset } from './subset-params.ts';

const MAX_PARAM_VALUE = 16_384;

export function parseColumns(text: string): string[] {
  const columns: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      const token = readQuoted(text, i, '"');
      if (!token) throw new ParamError('columns', 'Invalid columns: unterminated quoted name.');
      columns.push(token.value);
      i = token.end;
    } else {
      const m = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(text.slice(i));
      if (!m)
        throw new ParamError('columns', `Invalid columns: expected a column name at character ${i + 1}.`);
      columns.push(m[0].toLowerCase());
      i += m[0].length;
    }
    if (i < text.length) {
      if (text[i] !== ',')
        throw new ParamError('columns', `Invalid columns: expected "," at character ${i + 1}.`);
      i++;
    }
  }
  if (columns.length === 0) throw new ParamError('columns', 'Invalid columns: the list is empty.');
  if (new Set(columns).size !== columns.length)
    throw new ParamError('columns', 'Invalid columns: a column is listed twice.');
  return columns;
}

/** Reads a request: its query string, and for a POST its JSON body (subset members only). */
export function parseShapeRequest(query: URLSearchParams, body?: unknown): ShapeRequest {
  for (const [key, value] of query) {
    if (value.length > MAX_PARAM_VALUE)
      throw new ParamError(key, `Parameter ${key} is longer than ${MAX_PARAM_VALUE} characters.`);
  }
  const tableText = query.get('table');
  if (tableText === null) throw new ParamError('table', 'The table parameter is required.');
  const table = parseTableName(tableText);
  const params: Record<string, string> = {};
  for (const [key, value] of query) {
    const m = /^params\[([1-9][0-9]{0,3})\]$/.exec(key);
    if (m?.[1]) params[m[1]] = value;
    else if (key.startsWith('params'))
      throw new ParamError(key, `Invalid parameter ${key}: write params[1], params[2], ...`);
  }
  const replica = query.get('replica') ?? 'default';
  if (replica !== 'default' && replica !== 'full')
    throw new ParamError('replica', 'Invalid replica: expected default or full.');
  const offsetText = query.get('offset');
  if (offsetText === null)
    throw new ParamError('offset', 'The offset parameter is required (-1 for a new shape).');
  const now = offsetText === 'now';
  const offset = now ? BEFORE_ALL : parseOffset(offsetText);
  // Any handle is accepted here: one the server does not know (malformed, from another server, or
  // expired) is answered 409 must-refetch with the current handle, as Electric does, so the client
  // recovers by itself instead of stopping on a 400.
  const handle = query.get('handle');
  const live = query.get('live') === 'true';
  if (offset.tx < 0n && live)
    throw new ParamError(
      'live',
      now
        ? 'live=true cannot be used with offset=now.'
        : 'live=true needs an offset from a previous response, not -1.',
    );
  const sse = query.get('live_sse') === 'true' || query.get('experimental_live_sse') === 'true';
  if (sse && !live) throw new ParamError('live_sse', 'live_sse=true needs live=true as well.');
  if (offset.tx >= 0n && handle === null)
    throw new ParamError('handle', 'The handle parameter is required with an offset other than -1.');
  const log = query.get('log') ?? 'full';
  if (log !== 'full' && log !== 'changes_only')
    throw new ParamError('log', 'Invalid log: expected full or changes_only.');
  const subset = parseSubset(query, body);
  if (subset && live) throw new ParamError('live', 'A subset snapshot cannot be live.');
  const where = query.get('where');
  return {
    table,
    where: where === null || where.trim() === '' ? null : where,
    params,
    columns: query.has('columns') ? parseColumns(query.get('columns') ?? '') : null,
    replica,
    offset,
    handle: offset.tx < 0n ? null : handle,
    live,
    sse,
    cursor: query.get('cursor'),
    log,
    now,
    subset,
  };
}
