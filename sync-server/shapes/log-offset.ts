/**
 * sync-server/shapes/log-offset.ts: positions in a shape log, as the Shape protocol spells them.
 *
 *   -1          before everything (a new client)
 *   0_<n>       the n-th row of the shape's initial snapshot
 *   0_inf       the end of the snapshot, before every replicated change
 *   <lsn>_<op>  operation <op> of the transaction that committed at <lsn> (decimal)
 *
 * Offsets are totally ordered by (tx, op) with inf above every op. Because replicated offsets are
 * derived from the commit LSN and the operation's position, a log rebuilt after a crash assigns
 * every change the same offset again.
 */
import { OutpostError } from '../../common/errors.ts';

export interface LogOffset {
  readonly tx: bigint;
  /** Operation index; Number.POSITIVE_INFINITY for `inf`. */
  readonly op: number;
}

export const BEFORE_ALL: LogOffset = { tx: -1n, op: 0 };
export const SNAPSHOT_END: LogOffset = { tx: 0n, op: Number.POSITIVE_INFINITY };

export function formatOffset(o: LogOffset): string {
  if (o.tx < 0n) return '-1';
  return `${o.tx}_${o.op === Number.POSITIVE_INFINITY ? 'inf' : o.op}`;
}

export function parseOffset(text: string): LogOffset {
  if (text === '-1') return BEFORE_ALL;
  const m = /^(0|[1-9][0-9]{0,19})_(0|[1-9][0-9]{0,9}|inf)$/.exec(text);
  if (!m?.[1] || !m[2]) {
    throw new OutpostError(
      'invalid_offset',
      `Invalid offset ${JSON.stringify(text.slice(0, 64))}: expected -1 or <number>_<number>.`,
    );
  }
  const tx = BigInt(m[1]);
  if (tx > 0xffffffffffffffffn)
    throw new OutpostError('invalid_offset', `Invalid offset ${JSON.stringify(text)}: out of range.`);
  return { tx, op: m[2] === 'inf' ? Number.POSITIVE_INFINITY : Number(m[2]) };
}

export function compareOffsets(a: LogOffset, b: LogOffset): number {
  if (a.tx !== b.tx) return a.tx < b.tx ? -1 : 1;
  return a.op === b.op ? 0 : a.op < b.op ? -1 : 1;
}
