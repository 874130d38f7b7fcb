/**
 * scripts/dev-stack/stack.ts: `npm start` from first line to last: the central database, the sync
 * server and the app, started in that order and stopped in the reverse one.
 *
 *   lock state dir ─► AUTH_SECRET ─► ports free? ─► database: DATABASE_URL (migrate, seed if empty)
 *                                                    or the local cluster (start, migrate, seed once)
 *   ─► development certificate ─► sync server, wait for /v1/health ─► app (Electron or browser host),
 *      wait for its page ─► banner ─► wait for Ctrl+C / SIGTERM / a child that died
 *   ─► stop: app (SIGTERM, wait) ─► sync server (SIGTERM, wait) ─► cluster (pg_ctl stop -m fast)
 *      ─► release the lock
 *
 * Guarantees: every piece that started is stopped, in that order, each awaited, also when a later
 * step failed or Ctrl+C came during startup (a seed stopped halfway is redone on the next start, see
 * central-database.ts). A second Ctrl+C (more than a second after the first: one key press can
 * reach us twice through npm and tsx) kills the children and the cluster at once. The exit code is
 * 0 after a requested stop (or when the Electron window was closed), 1 when something failed or a
 * child died on its own, 130 when forced.
 */
import path from 'node:path';
import { PostgresToolsMissingError, type PostgresCluster } from '../postgres/cluster.ts';
import {
  DEFAULT_WEB_PORT,
  ELECTRON_APP,
  installedElectron,
  spawnApp,
  type RunningApp,
} from './app-process.ts';
import { banner } from './banner.ts';
import { databaseUrl, provisionCentralDatabase, provisionExternalDatabase } from './central-database.ts';
import { runningPostmaster, shutDownPostmaster, startLocalCluster } from './local-cluster.ts';
import {
  describeExit,
  StopRequest,
  StopRequestedError,
  Teardown,
  unlessStopped,
  type ManagedChild,
} from './processes.ts';
import { authSecret, lockStateDirectory, stateDirectory } from './state-directory.ts';
import {
  assertPortFree,
  DEFAULT_SYNC_PORT,
  devCertificate,
  spawnSyncServer,
  waitUntilServing,
} from './sync-server-process.ts';

const LOCAL_DATABASE = 'outpost';

const log = (line: string): void => console.log(`outpost: ${line}`);

function portFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`${name} must be a port number, got ${raw}`);
  return port;
}

const redact = (url: string): string => {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
};

class DevStack {
  readonly stop = new StopRequest();
  readonly teardown = new Teardown(log);
  private readonly children: ManagedChild[] = [];
  private cluster: PostgresCluster | undefined;

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  private track(child: ManagedChild, stopLabel: string): void {
    this.children.push(child);
    this.stop.watch(child);
    this.teardown.add(stopLabel, async () => {
      if (!child.isRunning) return;
      log(`stopping ${child.name}`);
      await child.stop();
    });
  }

  async start(): Promise<void> {
    const stateDir = stateDirectory(this.env);
    const unlock = await lockStateDirectory(stateDir);
    this.teardown.add('the state directory lock', unlock);
    const secret = await authSecret(stateDir, this.env);
    const syncPort = portFromEnv(this.env, 'OUTPOST_SYNC_PORT', DEFAULT_SYNC_PORT);
    const webPort = portFromEnv(this.env, 'OUTPOST_WEB_PORT', DEFAULT_WEB_PORT);
    // Checked again right before each start; here to fail before the slow database step.
    await assertPortFree(syncPort, 'the sync server', 'OUTPOST_SYNC_PORT');
    if (!installedElectron(this.env)) await assertPortFree(webPort, 'the browser host', 'OUTPOST_WEB_PORT');

    const { url: dbUrl, label } = await unlessStopped(this.stop, this.database(stateDir));

    const syncDataDir = path.join(stateDir, 'sync-server');
    const certificate = await devCertificate(syncDataDir);
    const sync = await spawnSyncServer({
      databaseUrl: dbUrl,
      authSecret: secret,
      dataDir: syncDataDir,
      port: syncPort,
      certificate,
      env: this.env,
    });
    this.track(sync.child, 'the sync server');
    await unlessStopped(
      this.stop,
      waitUntilServing(`${sync.url}/v1/health`, certificate.cert, sync.child, 90_000),
    );
    log(`the sync server is up at ${sync.url}`);

    const app: RunningApp = await spawnApp({
      syncUrl: sync.url,
      certificate,
      webPort,
      env: this.env,
    });
    if (app.kind === 'web') {
      log('Electron is not installed on this machine: starting the browser host instead');
    }
    this.track(app.child, 'the app');
    if (app.kind === 'web') {
      await unlessStopped(this.stop, waitUntilServing(app.url, certificate.cert, app.child, 90_000));
    }
    console.log(
      banner({
        app: app.kind === 'web' ? { kind: 'web', url: app.url } : { kind: 'electron' },
        syncUrl: sync.url,
        database: label,
      }),
    );
  }

