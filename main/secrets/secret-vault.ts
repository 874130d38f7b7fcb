/**
 * main/secrets/secret-vault.ts: where the main process keeps the core's secrets (tokens), and how it
 * answers the core's secret requests (common/host/utility-process-protocol.ts).
 *
 *   EncryptedSecretFile  every value encrypted with the OS keychain (safeStorage, injected as a
 *                        SecretCipher), in one JSON file, mode 0600, written atomically
 *   MemorySecretVault    the fallback when no OS keychain is usable: secrets live until the app quits
 *                        and are never written to disk (the user signs in at every launch)
 *
 * Guarantees: a plaintext secret never reaches the disk; a missing, corrupt or undecryptable file or
 * entry reads as absent (the user signs in again) and never crashes main; writes are serialised, and a
 * crash during one leaves the previous file or the new one. No electron import: tests inject a cipher.
 */
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { SecretRequest } from '../../common/host/utility-process-protocol.ts';

/** safeStorage's two functions (the only place plaintext and the keychain meet). */
export interface SecretCipher {
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/** The same shape as core's SecretStore, which main may not import. */
export interface SecretVault {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

const FileSchema = z.object({
  version: z.literal(1),
  secrets: z.record(z.string(), z.string().regex(/^[A-Za-z0-9+/=]*$/)),
});

export class EncryptedSecretFile implements SecretVault {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly cipher: SecretCipher,
    private readonly onProblem: (problem: string) => void = () => undefined,
  ) {}

  async get(key: string): Promise<string | null> {
    await this.queue;
    const encrypted = (await this.read())[key];
    if (encrypted === undefined) return null;
    try {
      return this.cipher.decryptString(Buffer.from(encrypted, 'base64'));
    } catch {
      this.onProblem(`secret ${key} could not be decrypted (keychain changed?); treating it as absent`);
      return null;
    }
  }

  set(key: string, value: string): Promise<void> {
    const encrypted = this.cipher.encryptString(value).toString('base64');
    return this.update((all) => ({ ...all, [key]: encrypted }));
  }

  delete(key: string): Promise<void> {
    return this.update((all) => Object.fromEntries(Object.entries(all).filter(([k]) => k !== key)));
  }

  private update(change: (all: Record<string, string>) => Record<string, string>): Promise<void> {
    const next = this.queue.then(async () => {
      const all = change(await this.read());
      await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      const temp = `${this.file}.${process.pid}.tmp`;
      try {
        await writeFile(temp, JSON.stringify({ version: 1, secrets: all }), { mode: 0o600 });
        await chmod(temp, 0o600);
        await rename(temp, this.file);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async read(): Promise<Record<string, string>> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch {
      return {};
    }
    try {
      const parsed = FileSchema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data.secrets;
    } catch {
      // fall through
    }
    this.onProblem(`${path.basename(this.file)} is not a secrets file; treating it as empty`);
    return {};
  }
}

export class MemorySecretVault implements SecretVault {
  private readonly secrets = new Map<string, string>();

  get(key: string): Promise<string | null> {
    return Promise.resolve(this.secrets.get(key) ?? null);
  }

  set(key: string, value: string): Promise<void> {
    this.secrets.set(key, value);
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    this.secrets.delete(key);
    return Promise.resolve();
  }
}

/** What safeStorage reports about itself (getSelectedStorageBackend exists on Linux only). */
export interface KeychainStatus {
  readonly encryptionAvailable: boolean;
  readonly platform: string;
  readonly linuxBackend?: string;
}

/**
 * Persist only when the OS keychain really protects the key. On Linux, safeStorage without a secret
 * service falls back to `basic_text`, a hard-coded password: that is obfuscation, so it counts as
 * unavailable, as does `unknown`.
 */
export function keychainIsUsable(status: KeychainStatus): boolean {
  if (!status.encryptionAvailable) return false;
  if (status.platform !== 'linux') return true;
  return status.linuxBackend !== undefined && !['basic_text', 'unknown'].includes(status.linuxBackend);
}

/** The answer main sends for one secret request; never throws (errors become `secret-error`). */
export async function answerSecretRequest(
  vault: SecretVault,
  request: SecretRequest,
): Promise<
  | { type: 'secret-result'; id: number; value: string | null }
  | { type: 'secret-error'; id: number; code: 'internal'; message: string }
> {
  try {
    switch (request.type) {
      case 'secret-get':
        return { type: 'secret-result', id: request.id, value: await vault.get(request.key) };
      case 'secret-set':
        await vault.set(request.key, request.value);
        return { type: 'secret-result', id: request.id, value: null };
      case 'secret-delete':
        await vault.delete(request.key);
        return { type: 'secret-result', id: request.id, value: null };
    }
  } catch {
    // The message names the operation only: never the value, never the underlying error's text.
    return {
      type: 'secret-error',
      id: request.id,
      code: 'internal',
      message: `The main process could not ${request.type.slice('secret-'.length)} the secret.`,
    };
  }
}
