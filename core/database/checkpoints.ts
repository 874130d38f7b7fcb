/**
 * core/database/checkpoints.ts: keeps short the write-ahead log an unclean restart of the local
 * database must replay.
 *
 *   keepCheckpointing(db, { intervalMs, maxWalBytes })
 *     every intervalMs: the WAL written since the last checkpoint (pg_control_checkpoint) ─► CHECKPOINT
 *     once it passes maxWalBytes; returns { stop, checkpointIfNeeded }
 *
 * Why: PGlite is a single Postgres backend with no checkpointer process, so a checkpoint happens only
 * when the WAL reaches max_wal_size (1 GB) or the database is closed cleanly. A browser tab is never
 * closed cleanly (a reload or a closed window ends the worker), so every reopen replayed all the WAL
 * since the data directory was created: after a first sync, 15 s of a 25 s reopen in Chromium.
 *
 * Guarantees: at most one check runs at a time; a failed check is reported to `onError` and the next
 * tick tries again; `stop` ends the timer (an in-flight CHECKPOINT finishes; PGlite serialises it with
 * every other statement).
 */
import type { PGliteInterface } from '@electric-sql/pglite';

export interface CheckpointOptions {
  /** How often to look at the WAL (default 10 s). */
  readonly intervalMs?: number;
  /** WAL bytes since the last checkpoint that trigger one (default 2 MiB). */
  readonly maxWalBytes?: number;
  readonly onError?: (error: unknown) => void;
}

export interface Checkpoints {
  /** Checkpoints now if the WAL since the last one passed the limit; true if it did. */
  checkpointIfNeeded(): Promise<boolean>;
  stop(): void;
}

const WAL_SINCE_CHECKPOINT_SQL = `SELECT (pg_current_wal_insert_lsn() - checkpoint_lsn)::float8 AS bytes
  FROM pg_control_checkpoint()`;

export function keepCheckpointing(
  db: Pick<PGliteInterface, 'query' | 'exec'>,
  { intervalMs = 10_000, maxWalBytes = 2 * 1024 * 1024, onError }: CheckpointOptions = {},
): Checkpoints {
  let running: Promise<boolean> | null = null;
  const check = async (): Promise<boolean> => {
    const { rows } = await db.query<{ bytes: number }>(WAL_SINCE_CHECKPOINT_SQL);
    if ((rows[0]?.bytes ?? 0) <= maxWalBytes) return false;
    await db.exec('CHECKPOINT');
    return true;
  };
  const checkpointIfNeeded = () => {
    running ??= check().finally(() => (running = null));
    return running;
  };
  const timer = setInterval(() => {
    checkpointIfNeeded().catch((error: unknown) => onError?.(error));
  }, intervalMs);
  return { checkpointIfNeeded, stop: () => clearInterval(timer) };
}
