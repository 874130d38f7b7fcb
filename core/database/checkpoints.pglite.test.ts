/**
 * The local database checkpoints once the WAL since the last checkpoint passes the limit, and only
 * then, so an unclean end (a closed browser tab) leaves little WAL to replay on the next open.
 */
import { PGlite } from '@electric-sql/pglite';
import { afterEach, describe, expect, it } from 'vitest';
import { keepCheckpointing, type Checkpoints } from './checkpoints.ts';

const walSinceCheckpoint = async (db: PGlite) =>
  (
    await db.query<{ bytes: number }>(
      `SELECT (pg_current_wal_insert_lsn() - checkpoint_lsn)::float8 AS bytes FROM pg_control_checkpoint()`,
    )
  ).rows[0]?.bytes ?? 0;

describe('keepCheckpointing', () => {
  let db: PGlite;
  let checkpoints: Checkpoints | undefined;
  afterEach(async () => {
    checkpoints?.stop();
    await db.close();
  });

  it('checkpoints after the WAL passes the limit and leaves a small WAL alone', async () => {
    db = await PGlite.create();
    checkpoints = keepCheckpointing(db, { intervalMs: 3_600_000, maxWalBytes: 1024 * 1024 });
    await db.exec(`CREATE TABLE t (id serial PRIMARY KEY, v text)`);
    await db.exec(`CHECKPOINT`);
    await db.exec(`INSERT INTO t (v) VALUES ('small')`);
    expect(await checkpoints.checkpointIfNeeded()).toBe(false);

    await db.exec(`INSERT INTO t (v) SELECT repeat('x', 500) FROM generate_series(1, 10000)`);
    expect(await walSinceCheckpoint(db)).toBeGreaterThan(1024 * 1024);
    expect(await checkpoints.checkpointIfNeeded()).toBe(true);
    expect(await walSinceCheckpoint(db)).toBeLessThan(64 * 1024);
  });

  it('checks on its own timer', async () => {
    db = await PGlite.create();
    await db.exec(
      `CREATE TABLE t (v text); INSERT INTO t SELECT repeat('y', 500) FROM generate_series(1, 10000)`,
    );
    checkpoints = keepCheckpointing(db, { intervalMs: 50, maxWalBytes: 1024 * 1024 });
    await expect.poll(() => walSinceCheckpoint(db), { timeout: 30_000 }).toBeLessThan(64 * 1024);
  });
});
