/**
 * main/secrets/secret-vault.test.ts: the encrypted secrets file (with a fake cipher standing in for
 * safeStorage), the keychain decision and the request answers, without Electron.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CoreToMainMessageSchema,
  MainToCoreMessageSchema,
} from '../../common/host/utility-process-protocol.ts';
import {
  EncryptedSecretFile,
  MemorySecretVault,
  answerSecretRequest,
  keychainIsUsable,
  type SecretCipher,
} from './secret-vault.ts';

/** Reversible and visibly not plaintext; `broken` makes decryption fail like a changed keychain. */
function fakeCipher(state = { broken: false }): SecretCipher {
  return {
    encryptString: (plain) => Buffer.from(Buffer.from(`enc:${plain}`, 'utf8').map((b) => b ^ 0x5a)),
    decryptString(encrypted) {
      if (state.broken) throw new Error('Error while decrypting the ciphertext provided to safeStorage');
      const text = Buffer.from(encrypted.map((b) => b ^ 0x5a)).toString('utf8');
      if (!text.startsWith('enc:')) throw new Error('bad ciphertext');
      return text.slice(4);
    },
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'outpost-secrets-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('EncryptedSecretFile', () => {
  it('round-trips values and never writes plaintext, mode 0600', async () => {
    const file = path.join(dir, 'nested', 'secrets.json');
    const vault = new EncryptedSecretFile(file, fakeCipher());
    expect(await vault.get('outpost.session')).toBeNull();
    await vault.set('outpost.session', 'refresh-token-123');
    await vault.set('other', 'x');
    expect(await vault.get('outpost.session')).toBe('refresh-token-123');
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('refresh-token-123');
    expect(JSON.parse(text)).toMatchObject({ version: 1 });
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);

    const reopened = new EncryptedSecretFile(file, fakeCipher());
    expect(await reopened.get('outpost.session')).toBe('refresh-token-123');
    await reopened.delete('outpost.session');
    expect(await reopened.get('outpost.session')).toBeNull();
    expect(await reopened.get('other')).toBe('x');
  });

  it('serialises concurrent writes', async () => {
    const vault = new EncryptedSecretFile(path.join(dir, 'secrets.json'), fakeCipher());
    await Promise.all(Array.from({ length: 20 }, (_, i) => vault.set(`k${i}`, `v${i}`)));
    for (let i = 0; i < 20; i++) expect(await vault.get(`k${i}`)).toBe(`v${i}`);
  });

  it('reads a corrupt or foreign file as empty, and recovers on the next write', async () => {
    const file = path.join(dir, 'secrets.json');
    const problems: string[] = [];
    const vault = new EncryptedSecretFile(file, fakeCipher(), (p) => problems.push(p));
    for (const content of [
      '{not json',
      '[]',
      '{"version":2,"secrets":{}}',
      '{"version":1,"secrets":{"a":1}}',
    ]) {
      await writeFile(file, content);
      expect(await vault.get('a')).toBeNull();
    }
    expect(problems).toHaveLength(4);
    await vault.set('a', 'b');
    expect(await vault.get('a')).toBe('b');
  });

  it('reads an entry it cannot decrypt as absent', async () => {
    const state = { broken: false };
    const problems: string[] = [];
    const vault = new EncryptedSecretFile(path.join(dir, 'secrets.json'), fakeCipher(state), (p) =>
      problems.push(p),
    );
    await vault.set('outpost.session', 'token');
    state.broken = true;
    expect(await vault.get('outpost.session')).toBeNull();
    expect(problems.join()).not.toContain('token"');
  });
});

describe('keychainIsUsable', () => {
  it('trusts macOS and Windows when encryption is available', () => {
    expect(keychainIsUsable({ encryptionAvailable: true, platform: 'darwin' })).toBe(true);
    expect(keychainIsUsable({ encryptionAvailable: true, platform: 'win32' })).toBe(true);
    expect(keychainIsUsable({ encryptionAvailable: false, platform: 'darwin' })).toBe(false);
  });

  it("refuses Linux's hard-coded-password backend and an unknown one", () => {
    for (const linuxBackend of ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']) {
      expect(keychainIsUsable({ encryptionAvailable: true, platform: 'linux', linuxBackend })).toBe(true);
    }
    for (const linuxBackend of ['basic_text', 'unknown', undefined]) {
      expect(
        keychainIsUsable({
          encryptionAvailable: true,
          platform: 'linux',
          ...(linuxBackend ? { linuxBackend } : {}),
        }),
      ).toBe(false);
    }
  });
});

describe('answerSecretRequest', () => {
  it('answers get, set and delete with valid protocol messages', async () => {
    const vault = new MemorySecretVault();
    const answers = [
      await answerSecretRequest(vault, { type: 'secret-set', id: 1, key: 'k', value: 'v' }),
      await answerSecretRequest(vault, { type: 'secret-get', id: 2, key: 'k' }),
      await answerSecretRequest(vault, { type: 'secret-delete', id: 3, key: 'k' }),
      await answerSecretRequest(vault, { type: 'secret-get', id: 4, key: 'k' }),
    ];
    expect(answers).toEqual([
      { type: 'secret-result', id: 1, value: null },
      { type: 'secret-result', id: 2, value: 'v' },
      { type: 'secret-result', id: 3, value: null },
      { type: 'secret-result', id: 4, value: null },
    ]);
    for (const answer of answers) expect(MainToCoreMessageSchema.parse(answer)).toEqual(answer);
  });

  it('turns a failing vault into a secret-error without the secret or the cause', async () => {
    const failing = {
      get: () => Promise.reject(new Error('disk on fire')),
      set: () => Promise.reject(new Error('disk on fire: token-xyz')),
      delete: () => Promise.reject(new Error('disk on fire')),
    };
    const answer = await answerSecretRequest(failing, {
      type: 'secret-set',
      id: 7,
      key: 'k',
      value: 'token-xyz',
    });
    expect(answer).toEqual({
      type: 'secret-error',
      id: 7,
      code: 'internal',
      message: 'The main process could not set the secret.',
    });
    expect(MainToCoreMessageSchema.safeParse(answer).success).toBe(true);
  });

  it('is fed only validated requests (the schema main parses with)', () => {
    expect(
      CoreToMainMessageSchema.safeParse({ type: 'secret-get', id: 1, key: 'outpost.session' }).success,
    ).toBe(true);
    expect(CoreToMainMessageSchema.safeParse({ type: 'secret-get', id: -1, key: 'k' }).success).toBe(false);
    expect(
      CoreToMainMessageSchema.safeParse({ type: 'secret-set', id: 1, key: 'a/b', value: 'v' }).success,
    ).toBe(false);
    expect(CoreToMainMessageSchema.safeParse({ type: 'secret-set', id: 1, key: 'k' }).success).toBe(false);
  });
});
