/**
 * scripts/dev-stack/app-process.ts: the app of `npm start`: Electron (`electron-vite dev`) where its
 * binary is installed, otherwise the browser host (the Vite dev server of vite.web.config.ts).
 *
 * What the app is told (environment):
 *   both       VITE_OUTPOST_SERVER_URL   the sync server, the default of the sign-in form
 *   Electron   OUTPOST_DEV_SYNC_URL      the sync server, for the main process
 *              OUTPOST_DEV_TLS_CERT      the development certificate (PEM) the main process may trust
 *   browser    OUTPOST_DEV_TLS_CERT, OUTPOST_DEV_TLS_KEY: vite.web.config.ts serves HTTPS (HTTP/2) with
 *              the sync server's own development certificate, so accepting it once in the browser
 *              at https://localhost:<port> covers the sync server too (Chromium decides per host)
 *
 * Guarantee: the browser host is started with --strictPort, so the address printed is the one it
 * serves (a taken port is an error that names OUTPOST_WEB_PORT, not a silent move to another port).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startChild, type ManagedChild } from './processes.ts';
import { REPO_ROOT } from './state-directory.ts';
import { assertPortFree, type DevCertificate } from './sync-server-process.ts';

export const DEFAULT_WEB_PORT = 5173;
export const ELECTRON_APP = 'the Electron app';

/** Path of the installed Electron executable, or undefined when it has not been downloaded. */
export function installedElectron(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const override = env['ELECTRON_OVERRIDE_DIST_PATH'];
  if (override) return existsSync(override) ? override : undefined;
  const pkg = path.join(REPO_ROOT, 'node_modules', 'electron');
  const pathFile = path.join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const executable = path.join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(executable) ? executable : undefined;
}

const packageBin = (pkg: string, bin: string): string =>
  path.join(REPO_ROOT, 'node_modules', pkg, 'bin', bin);

export interface AppOptions {
  readonly syncUrl: string;
  readonly certificate: DevCertificate;
  readonly webPort: number;
  readonly env: NodeJS.ProcessEnv;
}

export type RunningApp =
  | { readonly kind: 'electron'; readonly child: ManagedChild }
  | { readonly kind: 'web'; readonly child: ManagedChild; readonly url: string };

export async function spawnApp(options: AppOptions): Promise<RunningApp> {
  const env = { ...options.env, VITE_OUTPOST_SERVER_URL: options.syncUrl };
  if (installedElectron(options.env)) {
    const child = startChild(
      ELECTRON_APP,
      process.execPath,
      [packageBin('electron-vite', 'electron-vite.js'), 'dev'],
      {
        cwd: REPO_ROOT,
        env: {
          ...env,
          OUTPOST_DEV_SYNC_URL: options.syncUrl,
          OUTPOST_DEV_TLS_CERT: options.certificate.certFile,
        },
      },
    );
    return { kind: 'electron', child };
  }
  await assertPortFree(options.webPort, 'the browser host', 'OUTPOST_WEB_PORT');
  const child = startChild(
    'the browser host',
    process.execPath,
    [
      packageBin('vite', 'vite.js'),
      '--config',
      'vite.web.config.ts',
      '--port',
      String(options.webPort),
      '--strictPort',
    ],
    {
      cwd: REPO_ROOT,
      env: {
        ...env,
        OUTPOST_DEV_TLS_CERT: options.certificate.certFile,
        OUTPOST_DEV_TLS_KEY: options.certificate.keyFile,
      },
    },
  );
  return { kind: 'web', child, url: `https://localhost:${options.webPort}/` };
}
