/**
 * What the shape engine is promised about durability and flow: acknowledgement only after the
 * consumer stored a transaction, no loss or duplicate across restarts and walsender deaths, idle
 * slots that advance, and bounded buffering behind a slow consumer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../scripts/testing/postgres.ts';
import { ReplicationStream, type ReplicationStreamOptions } from './replication-stream.ts';
import {
  currentWal,
  RecordingConsumer,
  slotState,
  startStream,
  waitFor,
  withClient,
} from './replication.testkit.ts';
import type { ReplicatedTransaction } from './types.ts';

let db: TestDatabase;
const streams: ReplicationStream[] = [];

async function open(consumer: RecordingConsumer, options: Partial<ReplicationStreamOptions> = {}) {
  const stream = await startStream(db.url, consumer, options);
  streams.push(stream);
  return stream;
}

function slotOf(stream: ReplicationStream): string {
  return (stream as unknown as { options: ReplicationStreamOptions }).options.slotName;
}

const sql = (text: string, values: unknown[] = []) => withClient(db.url, (c) => c.query(text, values));

/** Ids of the `events` rows, in delivery order. */
const eventIds = (consumer: RecordingConsumer): number[] =>
  consumer.rows('events').map((r) => Number(r['id']));

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function insertEvents(ids: number[]): Promise<void> {
  await withClient(db.url, async (client) => {
    for (const id of ids) await client.query('INSERT INTO events VALUES ($1)', [id]);
  });
}

beforeAll(async () => {
  db = await createTestDatabase('replication_recovery');
  await sql(`
    CREATE TABLE events (id int PRIMARY KEY);
    ALTER TABLE events REPLICA IDENTITY FULL;
    CREATE TABLE unpublished (id serial PRIMARY KEY, note text);
    CREATE PUBLICATION outpost_test FOR TABLE events;
  `);
});

afterAll(async () => {
  await Promise.all(streams.map((s) => s.stop()));
  await db?.drop();
});

describe('ReplicationStream acknowledgement', () => {
  it('acknowledges a transaction only after the consumer resolved it', async () => {
    await sql('TRUNCATE events');
    const stuck = new RecordingConsumer();
    let handed: ReplicatedTransaction | undefined;
    stuck.hold = (tx) => {
      if (tx.changes.some((c) => c.op === 'insert' && c.new['id'] === '1')) {
        handed = tx;
        return new Promise<void>(() => undefined); // never stored
      }
      return Promise.resolve();
    };
    const first = await open(stuck);
    const slot = slotOf(first);
    await insertEvents([1, 2]);
    const tx = await waitFor('the transaction to reach the consumer', () => handed);
    // Several heartbeats later the slot has still not passed the transaction.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await slotState(db.url, slot)).confirmedFlush <= tx.commitLsn).toBe(true);
    expect(first.status.lastAcknowledgedLsn! <= tx.commitLsn).toBe(true);
    expect(stuck.transactions).toEqual([]);
    await first.stop();

    // A new stream on the same slot gets the transaction again, then the next one.
    const consumer = new RecordingConsumer();
    const second = new ReplicationStream({
      connectionString: db.url,
      slotName: slot,
      publicationName: 'outpost_test',
      consumer,
      heartbeatIntervalMs: 200,
    });
    streams.push(second);
    await second.start();
    await waitFor('both transactions', () => eventIds(consumer).length >= 2);
    expect(eventIds(consumer)).toEqual([1, 2]);
    expect(consumer.transactions[0]!.commitLsn).toBe(tx.commitLsn);
    await waitFor('the slot to pass them', async () => {
      const { confirmedFlush } = await slotState(db.url, slot);
      return confirmedFlush > consumer.transactions[1]!.commitLsn;
    });
    await second.stop();
  });

  it('fails clearly when the consumer rejects, and delivers that transaction again on the next start', async () => {
    await sql('TRUNCATE events');
    const consumer = new RecordingConsumer();
    let reject = true;
    consumer.hold = () => (reject ? Promise.reject(new Error('disk full')) : Promise.resolve());
    const stream = await open(consumer);
    await insertEvents([1]);
    await waitFor('the stream to fail', () => stream.status.state === 'failed');
    expect(stream.status.error).toMatchObject({ code: 'replication_consumer_failed' });
    expect(stream.status.connected).toBe(false);
    reject = false;
    await stream.start();
    await waitFor('the transaction', () => consumer.transactions.length >= 1);
    expect(eventIds(consumer)).toEqual([1]);
    expect(stream.status.state).toBe('streaming');
  });

  it('advances the slot while idle, from keepalives, and reports the position to onCaughtUp', async () => {
    const consumer = new RecordingConsumer();
    const stream = await open(consumer, { heartbeatIntervalMs: 100 });
    // WAL that the publication does not carry: no transaction is delivered, yet the slot moves.
    await sql(`INSERT INTO unpublished (note) SELECT 'n' FROM generate_series(1, 100)`);
    const target = await currentWal(db.url);
    await waitFor('confirmed_flush_lsn to pass the unpublished WAL', async () => {
      const { confirmedFlush } = await slotState(db.url, slotOf(stream));
      return confirmedFlush >= target;
    });
    expect(consumer.transactions).toEqual([]);
    expect(consumer.caughtUp.at(-1)! >= target).toBe(true);
    expect(stream.status.lastAcknowledgedLsn! >= target).toBe(true);
    await waitFor('a lag measurement', () => stream.status.lagBytes !== null);
    await stream.stop();
  });
});

