/**
 * Recovery, the hard cases, with the real Electric client. Every client must end with exactly the
 * central rows: no row missing, no duplicate key, no change message delivered twice, and the shape
 * (its handle) survives.
 *
 *   - the sync server killed with SIGKILL in the middle of a stream of writes and started again on
 *     the same data directory and slot: a client that stayed connected, one that resumes from the
 *     handle and offset it held at the crash, and a fresh one;
 *   - the central PostgreSQL restarted under a live shape (fast shutdown, and immediate: a crash
 *     with recovery) while writes go on before and after: the server reconnects by itself;
 *   - shapes first requested during recovery: while the dead server's walsender still holds the slot
 *     (the backlog is replayed after the snapshot), and while writes go on (the snapshot meets a
 *     current stream).
 *
 * The server runs as a child process (scripts/testing/sync-server-process.ts) where it must die, and
 * in-process where only PostgreSQL restarts. The PostgreSQL restarts use a cluster of their own.
 */
import { ShapeStream, type Row } from '@electric-sql/client';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restartCluster, startPrivateCluster } from '../../scripts/testing/cluster-restart.ts';
import { EVENTS_DDL, startEventWriter } from '../../scripts/testing/event-writer.ts';
import { holdSlot } from '../../scripts/testing/slot-holder.ts';
import { createTestDatabase, type TestDatabase } from '../../scripts/testing/postgres.ts';
import { ShapeRecorder, type ShapeCheckpoint } from '../../scripts/testing/shape-recorder.ts';
import {
  spawnSyncServer,
  waitForHealth,
  type SyncServerProcess,
} from '../../scripts/testing/sync-server-process.ts';
import { startTestSyncServer } from '../../scripts/testing/sync-server.ts';

const SEEDED = 200;

async function until(
  check: () => boolean | Promise<boolean>,
  what: string | (() => string),
  timeoutMs = 30_000,
) {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function createEvents(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(EVENTS_DDL);
    await client.query(`INSERT INTO events SELECT g, 0, 'seeded' FROM generate_series(1, ${SEEDED}) g`);
  } finally {
    await client.end();
  }
}

/** The central rows (matching `where`) as the client materialises them, in key order. */
async function centralEvents(url: string, where = 'true'): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: number; batch: number; note: string | null }>(
      `SELECT id, batch, note FROM events WHERE ${where}`,
    );
    return JSON.stringify(
      rows
        .map((r) => [`"public"."events"/"${r.id}"`, { id: r.id, batch: r.batch, note: r.note }] as const)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([, row]) => row),
    );
  } finally {
    await client.end();
  }
}

const lsnOf = (text: string): bigint => {
  const [hi = '0', lo = '0'] = text.split('/');
  return (BigInt(`0x${hi}`) << 32n) + BigInt(`0x${lo}`);
};

/**
 * Waits until the server has stored everything committed so far (health active, acknowledged_lsn
 * at or past the WAL position read now) and the recorders have received nothing for 300 ms: after
 * this a late duplicate would have arrived.
 */
async function settle(serverUrl: string, databaseUrl: string, recorders: ShapeRecorder[]): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ lsn: string }>(`SELECT pg_current_wal_lsn()::text AS lsn`);
  await client.end();
  const target = lsnOf(rows[0]?.lsn ?? '0/0');
  let last = '';
  await until(
    async () => {
      const health = await fetch(`${serverUrl}/v1/health`).then(
        async (r) => (await r.json()) as { status: string; acknowledged_lsn: string | null },
        () => null,
      );
      last = JSON.stringify(health);
      // The slot is acknowledged up to a transaction's commit end once the engine has stored it
      // (processed_lsn is the commit's start, below pg_current_wal_lsn() until the next keepalive).
      return health?.status === 'active' && lsnOf(health.acknowledged_lsn ?? '0/0') >= target;
    },
    () => `the server to store everything committed (last health ${last})`,
  );
  let count = -1;
  let since = Date.now();
  await until(() => {
    const n = recorders.reduce((sum, r) => sum + r.applied.length + r.refetches, 0);
    if (n !== count) [count, since] = [n, Date.now()];
    return Date.now() - since >= 300;
  }, 'the clients to go quiet');
}

/** The slot's acknowledged position (as text and as the decimal LSN shape messages carry). */
async function slotPosition(
  url: string,
  slot: string,
): Promise<{ confirmed: string; confirmedDecimal: bigint }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ confirmed: string; decimal: string }>(
      `SELECT confirmed_flush_lsn::text AS confirmed, (confirmed_flush_lsn - '0/0'::pg_lsn)::text AS decimal
         FROM pg_replication_slots WHERE slot_name = $1`,
      [slot],
    );
    return { confirmed: rows[0]?.confirmed ?? '?', confirmedDecimal: BigInt(rows[0]?.decimal ?? '0') };
  } finally {
    await client.end();
  }
}

