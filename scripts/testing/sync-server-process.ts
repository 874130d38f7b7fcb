/**
 * scripts/testing/sync-server-process.ts: the sync server as a real child process
 * (`node --import tsx sync-server/main.ts`, `--insecure-dev` unless an auth secret is given), so a test can crash it with SIGKILL and
 * start it again on the same data directory, slot and port.
 *
 *   spawnSyncServer(options) ─► stderr "listening on <url>" ─► { url, kill(signal), output() }
 *
 * main.ts needs a fixed PORT (it has no "pick one"), so a free port is chosen here; restart on the
 * same port (`{ ...options, port: previous.port }`) so live clients find the server again.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../postgres/cluster.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');

export interface SyncServerProcessOptions {
  readonly databaseUrl: string;
  readonly dataDir: string;
  /** Replication slot name (slot names are cluster-wide: one per test database). */
  readonly slot: string;
  /** Default: a free port. Pass the `port` of an earlier process to restart on the same one. */
  readonly port?: number;
  readonly startTimeoutMs?: number;
  /** Gated mode with this AUTH_SECRET (sign-in, tenant gate, write API); insecure-dev without. */
  readonly authSecret?: string;
}

export interface SyncServerProcess {
  readonly pid: number;
  readonly port: number;
  readonly url: string;
  readonly shapeUrl: string;
  /** Resolves with the exit code (null when killed by a signal) once the process is gone. */
  readonly exited: Promise<number | null>;
  /** Sends `signal` and waits for the process to exit. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
}

export async function spawnSyncServer(options: SyncServerProcessOptions): Promise<SyncServerProcess> {
  const port = options.port ?? (await freePort());
  const mode = options.authSecret === undefined ? ['--insecure-dev'] : [];
  const child = spawn(process.execPath, ['--import', 'tsx', 'sync-server/main.ts', ...mode], {
    cwd: repoRoot,
    env: {
      ...process.env,
      ...(options.authSecret === undefined ? {} : { AUTH_SECRET: options.authSecret }),
      DATABASE_URL: options.databaseUrl,
      PORT: String(port),
      OUTPOST_SYNC_DATA_DIR: options.dataDir,
      OUTPOST_SYNC_SLOT: options.slot,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`sync server did not start within ${options.startTimeoutMs ?? 30_000} ms:\n${output}`),
      );
    }, options.startTimeoutMs ?? 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`sync server exited (${code}) before listening:\n${output}`));
    });
  });
  return {
    pid: child.pid ?? -1,
    port,
    url,
    shapeUrl: `${url}/v1/shape`,
    exited,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
    output: () => output,
  };
}

/** Polls `GET /v1/health` until it answers `status` (default 200); returns the statuses seen. */
export async function waitForHealth(url: string, status = 200, timeoutMs = 30_000): Promise<number[]> {
  const seen: number[] = [];
  const started = Date.now();
  for (;;) {
    const got = await fetch(`${url}/v1/health`, { signal: AbortSignal.timeout(2_000) }).then(
      async (r) => {
        await r.arrayBuffer();
        return r.status;
      },
      () => 0,
    );
    if (seen.at(-1) !== got) seen.push(got);
    if (got === status) return seen;
    if (Date.now() - started > timeoutMs)
      throw new Error(`health did not become ${status} within ${timeoutMs} ms (seen ${seen.join(', ')})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
