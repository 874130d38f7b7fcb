/**
 * scripts/testing/shape-recorder.ts: a strict materialiser of one shape's messages, for tests that
 * must prove "no gap, no duplicate".
 *
 * It applies each change message to a map of rows keyed by the message key and records, instead of
 * forgiving, everything a correct stream never does:
 *   - an insert for a key it already has (a duplicate row), an update or delete for a key it does
 *     not have (a missing row);
 *   - the same change message twice (same key, operation, lsn and op_position), or the same
 *     snapshot row twice;
 *   - a must-refetch (the recovery tests expect the shape to survive).
 * Updates merge their columns into the row (`replica=default` sends the changed columns only).
 */
import type { Message, Row } from '@electric-sql/client';

export interface ShapeCheckpoint {
  readonly handle: string | undefined;
  readonly offset: string;
  /** How many messages had been applied when the stream was at this offset. */
  readonly applied: number;
}

export class ShapeRecorder {
  readonly rows = new Map<string, Row>();
  /** Every change message applied, in order. */
  readonly applied: Message<Row>[] = [];
  readonly anomalies: string[] = [];
  readonly duplicates: string[] = [];
  refetches = 0;
  private readonly seen = new Set<string>();

  /** A recorder that has applied the first `count` messages of this one. */
  prefix(count: number): ShapeRecorder {
    const copy = new ShapeRecorder();
    copy.apply(this.applied.slice(0, count));
    return copy;
  }

  apply(messages: readonly Message<Row>[]): void {
    for (const m of messages) {
      if (!('key' in m)) {
        if (m.headers.control === 'must-refetch') {
          this.refetches++;
          this.anomalies.push('must-refetch');
        }
        continue;
      }
      this.applied.push(m);
      const lsn = typeof m.headers['lsn'] === 'string' ? m.headers['lsn'] : 'snapshot';
      const op = m.headers['op_position'];
      const id = `${m.headers.operation} ${m.key} @${lsn}/${typeof op === 'number' ? op : ''}`;
      if (this.seen.has(id)) this.duplicates.push(id);
      this.seen.add(id);
      const present = this.rows.get(m.key);
      switch (m.headers.operation) {
        case 'insert':
          if (present) this.anomalies.push(`insert of a present row: ${id}`);
          this.rows.set(m.key, { ...m.value });
          break;
        case 'update':
          if (present) this.rows.set(m.key, { ...present, ...m.value });
          else this.anomalies.push(`update of a missing row: ${id}`);
          break;
        case 'delete':
          if (!present) this.anomalies.push(`delete of a missing row: ${id}`);
          this.rows.delete(m.key);
          break;
      }
    }
  }

  /** The rows, sorted by key, for comparison with the central table. */
  sortedRows(): Row[] {
    return [...this.rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
  }
}
