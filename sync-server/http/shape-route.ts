/**
 * sync-server/http/shape-route.ts: `GET /v1/shape`, Electric's Shape API over the shape engine.
 *
 *   offset=-1            the first chunk of the snapshot (never `up-to-date`, as Electric)
 *   offset=O&handle=H    the entries after O, up to one chunk; `up-to-date` when that reaches the end
 *   ...&live=true        the same, but when there is nothing new, hold up to 20 s for a change, then
 *                        answer with whatever arrived (or just `up-to-date`); gated, also answer
 *                        `up-to-date` at once when a transaction reaches another shape of the
 *                        principal's tenant (live-audiences.ts: the client's other shapes catch up),
 *                        and at once, without holding, when one reached it after the LSN the
 *                        request's cursor carries (live-cursor.ts: the request missed that answer)
 *   handle not the active shape of this definition, or invalidated: 409 + the new handle
 *   offset=now           just `up-to-date`, with the log's current end in electric-offset
 *   subset__*            a subset snapshot of the shape (subset-route.ts), any offset
 *
 *   ...&live_sse=true    Server-Sent Events: one held response (up to 60 s) that carries every
 *                        transaction as it arrives, each as `data: <message>` events closed by an
 *                        `up-to-date` event; `: keep-alive` comments while idle
 *
 * Headers: electric-handle and electric-offset always; electric-schema on non-live; electric-cursor
 * on live and on any answer ending up to date (live-cursor.ts); electric-up-to-date when the body ends
 * with up-to-date; cache-control and ETag as Electric sends them (cache-policy.ts), and a 304 for a matching If-None-Match. `global_last_seen_lsn` is read
 * before the log, so it never claims a position the response does not cover.
 *
 * SSE resume points: an SSE client takes its next offset from the up-to-date message alone, as
 * `${global_last_seen_lsn}_0` (client helpers.ts getOffset). So an SSE up-to-date carries the LSN
 * just after the last transaction it delivered, `L + 1` (1 after a snapshot): `(L+1)_0` is above
 * every entry of transaction L and below every later one (a later commit record starts at or after
 * the end of L's, which is more than one byte on), and such an offset is accepted on any request.
 */
import { ServerResponse, type IncomingMessage } from 'node:http';
import { OutpostError } from '../../common/errors.ts';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { BEFORE_ALL, compareOffsets, formatOffset, type LogOffset } from '../shapes/log-offset.ts';
import type { ShapeEngine } from '../shapes/shape-engine.ts';
import type { ShapeRead } from '../shapes/shape-reader.ts';
import type { Shape, ShapeDefinition } from '../shapes/shape.ts';
import { jsonArrayBody } from '../shapes/shape-log.ts';
import { electricSchema } from '../shapes/table-schema.ts';
import { CACHE_MUST_REFETCH, cacheControlOf, cacheSse, etagOf, notModified } from './cache-policy.ts';
import type { ShapeRequest } from '../shapes/shape-request.ts';
import { cursorLsn, nextCursor } from './live-cursor.ts';
import { serveNow, serveSubset } from './subset-route.ts';

export type Request = IncomingMessage | Http2ServerRequest;
export type Response = ServerResponse | Http2ServerResponse;

/** A client nearly caught up with a snapshot being written waits for this much more... */
const SNAPSHOT_LINGER_BYTES = 1024 * 1024;
/** ...for at most this long. */
const SNAPSHOT_LINGER_MS = 50;
/** An SSE response ends after this long (Electric's sse_timeout); the client reconnects. */
const SSE_HOLD_MS = 60_000;
/** While an SSE response is idle, a comment line this often keeps proxies from closing it. */
const SSE_KEEP_ALIVE_MS = 21_000;

/** The highest offset a client may hold for a log ending at `last`: the SSE resume point after it. */
export function sseResumeOffset(last: LogOffset): LogOffset {
  return { tx: last.tx < 1n ? 1n : last.tx + 1n, op: 0 };
}

/**
 * A client that has caught up with a snapshot still being written would get only the few rows
 * written since its last request, and spend its time (and the server's) on requests: when less than
 * SNAPSHOT_LINGER_BYTES are there, wait up to SNAPSHOT_LINGER_MS for more, then read once.
 */