describe('ReplicationStream recovery', () => {
  it('resumes after stop/start without losing or repeating a transaction', async () => {
    await sql('TRUNCATE events');
    const consumer = new RecordingConsumer();
    const stream = await open(consumer);
    await insertEvents(range(1, 3));
    await waitFor('the first three', () => eventIds(consumer).length >= 3);
    await stream.stop();
    expect(stream.status).toMatchObject({ state: 'stopped', connected: false });
    await insertEvents(range(4, 6)); // while stopped
    await stream.start();
    await insertEvents(range(7, 8));
    await waitFor('all eight', () => eventIds(consumer).length >= 8);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(eventIds(consumer)).toEqual(range(1, 8));
  });

  it('reconnects after the walsender is killed, without loss or duplicates', async () => {
    await sql('TRUNCATE events');
    const consumer = new RecordingConsumer();
    consumer.hold = () => new Promise((resolve) => setTimeout(resolve, 2)); // slower than the writer
    const stream = await open(consumer);
    const writing = insertEvents(range(1, 150));
    await waitFor('some events', () => eventIds(consumer).length >= 20);
    const killed = await sql(
      `SELECT pg_terminate_backend(active_pid) AS killed FROM pg_replication_slots WHERE slot_name = $1`,
      [slotOf(stream)],
    );
    expect(killed.rows).toEqual([{ killed: true }]);
    await writing;
    await waitFor('all 150 events', () => eventIds(consumer).length >= 150, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(eventIds(consumer)).toEqual(range(1, 150));
    await waitFor('the stream to be back', () => stream.status.reconnects >= 1 && stream.status.connected);
    expect(stream.status.state).toBe('streaming');
    const lsns = consumer.transactions.map((tx) => tx.commitLsn);
    expect(lsns.every((lsn, i) => i === 0 || lsn > lsns[i - 1]!)).toBe(true);
  });

  it('does not deliver twice a transaction that was with the consumer when the connection dropped', async () => {
    await sql('TRUNCATE events');
    const consumer = new RecordingConsumer();
    let release: () => void = () => undefined;
    consumer.hold = (tx) =>
      tx.changes.some((c) => c.op === 'insert' && c.new['id'] === '2')
        ? new Promise<void>((resolve) => (release = resolve))
        : Promise.resolve();
    const stream = await open(consumer);
    await insertEvents([1, 2, 3]);
    await waitFor('event 1', () => eventIds(consumer).length >= 1);
    await sql(`SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = $1`, [
      slotOf(stream),
    ]);
    // PostgreSQL re-sends 2 and 3 on the new connection while 2 is still being stored.
    await waitFor('the reconnect', () => stream.status.reconnects >= 1 && stream.status.connected);
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    await waitFor('event 3', () => eventIds(consumer).length >= 3);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(eventIds(consumer)).toEqual([1, 2, 3]);
  });
});

describe('ReplicationStream backpressure and limits', () => {
  it('keeps buffered messages bounded behind a slow consumer', async () => {
    await sql('TRUNCATE events');
    const consumer = new RecordingConsumer();
    consumer.hold = () => new Promise((resolve) => setTimeout(resolve, 10));
    const stream = await open(consumer, { maxBufferedMessages: 12 });
    await insertEvents(range(1, 200)); // 200 transactions of 3 messages, written faster than consumed
    await waitFor('all 200', () => eventIds(consumer).length >= 200, 30_000);
    expect(eventIds(consumer)).toEqual(range(1, 200));
    expect(stream.status.peakBufferedMessages).toBeLessThanOrEqual(12);
    expect(stream.status.bufferedMessages).toBe(0);
    await stream.stop();

    // Control: the same load without the limit buffers far more, so the bound above is the meter's.
    const unbounded = new RecordingConsumer();
    unbounded.hold = consumer.hold;
    const control = await open(unbounded, { maxBufferedMessages: Number.MAX_SAFE_INTEGER });
    await insertEvents(range(201, 400));
    await waitFor('all 200 again', () => eventIds(unbounded).length >= 200, 30_000);
    expect(control.status.peakBufferedMessages).toBeGreaterThan(60);
    await control.stop();
  });

  it('fails with replication_transaction_too_large instead of holding an oversized transaction', async () => {
    await sql('TRUNCATE events');
    const consumer = new RecordingConsumer();
    const stream = await open(consumer, { maxTransactionBytes: 20_000 });
    await sql('INSERT INTO events SELECT i FROM generate_series(1000, 2999) i');
    await waitFor('the stream to fail', () => stream.status.state === 'failed');
    expect(stream.status.error).toMatchObject({ code: 'replication_transaction_too_large' });
    expect(consumer.transactions).toEqual([]);
    const { confirmedFlush } = await slotState(db.url, slotOf(stream));
    expect(confirmedFlush < (await currentWal(db.url))).toBe(true);
  });
});
