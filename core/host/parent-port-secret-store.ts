/**
 * core/host/parent-port-secret-store.ts: the Electron utility process's SecretStore. safeStorage does
 * not exist in a utility process, so every get/set/delete is a request to the main process over the
 * parentPort, which keeps the secrets encrypted with safeStorage (main/secrets/).
 *
 *   core ──{ type: 'secret-get' | 'secret-set' | 'secret-delete', id, key, value? }──► main
 *   core ◄──{ type: 'secret-result', id, value } | { type: 'secret-error', id, code, message }── main
 *
 * Guarantees: requests carry increasing ids and each is settled exactly once, by its answer or by the
 * timeout (an `internal` OutpostError); answers are validated (common/host/utility-process-protocol.ts) and
 * answers to unknown ids are ignored. Nothing is cached here: main is the only holder of secrets.
 * Keys and values are checked before they are sent, so a bad call fails here with `validation`.
 */
import { OutpostError } from '../../common/errors.ts';
import {
  SecretKeySchema,
  SECRET_VALUE_MAX_LENGTH,
  parseMainToCoreMessage,
  type SecretRequest,
} from '../../common/host/utility-process-protocol.ts';
import type { SecretStore } from '../session/session-manager.ts';

/** The part of Electron's parentPort (or any port) the store needs, declared structurally. */
export interface SecretRequestPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

export interface ParentPortSecretStoreOptions {
  /** How long to wait for main's answer; 60 s by default (a keychain prompt may be waiting for the user). */
  readonly timeoutMs?: number;
}

interface Pending {
  resolve(value: string | null): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/** A request before it gets its id (Omit over each member of the union). */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type RequestWithoutId = WithoutId<SecretRequest>;

export class ParentPortSecretStore implements SecretStore {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly timeoutMs: number;

  constructor(
    private readonly port: SecretRequestPort,
    options: ParentPortSecretStoreOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 60_000;
    port.on('message', (event) => this.onMessage(event.data));
  }

  get(key: string): Promise<string | null> {
    return this.request({ type: 'secret-get', key });
  }

  async set(key: string, value: string): Promise<void> {
    if (value.length > SECRET_VALUE_MAX_LENGTH) {
      throw new OutpostError('validation', `A secret may be at most ${SECRET_VALUE_MAX_LENGTH} characters.`);
    }
    await this.request({ type: 'secret-set', key, value });
  }

  async delete(key: string): Promise<void> {
    await this.request({ type: 'secret-delete', key });
  }

  private request(request: RequestWithoutId): Promise<string | null> {
    if (!SecretKeySchema.safeParse(request.key).success) {
      return Promise.reject(
        new OutpostError('validation', 'A secret key must be a short dotted identifier.'),
      );
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new OutpostError('internal', `The main process did not answer ${request.type} in time.`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.port.postMessage({ ...request, id });
    });
  }

  private onMessage(data: unknown): void {
    const message = parseMainToCoreMessage(data);
    if (!message || (message.type !== 'secret-result' && message.type !== 'secret-error')) return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    clearTimeout(pending.timer);
    if (message.type === 'secret-result') pending.resolve(message.value);
    else pending.reject(new OutpostError(message.code, message.message));
  }
}
