/**
 * The data directory lock: a live holder (this process or another) keeps every other acquire out with
 * `locked`; a holder killed with SIGKILL leaves a stale lock that the next acquire takes over; release
 * lets the next one in and is idempotent.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock } from './data-dir-lock.ts';

describe('data directory lock', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'outpost-lock-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps a second owner out in the same process until released', async () => {
    const lock = await acquireDataDirLock(dir);
    await expect(acquireDataDirLock(dir)).rejects.toMatchObject({ code: 'locked' });
    await lock.release();
    await lock.release();
    const again = await acquireDataDirLock(dir);
    await again.release();
  });

  it('keeps another live process out, and takes over once it was killed', async () => {
    const module = pathToFileURL(path.join(import.meta.dirname, 'data-dir-lock.ts')).href;
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `const { acquireDataDirLock } = await import(${JSON.stringify(module)});
         await acquireDataDirLock(${JSON.stringify(dir)});
         process.stdout.write('held\\n');
         setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => child.stdout.on('data', () => resolve()));
    const error = await acquireDataDirLock(dir).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'locked', details: { pid: child.pid } });
    expect((error as Error).message).toMatch(/in use by another Outpost process/);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    const lock = await acquireDataDirLock(dir);
    expect(JSON.parse(await readFile(lock.file, 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
  }, 30_000);

  it('treats a torn lock file as stale', async () => {
    await writeFile(path.join(dir, 'outpost.lock'), '{"pid":');
    const lock = await acquireDataDirLock(dir);
    await lock.release();
  });
});
