/**
 * sync-server/replication/replication.testkit.ts: support for the replication stream's tests: a
 * consumer that records what it is given, polling helpers and slot inspection. Not a test itself.
 */
import pg from 'pg';
import { ReplicationStream, type ReplicationStreamOptions } from './replication-stream.ts';
import type { ReplicatedTransaction, ReplicationConsumer } from './types.ts';
import { parseLsn } from './types.ts';

export class RecordingConsumer implements ReplicationConsumer {
  readonly transactions: ReplicatedTransaction[] = [];
  readonly caughtUp: bigint[] = [];
  /** Called before a transaction is recorded; its promise is what onTransaction returns. */
  hold: (tx: ReplicatedTransaction) => Promise<void> = () => Promise.resolve();

  async onTransaction(tx: ReplicatedTransaction): Promise<void> {
    await this.hold(tx);
    this.transactions.push(tx);
  }

  onCaughtUp(lsn: bigint): void {
    this.caughtUp.push(lsn);
  }

  /** Every inserted/updated/deleted row's `new` (or `old` for deletes), in delivery order. */
  rows(table: string): Record<string, string | null>[] {
    return this.transactions.flatMap((tx) =>
      tx.changes.flatMap((c) => {
        if (c.op === 'truncate' || c.relation.name !== table) return [];
        return [c.op === 'delete' ? c.old : c.new];
      }),
    );
  }
}

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface SlotState {
  readonly confirmedFlush: bigint;
  readonly activePid: number | null;
}

export async function slotState(url: string, slotName: string): Promise<SlotState> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ lsn: string; active_pid: number | null }>(
      'SELECT confirmed_flush_lsn::text AS lsn, active_pid FROM pg_replication_slots WHERE slot_name = $1',
      [slotName],
    );
    const row = rows[0];
    if (!row) throw new Error(`no slot ${slotName}`);
    return { confirmedFlush: parseLsn(row.lsn), activePid: row.active_pid };
  });
}

export async function currentWal(url: string): Promise<bigint> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
    return parseLsn(rows[0]!.lsn);
  });
}

let slotCounter = 0;

/** A started stream on a fresh slot (and the shared publication `outpost_test`). */
export async function startStream(
  url: string,
  consumer: ReplicationConsumer,
  options: Partial<ReplicationStreamOptions> = {},
): Promise<ReplicationStream> {
  slotCounter += 1;
  const stream = new ReplicationStream({
    connectionString: url,
    slotName: `outpost_test_${process.pid}_${slotCounter}`,
    publicationName: 'outpost_test',
    consumer,
    heartbeatIntervalMs: 200,
    reconnectDelayMs: { initial: 50, max: 500 },
    ...options,
  });
  await stream.start();
  await waitFor('the stream to connect', () => stream.status.connected);
  return stream;
}