async function lingerForSnapshot(
  engine: ShapeEngine,
  shape: Shape,
  request: ShapeRequest,
  read: ShapeRead,
): Promise<ShapeRead> {
  const have = read.entries.bytes.reduce((n, b) => n + b.length, 0);
  const base = shape.log.byteLength;
  const deadline = performance.now() + SNAPSHOT_LINGER_MS;
  for (;;) {
    const left = deadline - performance.now();
    if (
      shape.status !== 'snapshotting' ||
      have + shape.log.byteLength - base >= SNAPSHOT_LINGER_BYTES ||
      left <= 0
    )
      break;
    await shape.waitForChange(shape.log.lastOffset ?? read.lastOffset, left);
  }
  return shape.log.byteLength > base ? engine.read(shape, request.offset) : read;
}

/**
 * A live request that came after a transaction reached its tenant missed that early answer (it was
 * between two long-polls): it is answered at once with the new LSN (live-cursor.ts), not held.
 */
function missedEarlyAnswer(engine: ShapeEngine, request: ShapeRequest, options: ShapeRouteOptions): boolean {
  const known = cursorLsn(request.cursor);
  return options.audience !== undefined && known !== null && engine.audiences.missed(options.audience, known);
}

function longPollSeconds(options: ShapeRouteOptions): number {
  return Math.round(options.longPollMs / 1000) || 20;
}

export interface ShapeRouteOptions {
  readonly engine: ShapeEngine;
  readonly longPollMs: number;
  /** How long one SSE response is held (default 60 s). */
  readonly sseHoldMs?: number;
  /** Gated mode: the definition the signed-in principal gets for the request (throws 403/400). */
  readonly authorize?: (request: ShapeRequest) => ShapeDefinition;
  /**
   * Gated mode: aborts (with an `unauthenticated` error as its reason) when the session ends or the
   * token expires; a long-poll then answers 401 instead of holding on.
   */
  readonly session?: AbortSignal;
  /**
   * Gated mode: the signed-in principal's tenant. An idle long-poll is answered (up-to-date) as soon
   * as a transaction reaches a shape of that tenant (live-audiences.ts), not only at its timeout.
   */
  readonly audience?: string;
  /** Where a failure inside a held stream is reported. */
  readonly log?: (line: string) => void;
  /** The request's If-None-Match header: a log response with that ETag is a 304 (cache-policy.ts). */
  readonly ifNoneMatch?: string;
}

function definitionOf(req: ShapeRequest): ShapeDefinition {
  return {
    schema: req.table.schema,
    table: req.table.name,
    where: req.where,
    params: req.params,
    columns: req.columns,
    replica: req.replica,
    ...(req.log === 'changes_only' ? { log: 'changes_only' as const } : {}),
  };
}

