/**
 * scripts/testing/cluster-restart.ts: a private, restartable PostgreSQL cluster for tests that must
 * restart the database under a running sync server (the run's shared cluster, pg-global-setup.ts,
 * must never be restarted). `restartCluster` runs `pg_ctl restart` in place, as the postgres system
 * user when we are root (PostgreSQL refuses root), on the same data directory, port and log file.
 *
 *   fast       clean shutdown: sessions are ended, WAL is flushed, a shutdown checkpoint is written
 *   immediate  a crash: the postmaster and every backend quit at once and the next start runs
 *              crash recovery (replication slots come back at their last checkpointed position)
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { PG_MAJOR, PostgresCluster } from '../postgres/cluster.ts';

const run = promisify(execFile);

export type RestartMode = 'fast' | 'immediate';

export async function restartCluster(cluster: PostgresCluster, mode: RestartMode = 'fast'): Promise<void> {
  const pgCtl = path.join(process.env['OUTPOST_PG_BIN'] ?? `/usr/lib/postgresql/${PG_MAJOR}/bin`, 'pg_ctl');
  const args = [
    '-D',
    cluster.dataDir,
    '-l',
    path.join(cluster.baseDir, 'postgres.log'),
    '-w',
    '-t',
    '60',
    '-m',
    mode,
    'restart',
  ];
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const [file, argv] = root ? ['runuser', ['-u', 'postgres', '--', pgCtl, ...args]] : [pgCtl, args];
  try {
    await run(file, argv);
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`pg_ctl restart failed: ${e.stderr?.trim() || e.message}`, { cause: error });
  }
}

/** A throwaway cluster of the test's own (removed by `stop()`), with logical replication. */
export function startPrivateCluster(): Promise<PostgresCluster> {
  return PostgresCluster.start();
}
