/**
 * sync-server/http/subset-route.ts: the two Shape API answers that carry no log entries.
 *
 *   offset=now   200 `[up-to-date]`; electric-offset is the end of the shape's log, so the client
 *                continues from there with no history (Electric's `offset=now`)
 *   subset__*    200 `{"metadata": {...}, "data": [...]}` with `electric-snapshot: true`: the rows of
 *                the shape that match the subset (subset.ts), GET or POST
 *
 * Where a subset response leaves the client's stream (`electric-offset`, which `requestSnapshot`
 * moves the stream to): the request's own offset when it has one, so the stream never skips an entry
 * it has not received; for `offset=-1` or `now`, the end of the log read *before* the snapshot was
 * taken: every transaction up to it is in the snapshot, every later one is served by the stream and
 * dropped by the client when the snapshot saw it (metadata). Electric answers the end of the chunk
 * after the request's offset instead, which can skip changes to rows outside the subset.
 */
import { OutpostError } from '../../common/errors.ts';
import { formatOffset, SNAPSHOT_END } from '../shapes/log-offset.ts';
import type { ShapeEngine } from '../shapes/shape-engine.ts';
import type { Shape } from '../shapes/shape.ts';
import { subsetBody, type Subset } from '../shapes/subset.ts';
import { electricSchema } from '../shapes/table-schema.ts';
import { CACHE_CHUNK, CACHE_SUBSET } from './cache-policy.ts';
import type { ShapeRequest } from '../shapes/shape-request.ts';
import type { Response } from './shape-route.ts';

const JSON_TYPE = 'application/json; charset=utf-8';

/** `offset=now`: once the shape's snapshot is in its log, the end of the log and nothing else. */
export async function serveNow(res: Response, shape: Shape, engine: ShapeEngine): Promise<void> {
  await shape.ready; // rethrows a failed snapshot (503)
  const end = shape.log.lastOffset ?? SNAPSHOT_END;
  const read = engine.read(shape, end);
  const body = JSON.stringify([
    { headers: { control: 'up-to-date', global_last_seen_lsn: read.globalLsn.toString() } },
  ]);
  res.writeHead(200, {
    'content-type': JSON_TYPE,
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': CACHE_CHUNK,
    'electric-handle': shape.handle,
    'electric-offset': formatOffset(end),
    'electric-schema': JSON.stringify(electricSchema(shape.columns)),
    'electric-up-to-date': '',
    'electric-has-data': 'false',
  });
  res.end(body);
}

/** PostgreSQL's data exceptions (class 22) in a subset query are the client's values: a 400. */
function asClientError(error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('22'))
    return new OutpostError('invalid_where', `Invalid subset: ${(error as Error).message}.`, {
      param: 'subset__where',
    });
  return error;
}

/** A subset snapshot of a shape the request may read (the gate has checked the subset). */
export async function serveSubset(
  res: Response,
  shape: Shape,
  request: ShapeRequest,
  subset: Subset,
  engine: ShapeEngine,
): Promise<void> {
  await shape.ready;
  // Read before the snapshot is taken: everything up to here is in it (see the header).
  const end = shape.log.lastOffset ?? SNAPSHOT_END;
  const resume = request.offset.tx >= 0n ? request.offset : end;
  const result = await engine.querySubset(shape, subset).catch((error: unknown) => {
    throw asClientError(error);
  });
  const body = subsetBody(result);
  res.writeHead(200, {
    'content-type': JSON_TYPE,
    'content-length': String(body.reduce((n, b) => n + b.length, 0)),
    'cache-control': CACHE_SUBSET,
    'electric-snapshot': 'true',
    'electric-handle': shape.handle,
    'electric-offset': formatOffset(resume),
    'electric-schema': JSON.stringify(electricSchema(shape.columns)),
  });
  res.end(Buffer.concat(body));
}
