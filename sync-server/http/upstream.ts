/**
 * sync-server/http/upstream.ts: proxy mode: the gate forwards the gated shape request to an upstream
 * Shape API (the Electric sync service, or another Outpost sync server in insecure engine mode on a
 * private network) and streams the answer back.
 *
 * What is forwarded: the gated definition (table, the where tree printed with the tenant condition,
 * params[n], columns, replica, log) and the client's protocol position (offset or `now`, handle, live,
 * live_sse, cursor), and a subset snapshot's members as `subset__*` query parameters (a POST becomes
 * a GET), its where and order printed from the trees the gate checked.
 * Nothing else of the client's request reaches the upstream: no other parameter, no header (the
 * Authorization header stays here; an upstream secret can be sent instead).
 * What comes back: the status, the body (streamed, never buffered whole), and the headers the client
 * needs (electric-*, content-type, cache-control, retry-after); our own CORS and Vary headers apply.
 *
 * Guarantees: a handle issued for one scope cannot read another scope's shape, because the upstream
 * keys shapes by their definition, which contains the scope (it answers 409 with the caller's own
 * handle). An unreachable or failing upstream is a 502 `upstream_failed`; a client that goes away
 * aborts the upstream request.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { OutpostError } from '../../common/errors.ts';
import type { ShapeDefinition } from '../shapes/shape.ts';
import { formatOffset } from '../shapes/log-offset.ts';
import { orderBySql, parseOrderBy } from '../shapes/where/order-by.ts';
import { parseWhere } from '../shapes/where/parser.ts';
import { printWhere, quoteWhereIdent } from '../shapes/where/print.ts';
import type { ShapeRequest } from '../shapes/shape-request.ts';
import type { Response } from './shape-route.ts';

const PASSED_HEADERS = [
  'content-type',
  'electric-snapshot',
  'cache-control',
  'etag',
  'retry-after',
  'electric-handle',
  'electric-offset',
  'electric-schema',
  'electric-cursor',
  'electric-up-to-date',
  'electric-has-data',
];

export interface UpstreamOptions {
  /** Base URL of the upstream Shape API, e.g. http://electric:3000 (the path /v1/shape is appended). */
  readonly url: string;
  /** Sent as `secret` (Electric's API secret), when set. */
  readonly secret?: string;
  /** Aborts the upstream request (client gone, or session ended). */
  readonly signal: AbortSignal;
}

export function upstreamShapeUrl(base: string, definition: ShapeDefinition, request: ShapeRequest): URL {
  const url = new URL('/v1/shape', base);
  const q = url.searchParams;
  q.set('table', `${quoteWhereIdent(definition.schema)}.${quoteWhereIdent(definition.table)}`);
  if (definition.where !== null) q.set('where', definition.where);
  for (const [n, value] of Object.entries(definition.params)) q.set(`params[${n}]`, value);
  if (definition.columns) q.set('columns', definition.columns.map(quoteWhereIdent).join(','));
  if (definition.replica !== 'default') q.set('replica', definition.replica);
  if (definition.log === 'changes_only') q.set('log', 'changes_only');
  q.set('offset', request.now ? 'now' : request.offset.tx < 0n ? '-1' : formatOffset(request.offset));
  if (request.handle !== null) q.set('handle', request.handle);
  const subset = request.subset;
  if (subset) {
    // Re-printed from the parsed trees the gate checked, never the client's text (no parser differential).
    if (subset.where !== null) q.set('subset__where', printWhere(parseWhere(subset.where)));
    if (Object.keys(subset.params).length > 0) q.set('subset__params', JSON.stringify(subset.params));
    if (subset.orderBy !== null) q.set('subset__order_by', orderBySql(parseOrderBy(subset.orderBy)));
    if (subset.limit !== null) q.set('subset__limit', String(subset.limit));
    if (subset.offset !== null) q.set('subset__offset', String(subset.offset));
  }
  if (request.live) q.set('live', 'true');
  if (request.sse) q.set('live_sse', 'true');
  if (request.cursor !== null) q.set('cursor', request.cursor);
  return url;
}

export async function forwardShape(
  res: Response,
  definition: ShapeDefinition,
  request: ShapeRequest,
  options: UpstreamOptions,
): Promise<void> {
  const url = upstreamShapeUrl(options.url, definition, request);
  if (options.secret) url.searchParams.set('secret', options.secret);
  let upstream: globalThis.Response;
  try {
    upstream = await fetch(url, {
      signal: options.signal,
      headers: { accept: request.sse ? 'text/event-stream' : 'application/json' },
    });
  } catch (error) {
    if (options.signal.aborted) throw options.signal.reason;
    throw new OutpostError(
      'upstream_failed',
      `The upstream Shape API could not be reached: ${(error as Error).message}.`,
    );
  }
  if (upstream.status >= 500) {
    const text = await upstream.text().catch(() => '');
    let detail = '';
    try {
      const message = (JSON.parse(text) as { message?: unknown }).message;
      if (typeof message === 'string') detail = `: ${message.slice(0, 300)}`;
    } catch {
      // not JSON: no detail
    }
    throw new OutpostError('upstream_failed', `The upstream Shape API answered ${upstream.status}${detail}`, {
      retryAfterSeconds: upstream.headers.get('retry-after') ?? undefined,
    });
  }
  const headers: Record<string, string> = {};
  for (const name of PASSED_HEADERS) {
    const value = upstream.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  res.writeHead(upstream.status, headers);
  if (!upstream.body) {
    res.end();
    return;
  }
  await pipeline(Readable.fromWeb(upstream.body), res as NodeJS.WritableStream).catch(() => res.destroy());
}
