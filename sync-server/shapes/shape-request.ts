/**
 * sync-server/shapes/shape-request.ts: a Shape API request as the services see it, independent of
 * HTTP: the shape asked for (table, where, params, columns, replica, log mode), the client's position
 * in its log (offset or `now`, handle, live, SSE, cursor), or a subset snapshot of it.
 * sync-server/http/shape-params.ts reads one from a query string (and a POST body); the gate turns it
 * into a ShapeDefinition; the route serves it.
 */
import type { LogOffset } from './log-offset.ts';
import type { Replica } from './messages.ts';
import type { Subset } from './subset.ts';
import type { TableName } from './table-schema.ts';

export interface ShapeRequest {
  readonly table: TableName;
  readonly where: string | null;
  readonly params: Record<string, string>;
  readonly columns: string[] | null;
  readonly replica: Replica;
  readonly offset: LogOffset;
  readonly handle: string | null;
  readonly live: boolean;
  /** Live updates as Server-Sent Events on one held response (`live_sse=true`, needs live=true). */
  readonly sse: boolean;
  readonly cursor: string | null;
  /** `log=changes_only`: a shape without initial rows, whose log starts when the shape is created. */
  readonly log: LogMode;
  /** `offset=now`: the current end of the log, with no data (`offset` is then -1, `handle` null). */
  readonly now: boolean;
  /** A subset snapshot (`subset__*`, or a POST body), or null for a log request. */
  readonly subset: Subset | null;
}

export type LogMode = 'full' | 'changes_only';
