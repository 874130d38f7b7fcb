/**
 * sync-server/http/cache-policy.ts: what a cache in front of the Shape API may keep, and for how long.
 * The values are Electric's (sync-service `Api.Response.put_cache_headers` / `etag`):
 *
 *   offset=-1 (first chunk)   public, max-age=604800, s-maxage=3600, stale-while-revalidate=2629746
 *   other log chunks          public, max-age=60, stale-while-revalidate=300    (and offset=now)
 *   live long-poll            public, max-age=5, stale-while-revalidate=5       (+ electric-cursor)
 *   live SSE                  public, max-age=<sse hold - 1 s>
 *   409 must-refetch          public, max-age=60, must-revalidate
 *   subset snapshot           no-cache
 *   errors                    no-store (error-response.ts)
 *
 *   ETag  "<handle>:<request offset>:<response offset>"   (a live response with no changes adds a
 *         unique suffix, so a cache cannot revalidate it and must collapse live requests instead)
 *   If-None-Match with that ETag: 304, no body.
 *
 * Why a shared cache is safe through the gate: a log chunk is immutable (the entries after an offset
 * in one shape's log never change), so any copy of it is correct for every client of that shape; and
 * every response varies on `Authorization` (server.ts), so a cache keys it by the credential too. A
 * response is therefore only ever served again to the bearer of the same token, whose scope (tenant,
 * permissions) created it, whatever the URL: another tenant with the same URL, or with a handle it
 * took from someone else, misses the cache and gets its own answer (or a 409) from the gate.
 * docs/security.md and docs/scaling.md say what that costs (per-session hit rates).
 */
import type { LogOffset } from '../shapes/log-offset.ts';
import { formatOffset } from '../shapes/log-offset.ts';

export const CACHE_INITIAL = 'public, max-age=604800, s-maxage=3600, stale-while-revalidate=2629746';
export const CACHE_CHUNK = 'public, max-age=60, stale-while-revalidate=300';
export const CACHE_LIVE = 'public, max-age=5, stale-while-revalidate=5';
export const CACHE_MUST_REFETCH = 'public, max-age=60, must-revalidate';
export const CACHE_SUBSET = 'no-cache';

/** An SSE response is kept for just under its hold time, so a cache can collapse reconnections. */
export function cacheSse(holdMs: number): string {
  return `public, max-age=${Math.max(1, Math.floor(holdMs / 1000) - 1)}`;
}

/** The cache-control of a log response. */
export function cacheControlOf(request: { readonly offset: LogOffset; readonly live: boolean }): string {
  if (request.live) return CACHE_LIVE;
  return request.offset.tx < 0n ? CACHE_INITIAL : CACHE_CHUNK;
}

let unique = 0;

/** Electric's ETag of a log response (quoted); `empty` marks a live response with no changes. */
export function etagOf(handle: string, requested: LogOffset, served: LogOffset, empty: boolean): string {
  const base = `${handle}:${formatOffset(requested)}:${formatOffset(served)}`;
  return `"${empty ? `${base}:${process.hrtime.bigint()}-${++unique}` : base}"`;
}

/** Whether a request's If-None-Match header names `etag` (a list, weak or strong, or `*`). */
export function notModified(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const bare = etag.replace(/^"|"$/g, '');
  return header.split(',').some((tag) => {
    const t = tag.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
    return t === bare || t === '*';
  });
}
