/**
 * core/session/file-secret-store.ts: the Node host's SecretStore: one JSON file, mode 0600, in the
 * host's data directory, written atomically (temporary file + rename).
 *
 * Guarantees: a crash during a write leaves the previous content or the new one, never a torn file;
 * only the owning OS user can read it. It is not encrypted: the Electron host uses safeStorage
 * instead, and the browser host IndexedDB (the browser's own origin isolation).
 */
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SecretStore } from './session-manager.ts';

export class FileSecretStore implements SecretStore {
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {}

  async get(key: string): Promise<string | null> {
    await this.queue;
    return (await this.read())[key] ?? null;
  }

  set(key: string, value: string): Promise<void> {
    return this.update((all) => ({ ...all, [key]: value }));
  }

  delete(key: string): Promise<void> {
    return this.update((all) => Object.fromEntries(Object.entries(all).filter(([k]) => k !== key)));
  }

  private update(change: (all: Record<string, string>) => Record<string, string>): Promise<void> {
    const next = this.queue.then(async () => {
      const all = change(await this.read());
      await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      const temp = `${this.file}.${process.pid}.tmp`;
      await writeFile(temp, JSON.stringify(all), { mode: 0o600 });
      await chmod(temp, 0o600);
      await rename(temp, this.file);
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async read(): Promise<Record<string, string>> {
    try {
      const parsed = JSON.parse(await readFile(this.file, 'utf8')) as unknown;
      if (typeof parsed !== 'object' || parsed === null) return {};
      return Object.fromEntries(
        Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'),
      );
    } catch {
      return {};
    }
  }
}
