/**
 * core/host/idb-secret-store.ts: the browser host's SecretStore: one IndexedDB object store, readable
 * only by this origin (the browser's origin isolation is the protection; there is no OS keychain).
 *
 * Guarantees: each set/delete is one IndexedDB transaction that has completed (durably committed)
 * when the promise resolves; a failure rejects with the browser's error. Works in a Web Worker and in
 * a window. Types are declared here (the core compiles without DOM libraries).
 */
import type { SecretStore } from '../session/session-manager.ts';

interface IdbRequest<T> {
  result: T;
  error: unknown;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}
interface IdbOpenRequest extends IdbRequest<IdbDatabase> {
  onupgradeneeded: (() => void) | null;
}
interface IdbTransaction {
  objectStore(name: string): IdbObjectStore;
  oncomplete: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
  error: unknown;
}
interface IdbObjectStore {
  get(key: string): IdbRequest<unknown>;
  put(value: unknown, key: string): IdbRequest<unknown>;
  delete(key: string): IdbRequest<unknown>;
}
interface IdbDatabase {
  objectStoreNames: { contains(name: string): boolean };
  createObjectStore(name: string): IdbObjectStore;
  transaction(store: string, mode: 'readonly' | 'readwrite'): IdbTransaction;
}
interface IdbFactory {
  open(name: string, version: number): IdbOpenRequest;
}

const STORE = 'secrets';

export class IndexedDbSecretStore implements SecretStore {
  private database: Promise<IdbDatabase> | null = null;

  constructor(private readonly name = 'outpost-secrets') {}

  async get(key: string): Promise<string | null> {
    const db = await this.open();
    const tx = db.transaction(STORE, 'readonly');
    const value = await requestResult(tx.objectStore(STORE).get(key));
    return typeof value === 'string' ? value : null;
  }

  async set(key: string, value: string): Promise<void> {
    const db = await this.open();
    const tx = db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).put(value, key);
    await completion(tx);
  }

  async delete(key: string): Promise<void> {
    const db = await this.open();
    const tx = db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).delete(key);
    await completion(tx);
  }

  private open(): Promise<IdbDatabase> {
    this.database ??= new Promise((resolve, reject) => {
      const factory = (globalThis as unknown as { indexedDB?: IdbFactory }).indexedDB;
      if (!factory) {
        reject(new Error('IndexedDB is not available in this environment'));
        return;
      }
      const request = factory.open(this.name, 1);
      request.onupgradeneeded = () => {
        if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE);
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(toError(request.error));
    });
    return this.database;
  }
}

function requestResult<T>(request: IdbRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(toError(request.error));
  });
}

function completion(tx: IdbTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(toError(tx.error));
    tx.onabort = () => reject(toError(tx.error ?? new Error('IndexedDB transaction aborted')));
  });
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
