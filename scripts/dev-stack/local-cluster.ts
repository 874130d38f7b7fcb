/**
 * scripts/dev-stack/local-cluster.ts: the project-local PostgreSQL 15 cluster of `npm start`, kept in
 * `<state dir>/postgres/` between runs (scripts/postgres/cluster.ts with `persistent: true`).
 *
 *   leftover server from a run that was killed? ─► fast shutdown, wait ─► pg_ctl start (free port)
 *
 * Guarantees: the data directory is created on first use and reused after; a server left running by
 * an earlier `npm start` that was killed (the state directory's lock says no other run is alive) is
 * shut down first instead of failing on its lock file. The server listens on 127.0.0.1 only, on a
 * port chosen at each start. Missing PostgreSQL 15 binaries fail with the command that installs them.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PostgresCluster } from '../postgres/cluster.ts';
import { isAlive } from './state-directory.ts';

export function clusterDirectory(stateDir: string): string {
  return path.join(stateDir, 'postgres');
}

/** The postmaster pid recorded in the data directory, when that process is still running. */
export async function runningPostmaster(baseDir: string): Promise<number | undefined> {
  const pidFile = path.join(baseDir, 'data', 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

/** Stops a postmaster by pid: SIGINT is PostgreSQL's "fast" shutdown, SIGQUIT its "immediate" one. */
export async function shutDownPostmaster(pid: number, mode: 'fast' | 'immediate'): Promise<void> {
  process.kill(pid, mode === 'fast' ? 'SIGINT' : 'SIGQUIT');
  if (!(await waitForExit(pid, 60_000))) {
    throw new Error(`PostgreSQL (pid ${pid}) did not stop within 60 s; stop it with: kill -QUIT ${pid}`);
  }
}

export async function startLocalCluster(
  stateDir: string,
  log: (line: string) => void,
): Promise<PostgresCluster> {
  const baseDir = clusterDirectory(stateDir);
  const leftover = await runningPostmaster(baseDir);
  if (leftover !== undefined) {
    log(`stopping a PostgreSQL server (pid ${leftover}) left running by an earlier run`);
    await shutDownPostmaster(leftover, 'fast');
  }
  const firstRun = !existsSync(path.join(baseDir, 'data', 'PG_VERSION'));
  if (firstRun) log(`creating the local PostgreSQL cluster in ${baseDir}`);
  return PostgresCluster.start({ baseDir, persistent: true });
}
