/**
 * scripts/dev-stack/state-directory.ts: the local development stack's state directory
 * (`.outpost/` in the repository, or OUTPOST_STATE_DIR), its single-run lock and its auth secret.
 *
 *   .outpost/
 *     start.lock     pid of the `npm start` using this directory (removed when it stops)
 *     auth-secret    AUTH_SECRET of the sync server, generated once (mode 0600)
 *     postgres/      the persistent PostgreSQL cluster (data/, socket, postgres.log)
 *     sync-server/   the sync server's shape logs and its development certificate (tls/)
 *
 * Guarantees: one `npm start` per state directory at a time (a second one fails with the pid of the
 * first); the auth secret is created once with mode 0600 and reused, so sessions survive restarts.
 * When this process is root the directory is left traversable (0755), because the cluster below it
 * runs as the `postgres` system user.
 * Security note: the auth secret signs access tokens of the local sync server only; it never leaves
 * this machine and is not printed.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/** The state directory: OUTPOST_STATE_DIR (relative to the repository) or `<repo>/.outpost`. */
export function stateDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(REPO_ROOT, env['OUTPOST_STATE_DIR'] || '.outpost');
}

export class StateDirectoryBusyError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `another \`npm start\` (pid ${pid}) is already using ${dir}. Stop it first (Ctrl+C in its terminal, or kill ${pid}).`,
    );
    this.name = 'StateDirectoryBusyError';
  }
}

/** Whether process `pid` is running (EPERM: it runs, as another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Creates the directory and takes its lock; the returned function releases it. */
export async function lockStateDirectory(dir: string): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true });
  if (typeof process.getuid === 'function' && process.getuid() === 0) await chmod(dir, 0o755);
  const lockFile = path.join(dir, 'start.lock');
  const holder = Number((await readFile(lockFile, 'utf8').catch(() => '')).trim());
  if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
    throw new StateDirectoryBusyError(dir, holder);
  }
  await writeFile(lockFile, `${process.pid}\n`);
  return async () => {
    const current = (await readFile(lockFile, 'utf8').catch(() => '')).trim();
    if (current === String(process.pid)) await rm(lockFile, { force: true });
  };
}

/** AUTH_SECRET from the environment, else the one kept in `<dir>/auth-secret` (created once). */
export async function authSecret(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const fromEnv = env['AUTH_SECRET'];
  if (fromEnv) return fromEnv;
  const file = path.join(dir, 'auth-secret');
  const kept = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (Buffer.byteLength(kept) >= 32) return kept;
  const secret = randomBytes(48).toString('base64url');
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return secret;
}
