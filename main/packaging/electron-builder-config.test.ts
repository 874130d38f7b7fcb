/**
 * main/packaging/electron-builder-config.test.ts: electron-builder.yml is loaded and validated exactly
 * as `electron-builder` does before packaging (its getConfig + validateConfiguration against its
 * scheme.json), and holds what the desktop app needs: the targets, the migrations the core reads at
 * run time, and a real 1024x1024 icon. Packaging itself needs the Electron download (see README).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DebugLogger } from 'builder-util/out/DebugLogger.js';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const configFile = path.join(root, 'electron-builder.yml');

async function loadConfig() {
  return getConfig(root, configFile, null);
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema validation", { timeout: 30_000 }, async () => {
    await expect(validateConfiguration(await loadConfig(), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('would be rejected if it were wrong (the validation is real)', async () => {
    const config = { ...(await loadConfig()), nsis: { oneClick: 'no' } } as never;
    await expect(validateConfiguration(config, new DebugLogger(false))).rejects.toThrow(/oneClick/);
  });

  it('builds AppImage and deb, dmg, and an assisted nsis installer into release/', async () => {
    const config = await loadConfig();
    expect(config.appId).toBe('dev.outpost.workstation');
    expect(config.productName).toBe('Outpost');
    expect(config.directories?.output).toBe('release');
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.linux?.category).toBe('Office');
    expect(config.linux?.maintainer).toMatch(/<.+@.+>/);
    expect(config.mac?.target).toEqual(['dmg']);
    expect(config.mac?.category).toBe('public.app-category.business');
    expect(config.mac?.hardenedRuntime).toBe(true);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.nsis).toMatchObject({ oneClick: false, allowToChangeInstallationDirectory: true });
  });

  it('ships the built app and the migrations the core reads from resources/migrations', async () => {
    const config = await loadConfig();
    // getConfig normalises `files` into file sets; the patterns are their filters.
    const patterns = [config.files ?? []]
      .flat()
      .flatMap((f) => (typeof f === 'string' ? [f] : [f.filter ?? []].flat()));
    expect(patterns).toEqual(expect.arrayContaining(['out/**', 'package.json']));
    const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
    expect(packageJson.main.startsWith('out/')).toBe(true);
    expect(config.extraResources).toEqual([{ from: 'migrations', to: 'migrations', filter: ['**/*.sql'] }]);
  });

  it('has a 1024x1024 PNG icon and its SVG source', async () => {
    const config = await loadConfig();
    expect(config.icon).toBe('build/icon.png');
    expect(pngSize(path.join(root, 'build/icon.png'))).toEqual({ width: 1024, height: 1024 });
    expect(readFileSync(path.join(root, 'build/icon.svg'), 'utf8')).toMatch(/^<svg /);
  });
});
