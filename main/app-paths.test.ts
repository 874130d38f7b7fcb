/**
 * main/app-paths.test.ts: packaged and development layouts resolve to the files electron-builder and
 * electron-vite actually produce.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appPaths } from './app-paths.ts';

describe('appPaths', () => {
  it('uses the repository in development', () => {
    const paths = appPaths({
      isPackaged: false,
      resourcesPath: '/usr/lib/electron/resources',
      appPath: '/src/outpost',
      userData: '/home/u/.config/Outpost',
      mainDir: '/src/outpost/out/main',
    });
    expect(paths).toEqual({
      coreEntry: path.join('/src/outpost/out/main/core.js'),
      preload: path.join('/src/outpost/out/preload/index.cjs'),
      rendererIndex: path.join('/src/outpost/out/renderer/index.html'),
      migrationsDir: path.join('/src/outpost/migrations'),
      dataDir: path.join('/home/u/.config/Outpost/data'),
      secretsFile: path.join('/home/u/.config/Outpost/secrets.enc.json'),
      windowStateFile: path.join('/home/u/.config/Outpost/window-state.json'),
    });
  });

  it('reads migrations from resources/ when packaged (extraResources in electron-builder.yml)', () => {
    const paths = appPaths({
      isPackaged: true,
      resourcesPath: '/opt/Outpost/resources',
      appPath: '/opt/Outpost/resources/app.asar',
      userData: '/home/u/.config/Outpost',
      mainDir: '/opt/Outpost/resources/app.asar/out/main',
    });
    expect(paths.migrationsDir).toBe(path.join('/opt/Outpost/resources/migrations'));
    expect(paths.coreEntry).toBe(path.join('/opt/Outpost/resources/app.asar/out/main/core.js'));
  });
});
