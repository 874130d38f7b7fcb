/**
 * scripts/dev-stack/sync-server-process.ts: the sync server of `npm start`, as a child process
 * (`node --import tsx sync-server/main.ts`, what `npm run sync-server` runs) in gated mode over HTTPS
 * with HTTP/2, under the development certificate kept in `<state dir>/sync-server/tls/`.
 *
 *   development certificate (create or reuse) ─► port free? ─► spawn ─► GET /v1/health = 200
 *
 * Guarantees: waitUntilServing() resolves only once the server answers its health check (replication
 * running); it fails with what went wrong and what to do when the port is taken, the process exits early, or
 * it does not become healthy in time. The certificate is made here, before the server starts, so
 * the web host can serve the very same certificate (a browser that accepted it once for localhost
 * then trusts both).
 * Security note: the certificate is self-signed and valid for localhost only (see
 * sync-server/http/dev-certificate.ts); the health check trusts exactly that certificate.
 */
import { request } from 'node:https';
import { createServer } from 'node:net';
import path from 'node:path';
import { loadOrCreateDevCertificate } from '../../sync-server/http/dev-certificate.ts';
import { startChild, type ManagedChild, describeExit } from './processes.ts';
import { REPO_ROOT } from './state-directory.ts';

export const DEFAULT_SYNC_PORT = 3010;

export interface DevCertificate {
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: string;
}

/** The sync server's development certificate (main.ts reuses the same files while they are valid). */
export async function devCertificate(syncDataDir: string): Promise<DevCertificate> {
  const dir = path.join(syncDataDir, 'tls');
  const material = await loadOrCreateDevCertificate(dir);
  return {
    certFile: path.join(dir, 'dev-cert.pem'),
    keyFile: path.join(dir, 'dev-key.pem'),
    cert: material.cert,
  };
}

/** Fails with a clear message when something already listens on 127.0.0.1:`port`. */
export async function assertPortFree(port: number, what: string, envName: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `port ${port} (${what}) is already in use: stop whatever listens there, or set ${envName} to another port.`
            : `cannot listen on port ${port} (${what}): ${error.message}`,
        ),
      ),
    );
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

/** Status of GET `url`, trusting only `ca`; 0 when it cannot connect. */
export function httpsStatus(url: string, ca: string, timeoutMs = 2_000): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { ca, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

/** Polls `url` until it answers 200, the child exits, or `timeoutMs` passes. */
export async function waitUntilServing(
  url: string,
  ca: string,
  child: ManagedChild,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: number;
  for (;;) {
    if (!child.isRunning) throw new Error(`${child.name} ${describeExit(await child.exited)} while starting`);
    last = await httpsStatus(url, ca);
    if (last === 200) return;
    if (Date.now() > deadline) {
      throw new Error(
        `${child.name} did not answer ${url} within ${timeoutMs / 1000} s (last status: ${last || 'no connection'}); see its output above.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export interface SyncServerOptions {
  readonly databaseUrl: string;
  readonly authSecret: string;
  readonly dataDir: string;
  readonly port: number;
  readonly certificate: DevCertificate;
  readonly env: NodeJS.ProcessEnv;
}

export interface RunningSyncServer {
  readonly child: ManagedChild;
  /** https://localhost:<port>, the address a browser and the app use. */
  readonly url: string;
}

/** Spawns the sync server; the caller waits with waitUntilServing(`${url}/v1/health`, ...). */
export async function spawnSyncServer(options: SyncServerOptions): Promise<RunningSyncServer> {
  await assertPortFree(options.port, 'the sync server', 'OUTPOST_SYNC_PORT');
  const child = startChild('the sync server', process.execPath, ['--import', 'tsx', 'sync-server/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...options.env,
      DATABASE_URL: options.databaseUrl,
      AUTH_SECRET: options.authSecret,
      PORT: String(options.port),
      HOST: '127.0.0.1',
      OUTPOST_SYNC_DATA_DIR: options.dataDir,
      OUTPOST_SYNC_DEV_TLS: '1',
      TLS_CERT: undefined,
      TLS_KEY: undefined,
    },
  });
  return { child, url: `https://localhost:${options.port}` };
}