  private async database(stateDir: string): Promise<{ url: string; label: string }> {
    const external = this.env['DATABASE_URL'];
    if (external) {
      log(
        `using DATABASE_URL (${redact(external)}): applying new migrations, seeding only if it has no tenants`,
      );
      const outcome = await provisionExternalDatabase(external, { log });
      if (outcome === 'reused-unmarked') log('it already has tenants: using its data as it is');
      return { url: external, label: `${redact(external)} (DATABASE_URL)` };
    }
    // Registered before the start resolves: Ctrl+C during initdb or pg_ctl start still stops it.
    const starting = startLocalCluster(stateDir, log);
    this.teardown.add('PostgreSQL', async () => {
      const started = await starting.catch(() => undefined);
      if (!started) return;
      log('stopping PostgreSQL');
      await started.stop();
    });
    const cluster = await starting;
    this.cluster = cluster;
    log(`PostgreSQL is up on 127.0.0.1:${cluster.port} (data in ${cluster.dataDir})`);
    const outcome = await provisionCentralDatabase(cluster.url(), LOCAL_DATABASE, { recreate: true, log });
    if (outcome === 'reused' || outcome === 'reused-unmarked')
      log(`using the seeded database "${LOCAL_DATABASE}"`);
    const url = databaseUrl(cluster.url(), LOCAL_DATABASE);
    return { url, label: `${url} (local, ${cluster.baseDir})` };
  }

  forced = false;

  /** Second Ctrl+C: no more waiting. */
  async force(): Promise<void> {
    this.forced = true;
    for (const child of this.children) child.kill();
    const pid = this.cluster ? await runningPostmaster(this.cluster.baseDir) : undefined;
    if (pid !== undefined) await shutDownPostmaster(pid, 'immediate').catch(() => undefined);
  }
}

function explain(error: unknown, env: NodeJS.ProcessEnv): string {
  if (error instanceof PostgresToolsMissingError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  if (/ECONNREFUSED|ENOTFOUND|password authentication|does not exist/.test(message) && env['DATABASE_URL']) {
    return `cannot use DATABASE_URL: ${message}. Check the URL, or unset DATABASE_URL to use the project-local PostgreSQL.`;
  }
  return message;
}

/** Runs the stack until it is stopped; resolves with the exit code. */
export async function runDevStack(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const stack = new DevStack(env);
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (!stack.stop.reason) {
      firstSignalAt = Date.now();
      log(`${signal}: stopping (press Ctrl+C again to force)`);
      stack.stop.request({ kind: 'signal', signal });
    } else if (Date.now() - firstSignalAt > 1_000) {
      log('forced stop');
      void stack.force().finally(() => process.exit(130));
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let failed = false;
  try {
    await stack.start();
    const reason = await stack.stop.promise;
    if (reason.kind === 'child-exited' && reason.name === ELECTRON_APP && reason.exit.code === 0) {
      log('the app was closed; stopping the rest');
    } else if (reason.kind === 'child-exited') {
      failed = true;
      log(`${reason.name} ${describeExit(reason.exit)} unexpectedly; stopping the rest`);
    }
  } catch (error) {
    const reason = stack.stop.reason;
    if (reason?.kind === 'child-exited') {
      failed = true;
      log(
        `${reason.name} ${describeExit(reason.exit)} while starting (see its output above); stopping the rest`,
      );
    } else if (!(error instanceof StopRequestedError) && !reason) {
      failed = true;
      log(`could not start: ${explain(error, env)}`);
    }
  }
  stack.stop.request({ kind: 'signal', signal: 'SIGTERM' });
  const clean = await stack.teardown.run();
  log(clean ? 'stopped' : 'stopped, with errors (see above)');
  if (stack.forced) return 130;
  return failed || !clean ? 1 : 0;
}