/** A live client on `shapeUrl` feeding `recorder`; `checkpoint()` is its position after the last batch. */
function follow(
  shapeUrl: string,
  recorder: ShapeRecorder,
  resume?: ShapeCheckpoint,
): { stream: ShapeStream<Row>; checkpoint: () => ShapeCheckpoint | undefined } {
  const stream = new ShapeStream<Row>({
    url: shapeUrl,
    params: { table: 'events' },
    ...(resume?.handle ? { offset: resume.offset as `${number}_${number}`, handle: resume.handle } : {}),
  });
  let checkpoint: ShapeCheckpoint | undefined;
  stream.subscribe((messages) => {
    recorder.apply(messages);
    checkpoint = { handle: stream.shapeHandle, offset: stream.lastOffset, applied: recorder.applied.length };
  });
  return { stream, checkpoint: () => checkpoint };
}

function expectClean(name: string, recorder: ShapeRecorder): void {
  expect(recorder.anomalies, `${name}: anomalies`).toEqual([]);
  expect(recorder.duplicates, `${name}: messages delivered twice`).toEqual([]);
  expect(recorder.refetches, `${name}: must-refetch`).toBe(0);
}

describe('a sync-server crash (SIGKILL) in the middle of a stream of writes', () => {
  let db: TestDatabase;
  let dataDir: string;
  let server: SyncServerProcess | undefined;
  const streams: ShapeStream<Row>[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('recovery_crash');
    await createEvents(db.url);
    dataDir = await mkdtemp(path.join(tmpdir(), 'outpost-sync-crash-'));
  });

  afterAll(async () => {
    for (const s of streams) s.unsubscribeAll();
    await server?.kill('SIGKILL');
    await db?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('resumes every client with exactly the central rows: nothing lost, nothing twice', async () => {
    server = await spawnSyncServer({ databaseUrl: db.url, dataDir, slot: `slot_${db.name}`.slice(0, 63) });
    // Restarts reuse the port, so the client that stays connected finds the server again.
    const options = { databaseUrl: db.url, dataDir, slot: `slot_${db.name}`.slice(0, 63), port: server.port };
    const shapeUrl = server.shapeUrl;

    // A client that stays connected through the crash (it retries until the server is back).
    const live = new ShapeRecorder();
    const first = follow(shapeUrl, live);
    streams.push(first.stream);
    await until(() => first.stream.isUpToDate, 'the first client to be up to date');
    expect(live.rows.size).toBe(SEEDED);

    // Paced (about 150 transactions/s): with three live clients the server catches up slowly (each
    // live read re-reads the log's current chunk), and that speed is not what this test is about.
    const writer = startEventWriter(db.url, { firstId: 1_000, pauseMs: 5 });
    try {
      await writer.commits(30);
      await until(() => live.applied.length >= SEEDED + 100, 'changes to stream to the client');
      const atKill = first.checkpoint();
      const crashed = server;
      await crashed.kill('SIGKILL');
      const killedAfter = writer.committed;
      const t0 = Date.now();
      const atCrash = await slotPosition(db.url, options.slot);
      const servedLsn = live.applied.reduce((max, m) => {
        const lsn = m.headers['lsn'];
        return typeof lsn === 'string' && BigInt(lsn) > max ? BigInt(lsn) : max;
      }, 0n);
      await writer.commits(30); // written while the server is down
      server = await spawnSyncServer(options);
      const restartMs = Date.now() - t0;
      await writer.commits(60); // and after it is back
      const restartedAt = writer.committed;
      await writer.stop();
      expect(restartedAt).toBeGreaterThan(killedAfter);

      // A client that resumes from the handle and offset it held when the server died.
      expect(atKill?.handle).toBeTruthy();
      const resumed = live.prefix(atKill?.applied ?? 0);
      const second = follow(shapeUrl, resumed, atKill);
      streams.push(second.stream);
      // And a client that starts from scratch after the restart.
      const fresh = new ShapeRecorder();
      const third = follow(shapeUrl, fresh);
      streams.push(third.stream);

      const expected = await centralEvents(db.url);
      const t1 = Date.now();
      const done = (r: ShapeRecorder) => JSON.stringify(r.sortedRows()) === expected;
      await until(
        () => done(live) && done(resumed) && done(fresh),
        () =>
          `every client to reach the central rows (live ${live.rows.size}, resumed ${resumed.rows.size}, ` +
          `fresh ${fresh.rows.size}); server output:\n${server?.output()}`,
      );
      await settle(server.url, db.url, [live, resumed, fresh]);
      expect(JSON.stringify(live.sortedRows())).toBe(expected);
      expect(JSON.stringify(resumed.sortedRows())).toBe(expected);
      expect(JSON.stringify(fresh.sortedRows())).toBe(expected);
      expectClean('live client', live);
      expectClean('resumed client', resumed);
      expectClean('fresh client', fresh);
      expect(second.stream.shapeHandle).toBe(atKill?.handle);
      expect(third.stream.shapeHandle).toBe(atKill?.handle);
      expect(first.stream.shapeHandle).toBe(atKill?.handle);
      console.log(
        `crash test: slot acknowledged ${atCrash.confirmed} when the server died, the live client had been served ` +
          `changes up to commit ${servedLsn} (${servedLsn > atCrash.confirmedDecimal ? 'ahead of the slot: the restart replays what it already served' : 'not ahead of the slot'}); restart ${restartMs} ms; clients converged ${Date.now() - t1} ms after the writer stopped; ` +
          `${writer.committed} transactions (${killedAfter} before the kill), ` +
          `${live.applied.length} messages to the live client, ${resumed.applied.length - (atKill?.applied ?? 0)} ` +
          `to the resumed one after its offset, ${live.rows.size} rows`,
      );
    } finally {
      await writer.stop();
    }
  });
});

describe('a PostgreSQL restart under a live shape', () => {
  let cluster: Awaited<ReturnType<typeof startPrivateCluster>>;

  beforeAll(async () => {
    cluster = await startPrivateCluster();
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it.each(['fast', 'immediate'] as const)(
    'reconnects after a %s restart and the client ends with exactly the central rows',
    async (mode) => {
      const admin = new pg.Client({ connectionString: cluster.url() });
      await admin.connect();
      await admin.query(`CREATE DATABASE recovery_${mode}`);
      await admin.end();
      const url = cluster.url(`recovery_${mode}`);
      await createEvents(url);
      const sync = await startTestSyncServer(url);
      const recorder = new ShapeRecorder();
      const { stream } = follow(sync.shapeUrl, recorder);
      await until(() => stream.isUpToDate, 'the client to be up to date');
      const writer = startEventWriter(url, { firstId: 1_000 });
      try {
        await writer.commits(30);
        await until(() => recorder.applied.length >= SEEDED + 100, 'changes to stream to the client');
        const failedBefore = writer.failed;

        let watching = true;
        const health: number[] = [];
        const watcher = (async () => {
          while (watching) {
            const status = await fetch(`${sync.server.url}/v1/health`).then(
              async (r) => (await r.arrayBuffer(), r.status),
              () => 0,
            );
            if (health.at(-1) !== status) health.push(status);
            await new Promise((r) => setTimeout(r, 25));
          }
        })();
        await restartCluster(cluster, mode);
        await writer.commits(100); // the writer reconnects and carries on
        await writer.stop();
        health.push(...(await waitForHealth(sync.server.url)));
        watching = false;
        await watcher;

        const expected = await centralEvents(url);
        await until(
          () => JSON.stringify(recorder.sortedRows()) === expected,
          () => `the client to reach the central rows (${recorder.rows.size} rows)`,
        );
        await settle(sync.server.url, url, [recorder]);
        expect(JSON.stringify(recorder.sortedRows())).toBe(expected);
        expectClean('client', recorder);
        expect(writer.failed).toBeGreaterThan(failedBefore); // the restart did cut the writer off
        expect(health).toContain(503); // and the replication stream
        expect(sync.server.replication.status.reconnects).toBeGreaterThan(0);
        console.log(
          `${mode} restart: ${writer.committed} transactions, ${writer.failed} cut off, ` +
            `health ${health.join(' -> ')}, ${recorder.rows.size} rows`,
        );
      } finally {
        stream.unsubscribeAll();
        await writer.stop();
        await sync.stop();
      }
    },
  );
});

describe('shapes first requested during recovery', () => {
  let db: TestDatabase;
  let dataDir: string;
  let options: Parameters<typeof spawnSyncServer>[0];
  let server: SyncServerProcess | undefined;

  beforeAll(async () => {
    db = await createTestDatabase('recovery_new_shapes');
    await createEvents(db.url);
    // A million rows outside every tested shape (negative ids, batch -1), there before the table is
    // published: snapshots scan them in PostgreSQL for a while but return few rows, so the server
    // keeps streaming while a snapshot runs.
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(`INSERT INTO events SELECT -g, -1, NULL FROM generate_series(1, 1000000) g`);
    await client.end();
    dataDir = await mkdtemp(path.join(tmpdir(), 'outpost-sync-new-shapes-'));
    options = { databaseUrl: db.url, dataDir, slot: `slot_${db.name}`.slice(0, 63) };
    server = await spawnSyncServer(options);
    options = { ...options, port: server.port };
    // The table in the publication, through an empty shape of another definition than the tested ones.
    const r = await fetch(`${server.shapeUrl}?table=events&offset=-1&where=id%20%3D%200`);
    expect(r.status).toBe(200);
    await r.arrayBuffer();
  });

  afterAll(async () => {
    await server?.kill('SIGKILL');
    await db?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /** Follows a new shape until the server has processed everything and the client is quiet. */
  async function newShape(
    where: string,
    whenUpToDate: () => Promise<void> = () => Promise.resolve(),
  ): Promise<{ recorder: ShapeRecorder; expected: string }> {
    const recorder = new ShapeRecorder();
    const stream = new ShapeStream<Row>({ url: server?.shapeUrl ?? '', params: { table: 'events', where } });
    stream.subscribe((messages) => recorder.apply(messages));
    try {
      await until(() => stream.isUpToDate, 'the new shape to be up to date');
      await whenUpToDate();
      await settle(server?.url ?? '', db.url, [recorder]);
      return { recorder, expected: await centralEvents(db.url, where) };
    } finally {
      stream.unsubscribeAll();
    }
  }

  it('while the dead server still holds the slot, then replays the backlog: applies no transaction its snapshot has', async () => {
    // The server dies while its walsender lives on (a host crash or a partition: PostgreSQL notices
    // only after wal_sender_timeout). Writes go on; the restarted server serves HTTP but cannot
    // stream yet, and a client asks for a shape it has never had: the snapshot sees every committed
    // row. Then the slot comes free and the backlog, committed before that snapshot, is replayed.
    await server?.kill('SIGKILL');
    const writer = startEventWriter(db.url, { firstId: 10_000 });
    await writer.commits(100);
    await writer.stop();
    const hold = await holdSlot(db.url, options.slot);
    let recorder: ShapeRecorder;
    let expected: string;
    try {
      server = await spawnSyncServer(options);
      const url = server.url;
      let health = '';
      await until(
        async () => (health = await (await fetch(`${url}/v1/health`)).text()).includes('is active for PID'),
        () => `the restarted server to report the slot taken (health ${health})`,
      );
      const pending = newShape('id > 0', () => hold.release()); // once the client is up to date
      ({ recorder, expected } = await pending);
    } finally {
      await hold.release();
    }
    expect(recorder.anomalies.slice(0, 5), `${recorder.anomalies.length} anomalies`).toEqual([]);
    expect(recorder.duplicates).toEqual([]);
    expect(JSON.stringify(recorder.sortedRows())).toBe(expected);
  });

  it('while writes continue, joins its snapshot to the stream with no transaction lost or applied twice', async () => {
    // The stream is current and each snapshot scans a million rows: transactions that start and
    // commit while it runs reach the engine before it ends (they must be appended after it), and
    // transactions committed just before it may reach the engine after it ends (they must not).
    // Three new shapes, so that a timing-dependent loss shows in any run.
    const results = [];
    let firstId = 300_000;
    for (const where of ['batch >= 0', 'note IS NOT NULL', 'batch BETWEEN 0 AND 1000000']) {
      await settle(server?.url ?? '', db.url, []);
      const writer = startEventWriter(db.url, { firstId });
      firstId += 100_000;
      try {
        await writer.commits(20);
        // Writes go on through the whole snapshot, until the client is up to date.
        const { recorder, expected } = await newShape(where, () => writer.stop());
        const missing = (JSON.parse(expected) as { id: number }[])
          .map((r) => `"public"."events"/"${r.id}"`)
          .filter((k) => !recorder.rows.has(k));
        results.push({
          where,
          missing: missing.length,
          someMissing: missing.slice(0, 3),
          anomalies: recorder.anomalies.length,
          someAnomalies: recorder.anomalies.slice(0, 3),
          equal: JSON.stringify(recorder.sortedRows()) === expected,
        });
      } finally {
        await writer.stop();
      }
    }
    expect(results).toEqual(
      results.map((r) => ({
        ...r,
        missing: 0,
        someMissing: [],
        anomalies: 0,
        someAnomalies: [],
        equal: true,
      })),
    );
  });
});