export function sendJson(
  res: Response,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/**
 * Ends a response with a body in pieces: a small one (a live response) joined into one buffer, a
 * large one (a snapshot chunk) on HTTP/1.1 as one corked write (writev) of its pieces, not copied.
 */
function endWith(res: Response, body: readonly Uint8Array[]): void {
  const length = body.reduce((n, b) => n + b.length, 0);
  if (length <= 64 * 1024 || !(res instanceof ServerResponse)) {
    res.end(Buffer.concat(body, length));
    return;
  }
  res.cork();
  for (const bytes of body) res.write(bytes);
  res.end();
}

function mustRefetch(res: Response, handle: string): void {
  sendJson(res, 409, [{ headers: { control: 'must-refetch' } }], {
    'electric-handle': handle,
    'cache-control': CACHE_MUST_REFETCH,
  });
}

/** Serves a parsed request (parse errors are ParamErrors, answered 400 by the HTTP front). */
export async function handleShape(
  res: Response,
  request: ShapeRequest,
  options: ShapeRouteOptions,
): Promise<void> {
  const { engine } = options;
  const definition = options.authorize ? options.authorize(request) : definitionOf(request);
  const active = await engine.resolve(definition);

  if (request.now) {
    await serveNow(res, active, options.engine);
    return;
  }
  let shape: Shape = active;
  if (request.handle !== null) {
    const named = engine.lookup(request.handle);
    if (!named || named.key !== active.key || named.invalidated) {
      mustRefetch(res, active.handle);
      return;
    }
    shape = named;
  }
  // Serve the snapshot while it is being written: wait only until it has data (or has finished).
  while (shape.status === 'snapshotting' && shape.log.lastOffset === null) {
    await shape.waitForChange(BEFORE_ALL, options.longPollMs);
  }
  if (shape.status !== 'snapshotting') await shape.ready; // rethrows a failed snapshot (503)
  if (shape.invalidated) {
    mustRefetch(res, await engine.replacementFor(shape));
    return;
  }

  const last = shape.log.lastOffset;
  if (request.offset.tx >= 0n && last && compareOffsets(request.offset, sseResumeOffset(last)) > 0) {
    throw new OutpostError('invalid_offset', 'The offset is out of bounds for this shape.');
  }

  if (request.subset) {
    await serveSubset(res, shape, request, request.subset, engine);
    return;
  }
  let read = engine.read(shape, request.offset);
  // Caught up with a snapshot still being written: wait for its next rows (never answer up-to-date).
  while (read.entries.count === 0 && shape.status === 'snapshotting') {
    await shape.waitForChange(read.lastOffset, options.longPollMs);
    read = engine.read(shape, request.offset);
  }
  if (request.offset.tx >= 0n && shape.status === 'snapshotting' && !read.entries.more)
    read = await lingerForSnapshot(engine, shape, request, read);
  if (request.sse) {
    await streamEvents(res, shape, request, read, options);
    return;
  }
  if (request.live && read.entries.count === 0 && !missedEarlyAnswer(engine, request, options)) {
    const abort = new AbortController();
    const onClose = () => abort.abort();
    res.on('close', onClose);
    const nudge = new AbortController();
    const signal = AbortSignal.any([
      abort.signal,
      nudge.signal,
      ...(options.session ? [options.session] : []),
    ]);
    const release =
      options.audience === undefined ? null : engine.audiences.hold(options.audience, () => nudge.abort());
    try {
      await shape.waitForChange(read.lastOffset, options.longPollMs, signal);
    } finally {
      release?.();
    }
    res.off('close', onClose);
    if (abort.signal.aborted) return;
    if (options.session?.aborted) throw options.session.reason;
    if (shape.invalidated) {
      mustRefetch(res, await engine.replacementFor(shape));
      return;
    }
    read = engine.read(shape, request.offset);
  }

  const initial = request.offset.tx < 0n;
  const upToDate = !initial && read.upToDate;
  // The log's bytes go out as they are: entries are stored as JSON, each followed by a comma.
  const body = jsonArrayBody(
    read.entries,
    upToDate
      ? JSON.stringify({
          headers: { control: 'up-to-date', global_last_seen_lsn: read.globalLsn.toString() },
        })
      : null,
  );
  const etag = etagOf(
    shape.handle,
    request.offset,
    read.lastOffset,
    request.live && read.entries.count === 0,
  );
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'electric-handle': shape.handle,
    'electric-offset': formatOffset(read.lastOffset),
    'electric-has-data': read.entries.count > 0 ? 'true' : 'false',
    'cache-control': cacheControlOf(request),
    etag,
  };
  if (!request.live) headers['electric-schema'] = JSON.stringify(electricSchema(shape.columns));
  // Live answers carry the cursor (Electric); so does a non-live answer that ends up to date (a client's
  // refresh), so that the client's next request says which LSN it heard of, and its next refresh is
  // not the same URL (which a browser cache would answer with this one's stale LSN).
  if (request.live || upToDate)
    headers['electric-cursor'] = nextCursor(request.cursor, longPollSeconds(options), read.globalLsn);
  if (upToDate) headers['electric-up-to-date'] = '';
  if (notModified(options.ifNoneMatch, etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  headers['content-length'] = String(body.reduce((n, b) => n + b.length, 0));
  res.writeHead(200, headers);
  endWith(res, body);
}

const encoder = new TextEncoder();
const KEEP_ALIVE = encoder.encode(': keep-alive\n\n');

/**
 * The events of a read shared by many streams (the engine hands the requests woken at one offset the
 * same read: shape-reader.ts), encoded once: N clients of one shape cost one encoding per change.
 */
const encodedEvents = new WeakMap<ShapeRead['entries'], { upToDate: boolean; bytes: Uint8Array }>();

/** The read's messages as SSE events, then an up-to-date event when the read reached the log's end. */
function events(read: ShapeRead): Uint8Array {
  const known = encodedEvents.get(read.entries);
  if (known && known.upToDate === read.upToDate) return known.bytes;
  const bytes = encodeEvents(read);
  encodedEvents.set(read.entries, { upToDate: read.upToDate, bytes });
  return bytes;
}

function encodeEvents(read: ShapeRead): Uint8Array {
  let text = '';
  for (const message of read.entries.messages) text += `data: ${message}\n\n`;
  if (read.upToDate) {
    const lsn = sseResumeOffset(read.lastOffset).tx;
    text += `data: {"headers":{"control":"up-to-date","global_last_seen_lsn":"${lsn}"}}\n\n`;
  }
  return encoder.encode(text);
}

/**
 * Serves `live_sse`: holds one response open and writes each new transaction of the shape to it the
 * moment it is appended to the log (a follower of the shape, called inside the engine's own call:
 * no promise or timer in between), starting with `first`. Whole transactions: the log is appended a
 * transaction at a time. Ends after the hold time, when the client goes away, when the shape is
 * invalidated (the client's reconnect then gets the 409 with the new handle) or when the session
 * ends (its reconnect gets the 401): a response already under way cannot change its status. While the
 * client is slow to read (a write returned false), nothing more is read until it drains.
 */
function streamEvents(
  res: Response,
  shape: Shape,
  request: ShapeRequest,
  first: ShapeRead,
  options: ShapeRouteOptions,
): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': cacheSse(options.sseHoldMs ?? SSE_HOLD_MS),
    'x-accel-buffering': 'no',
    'electric-handle': shape.handle,
    'electric-offset': formatOffset(request.offset),
    'electric-cursor': nextCursor(request.cursor, longPollSeconds(options), first.globalLsn),
  });
  const out = res as NodeJS.WritableStream;
  return new Promise<void>((resolve) => {
    let position: LogOffset = request.offset;
    let draining = false;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      unfollow();
      clearTimeout(hold);
      clearInterval(keepAlive);
      res.off('close', finish);
      options.session?.removeEventListener('abort', finish);
      if (!res.writableEnded && !res.destroyed) res.end();
      resolve();
    };
    /** Writes; false when the client is slow to read (then resumes on drain). */
    const send = (bytes: Uint8Array): boolean => {
      if (out.write(bytes)) return true;
      draining = true;
      res.once('drain', () => {
        draining = false;
        pump();
      });
      return false;
    };
    const pump = (): void => {
      if (finished || draining) return;
      if (shape.invalidated || options.session?.aborted) return finish();
      try {
        while (compareOffsets(shape.log.lastOffset ?? BEFORE_ALL, position) > 0) {
          const read = options.engine.read(shape, position);
          if (read.entries.count === 0) return;
          position = read.lastOffset;
          if (!send(events(read))) return;
        }
      } catch (error) {
        options.log?.(`sync-server: SSE stream of ${shape.handle} failed: ${(error as Error).message}`);
        finish();
      }
    };
    const unfollow = shape.follow(pump);
    const hold = setTimeout(finish, options.sseHoldMs ?? SSE_HOLD_MS);
    const keepAlive = setInterval(() => draining || send(KEEP_ALIVE), SSE_KEEP_ALIVE_MS);
    res.on('close', finish);
    options.session?.addEventListener('abort', finish, { once: true });
    // The client's fetch resolves on the headers: send them now, not with the first change.
    if (first.entries.count > 0) {
      position = first.lastOffset;
      if (!send(events(first))) return;
    } else if (!send(KEEP_ALIVE)) return;
    pump();
  });
}
