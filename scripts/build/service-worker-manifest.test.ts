import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildManifest } from './service-worker-manifest.ts';

let dir = '';
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('buildManifest', () => {
  it('lists every file of the build but the service worker, its manifest and source maps', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'outpost-sw-'));
    await mkdir(path.join(dir, 'assets'));
    for (const file of [
      'index.html',
      'sw.js',
      'sw-manifest.json',
      'assets/a-1.js',
      'assets/a-1.js.map',
      'assets/x.wasm',
    ])
      await writeFile(path.join(dir, file), 'x');
    expect(buildManifest(dir).files).toEqual(['./', 'assets/a-1.js', 'assets/x.wasm', 'index.html']);
  });

  it('changes its version when any file changes', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'outpost-sw-'));
    await writeFile(path.join(dir, 'index.html'), 'one');
    const first = buildManifest(dir).version;
    expect(buildManifest(dir).version).toBe(first);
    await writeFile(path.join(dir, 'index.html'), 'longer');
    expect(buildManifest(dir).version).not.toBe(first);
  });
});
