/**
 * sync-server/http/live-cursor.ts: the `electric-cursor` a response hands the client, which the client
 * sends back as `cursor` on its next request of that shape.
 *
 *   "<interval>_<lsn>"   interval: Electric's cache buster (the long-poll interval since an epoch,
 *                        moved on when the request already had it, so a cache never collapses a
 *                        live request onto the answer it follows); lsn: the `global_last_seen_lsn`
 *                        this answer told the client
 *
 * Why the LSN: a live request that arrives just after a transaction reached its tenant has missed the
 * early answer (live-audiences.ts) and would wait out the long-poll; its cursor says which LSN the
 * client last heard of, so the server answers it at once when the tenant has moved on since
 * (shape-route.ts). The cursor is opaque to clients (Electric's protocol: echo it as is), so any
 * Electric client carries it; a cursor without an LSN (Electric's plain number, or none) is simply
 * held as before.
 *
 * Guarantees: nextCursor's interval part always differs from the request's (Electric's rule);
 * cursorLsn returns null for anything it did not write.
 */
const CURSOR_EPOCH_MS = Date.UTC(2024, 9, 9);

/** The cursor of an answer to a request that sent `previous`, telling the client `lsn`. */
export function nextCursor(previous: string | null, longPollSeconds: number, lsn: bigint): string {
  const now = Math.ceil((Date.now() - CURSOR_EPOCH_MS) / 1000 / longPollSeconds) * longPollSeconds;
  const before = Number((previous ?? '').split('_')[0] || NaN);
  const interval =
    Number.isFinite(before) && now <= before ? before + 1 + Math.floor(Math.random() * 3600) : now;
  return `${interval}_${lsn}`;
}

/** The LSN a cursor this server wrote carries, or null (no cursor, or one of another form). */
export function cursorLsn(cursor: string | null): bigint | null {
  const match = /^\d+_(\d{1,20})$/.exec(cursor ?? '');
  return match?.[1] === undefined ? null : BigInt(match[1]);
}
