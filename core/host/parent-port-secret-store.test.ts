/**
 * core/host/parent-port-secret-store.test.ts: the core side of the secret protocol against an
 * in-process fake of Electron's parentPort, with a fake main process that validates requests with the
 * same schema main uses.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { isOutpostError } from '../../common/errors.ts';
import { SecretRequestSchema, type SecretRequest } from '../../common/host/utility-process-protocol.ts';
import { ParentPortSecretStore, type SecretRequestPort } from './parent-port-secret-store.ts';

/** A parentPort whose outgoing messages land in `sent`; `deliver` plays main's answers. */
function fakeParentPort() {
  const events = new EventEmitter();
  const sent: unknown[] = [];
  const port: SecretRequestPort = {
    postMessage: (message) => sent.push(structuredClone(message)),
    on: (_event, listener) => void events.on('message', listener),
  };
  const deliver = (data: unknown) => events.emit('message', { data: structuredClone(data), ports: [] });
  return { port, sent, deliver };
}

/** A fake main: answers every valid request from a Map, asynchronously, like a real port. */
function withFakeMain(secrets = new Map<string, string>()) {
  const { port, deliver } = fakeParentPort();
  const requests: SecretRequest[] = [];
  const answering: SecretRequestPort = {
    postMessage(message) {
      const request = SecretRequestSchema.parse(structuredClone(message));
      requests.push(request);
      setImmediate(() => {
        if (request.type === 'secret-get') {
          deliver({ type: 'secret-result', id: request.id, value: secrets.get(request.key) ?? null });
        } else if (request.type === 'secret-set') {
          secrets.set(request.key, request.value);
          deliver({ type: 'secret-result', id: request.id, value: null });
        } else {
          secrets.delete(request.key);
          deliver({ type: 'secret-result', id: request.id, value: null });
        }
      });
    },
    on: (event, listener) => port.on(event, listener),
  };
  return { store: new ParentPortSecretStore(answering), secrets, requests };
}

describe('ParentPortSecretStore', () => {
  it('gets, sets and deletes through main', async () => {
    const { store, secrets, requests } = withFakeMain();
    expect(await store.get('outpost.session')).toBeNull();
    await store.set('outpost.session', '{"token":"t"}');
    expect(secrets.get('outpost.session')).toBe('{"token":"t"}');
    expect(await store.get('outpost.session')).toBe('{"token":"t"}');
    await store.delete('outpost.session');
    expect(await store.get('outpost.session')).toBeNull();
    expect(requests.map((r) => r.type)).toEqual([
      'secret-get',
      'secret-set',
      'secret-get',
      'secret-delete',
      'secret-get',
    ]);
    expect(new Set(requests.map((r) => r.id)).size).toBe(requests.length);
  });

  it('matches answers to requests by id, in any order', async () => {
    const { port, sent, deliver } = fakeParentPort();
    const store = new ParentPortSecretStore(port);
    const a = store.get('a');
    const b = store.get('b');
    const [first, second] = sent.map((m) => SecretRequestSchema.parse(m));
    deliver({ type: 'secret-result', id: second?.id, value: 'B' });
    deliver({ type: 'secret-result', id: first?.id, value: 'A' });
    expect(await Promise.all([a, b])).toEqual(['A', 'B']);
  });

  it("rejects with main's error code", async () => {
    const { port, sent, deliver } = fakeParentPort();
    const store = new ParentPortSecretStore(port);
    const result = store.set('outpost.session', 'x');
    const request = SecretRequestSchema.parse(sent[0]);
    deliver({ type: 'secret-error', id: request.id, code: 'internal', message: 'the keychain refused' });
    await expect(result).rejects.toSatisfy(
      (e) => isOutpostError(e, 'internal') && e.message === 'the keychain refused',
    );
  });

  it('ignores malformed answers and answers to unknown ids, then times out', async () => {
    const { port, sent, deliver } = fakeParentPort();
    const store = new ParentPortSecretStore(port, { timeoutMs: 50 });
    const result = store.get('outpost.session');
    const request = SecretRequestSchema.parse(sent[0]);
    deliver({ type: 'secret-result', id: request.id + 1, value: 'not yours' });
    deliver({ type: 'secret-result', id: request.id, value: 42 });
    deliver({ type: 'secret-error', id: request.id, code: 'not-a-code', message: 'x' });
    deliver('secret-result');
    await expect(result).rejects.toSatisfy((e) => isOutpostError(e, 'internal'));
    // A late answer after the timeout is ignored too (no throw, no double settle).
    deliver({ type: 'secret-result', id: request.id, value: 'late' });
  });

  it('refuses bad keys and oversized values without asking main', async () => {
    const { port, sent } = fakeParentPort();
    const store = new ParentPortSecretStore(port);
    await expect(store.get('../etc/passwd')).rejects.toSatisfy((e) => isOutpostError(e, 'validation'));
    await expect(store.set('', 'x')).rejects.toSatisfy((e) => isOutpostError(e, 'validation'));
    await expect(store.set('k', 'x'.repeat(256 * 1024 + 1))).rejects.toSatisfy((e) =>
      isOutpostError(e, 'validation'),
    );
    expect(sent).toEqual([]);
  });
});
