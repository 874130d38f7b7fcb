/**
 * main/app-paths.ts: every file and directory the main process uses, derived in one place from
 * Electron's locations (passed in, so this is tested without Electron).
 *
 *   userData/data/                 the core's data directory (PGlite per account, outpost.lock)
 *   userData/secrets.enc.json      tokens, each encrypted with safeStorage (main/secrets/)
 *   userData/window-state.json     the main window's bounds (main/window/)
 *   out/main/core.js               the core's utility-process entry (electron.vite.config.ts)
 *   migrations/                    packaged: resources/migrations (electron-builder extraResources);
 *                                  development: the repository's migrations/ beside package.json
 */
import path from 'node:path';

export interface AppLocations {
  readonly isPackaged: boolean;
  /** process.resourcesPath */
  readonly resourcesPath: string;
  /** app.getAppPath(): the directory of package.json (or app.asar when packaged) */
  readonly appPath: string;
  /** app.getPath('userData') */
  readonly userData: string;
  /** The directory of the built main bundle (out/main). */
  readonly mainDir: string;
}

export interface AppPaths {
  readonly coreEntry: string;
  readonly preload: string;
  readonly rendererIndex: string;
  readonly migrationsDir: string;
  readonly dataDir: string;
  readonly secretsFile: string;
  readonly windowStateFile: string;
}

export function appPaths(locations: AppLocations): AppPaths {
  const { isPackaged, resourcesPath, appPath, userData, mainDir } = locations;
  return {
    coreEntry: path.join(mainDir, 'core.js'),
    preload: path.join(mainDir, '..', 'preload', 'index.cjs'),
    rendererIndex: path.join(mainDir, '..', 'renderer', 'index.html'),
    migrationsDir: isPackaged ? path.join(resourcesPath, 'migrations') : path.join(appPath, 'migrations'),
    dataDir: path.join(userData, 'data'),
    secretsFile: path.join(userData, 'secrets.enc.json'),
    windowStateFile: path.join(userData, 'window-state.json'),
  };
}
