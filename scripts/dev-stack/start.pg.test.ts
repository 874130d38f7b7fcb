/**
 * scripts/dev-stack/start.pg.test.ts: the real `npm start`, in browser-host mode, as a newcomer runs
 * it: a first start on an empty state directory (cluster created, migrated, seeded), the app page and
 * the sync server answering over HTTPS under one development certificate, then Ctrl+C (SIGINT to
 * the whole process group, as a terminal sends it) stopping everything: no port left open, no
 * PostgreSQL left running. Needs the PostgreSQL 15 binaries (it starts its own cluster, never
 * DATABASE_URL); takes about half a minute.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, PG_MAJOR } from '../postgres/cluster.ts';
import { runningPostmaster } from './local-cluster.ts';
import { REPO_ROOT } from './state-directory.ts';
import { assertPortFree, httpsStatus } from './sync-server-process.ts';

const pgBin = process.env['OUTPOST_PG_BIN'] ?? `/usr/lib/postgresql/${PG_MAJOR}/bin`;
const dirs: string[] = [];

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.skipIf(!existsSync(path.join(pgBin, 'postgres')))('npm start', () => {
  it('brings up the database, the sync server and the browser host, and Ctrl+C stops them all', async () => {
    const stateDir = await mkdtemp(path.join(tmpdir(), 'outpost-start-'));
    dirs.push(stateDir);
    const [syncPort, webPort] = [await freePort(), await freePort()];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      OUTPOST_STATE_DIR: stateDir,
      OUTPOST_SYNC_PORT: String(syncPort),
      OUTPOST_WEB_PORT: String(webPort),
      ELECTRON_OVERRIDE_DIST_PATH: path.join(stateDir, 'no-electron'), // the browser host
      DATABASE_URL: undefined,
      AUTH_SECRET: undefined,
    };
    const started = Date.now();
    const child = spawn('npm', ['start'], {
      cwd: REPO_ROOT,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // 'close': npm and everything that shares its output (tsx, the stack) are done.
    const exited = new Promise<string>((resolve) =>
      child.once('close', (code, signal) => resolve(signal ?? String(code))),
    );
    try {
      const appUrl = await new Promise<string>((resolve, reject) => {
        const timer = setInterval(() => {
          const match = /Open the app:\s+(https:\/\/\S+)/.exec(output);
          if (match?.[1]) resolve(match[1]);
          else if (Date.now() - started > 150_000) reject(new Error(`npm start did not come up:\n${output}`));
        }, 200);
        void exited.then((code) =>
          reject(new Error(`npm start exited (${code}) before it was up:\n${output}`)),
        );
        void Promise.race([exited, new Promise((r) => setTimeout(r, 151_000))]).finally(() =>
          clearInterval(timer),
        );
      });
      const upSeconds = (Date.now() - started) / 1000;
      expect(appUrl).toBe(`https://localhost:${webPort}/`);
      expect(output).toContain(`Sync server:    https://localhost:${syncPort}`);
      expect(output).toContain('admin@northwind.test');
      expect(output).toMatch(/seeded \d+ rows/);

      // One certificate for both: trusting exactly the sync server's dev certificate reaches the app.
      const cert = await readFile(path.join(stateDir, 'sync-server', 'tls', 'dev-cert.pem'), 'utf8');
      expect(await httpsStatus(appUrl, cert, 10_000)).toBe(200);
      expect(await httpsStatus(`https://localhost:${syncPort}/v1/health`, cert, 10_000)).toBe(200);
      const postmaster = await runningPostmaster(path.join(stateDir, 'postgres'));
      expect(postmaster).toBeDefined();

      process.kill(-child.pid!, 'SIGINT');
      const code = await exited;
      // npm reports an interrupted script as 130, or dies of the SIGINT itself when its output is not a
      // terminal, whatever the script returned; the stack's own verdict is its last line.
      expect(['0', '130', 'SIGINT']).toContain(code);
      expect(output).toMatch(
        /stopping the browser host[\s\S]*stopping the sync server[\s\S]*stopping PostgreSQL/,
      );
      expect(output).toMatch(/outpost: stopped\n/);
      await assertPortFree(webPort, 'web', 'x');
      await assertPortFree(syncPort, 'sync', 'x');
      // pg_ctl returns once the pid file is gone; the process itself ends (and is reaped) a moment later.
      const deadline = Date.now() + 10_000;
      while (isAlive(postmaster!) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(isAlive(postmaster!)).toBe(false);
      expect(existsSync(path.join(stateDir, 'start.lock'))).toBe(false);
      console.log(`npm start: up after ${upSeconds.toFixed(1)} s (first run, with seed)`);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      const leftover = await runningPostmaster(path.join(stateDir, 'postgres'));
      if (leftover !== undefined) process.kill(leftover, 'SIGQUIT');
    }
  }, 240_000);
});
