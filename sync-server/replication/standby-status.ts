/**
 * sync-server/replication/standby-status.ts: the Standby Status Update ('r') the client sends on a
 * replication connection, encoded here rather than with pg-logical-replication's `acknowledge()`.
 *
 *   'r' | write LSN (8) | flush LSN (8) | apply LSN (8) | clock, µs since 2000-01-01 (8) | reply? (1)
 *
 * Why not the library: its `acknowledge(lsn)` sends `lsn + 1`. For a logical slot the flush position
 * becomes `confirmed_flush_lsn`, and on restart PostgreSQL skips every transaction whose commit
 * record starts before it. A commit end LSN is exactly where the next record may start, so `end + 1`
 * could skip a transaction that commits right after the acknowledged one. We send the commit end
 * LSN itself, as PostgreSQL's own subscriber does.
 */

/** 2000-01-01T00:00:00Z in Unix milliseconds (the PostgreSQL epoch). */
const PG_EPOCH_MS = 946_684_800_000n;

export function encodeStandbyStatusUpdate(
  position: bigint,
  replyRequested: boolean,
  nowMs = Date.now(),
): Buffer {
  const message = Buffer.alloc(34);
  message[0] = 0x72; // 'r'
  message.writeBigUInt64BE(position, 1); // written
  message.writeBigUInt64BE(position, 9); // flushed: becomes the slot's confirmed_flush_lsn
  message.writeBigUInt64BE(position, 17); // applied
  message.writeBigInt64BE((BigInt(Math.trunc(nowMs)) - PG_EPOCH_MS) * 1000n, 25);
  message[33] = replyRequested ? 1 : 0;
  return message;
}

export interface StandbyStatusUpdate {
  readonly write: bigint;
  readonly flush: bigint;
  readonly apply: bigint;
  readonly clockMs: number;
  readonly replyRequested: boolean;
}

/** The inverse, for tests. */
export function decodeStandbyStatusUpdate(message: Buffer): StandbyStatusUpdate {
  if (message.length !== 34 || message[0] !== 0x72) throw new Error('not a standby status update');
  return {
    write: message.readBigUInt64BE(1),
    flush: message.readBigUInt64BE(9),
    apply: message.readBigUInt64BE(17),
    clockMs: Number(message.readBigInt64BE(25) / 1000n + PG_EPOCH_MS),
    replyRequested: message[33] === 1,
  };
}
