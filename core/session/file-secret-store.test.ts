import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileSecretStore } from './file-secret-store.ts';

describe('FileSecretStore', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps values across instances in a 0600 file, and deletes them', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'outpost-secrets-'));
    const file = path.join(dir, 'nested', 'secrets.json');
    const a = new FileSecretStore(file);
    await Promise.all([a.set('one', '1'), a.set('two', '2')]);
    const b = new FileSecretStore(file);
    expect(await b.get('one')).toBe('1');
    expect(await b.get('two')).toBe('2');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    await b.delete('one');
    expect(await new FileSecretStore(file).get('one')).toBeNull();
    expect(await new FileSecretStore(file).get('two')).toBe('2');
  });

  it('reads a missing or corrupt file as empty', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'outpost-secrets-'));
    const file = path.join(dir, 'secrets.json');
    expect(await new FileSecretStore(file).get('x')).toBeNull();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(file, '{not json');
    expect(await new FileSecretStore(file).get('x')).toBeNull();
    await new FileSecretStore(file).set('x', 'y');
    expect(await new FileSecretStore(file).get('x')).toBe('y');
  });
});
