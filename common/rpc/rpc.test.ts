import { describe, expect, it, vi } from 'vitest';
import { OutpostError } from '../errors.ts';
import { createRpcClient } from './client.ts';
import type { SyncStatus, TablePage } from './contract.ts';
import { inProcessPortPair, portFromEventTarget, type RpcPort } from './protocol.ts';
import { serveRpc, type CallHandlers, type SubscriptionHandlers } from './server.ts';

const status = (state: SyncStatus['state']): SyncStatus => ({
  state,
  tables: [],
  pendingWrites: 0,
  rejectedWrites: 0,
  lastSyncedAt: null,
  lastError: null,
});

function handlers(cleanup: () => void) {
  const notImplemented = () => {
    throw new OutpostError('validation', 'not in this test');
  };
  const calls = {
    'session.get': () => null,
    'session.signIn': (p: { email: string }) => {
      if (p.email === 'boom@x.test') throw new Error('secret stack detail');
      throw new OutpostError('invalid_credentials', 'The email, password or tenant is not correct.');
    },
    'session.resume': notImplemented,
    'session.saved': notImplemented,
    'session.signOut': () => null,
    'sync.retry': () => null,
    'catalog.tables': () => [],
    'table.query': (q: { table: string; limit: number }): TablePage => ({
      rows: [{ table: q.table, limit: q.limit, when: new Date(0) }],
      total: 1,
      rowLabels: ['one'],
      labels: {},
    }),
    'table.get': () => null,
    'table.write': () => ({ mutationId: 'm1' }),
    'mutation.run': () => ({ mutationId: 'm2' }),
    'writes.dismiss': () => null,
  } as unknown as CallHandlers;
  const subs = {
    'sync.status': (_p: null, emit: (s: SyncStatus) => void) => {
      emit(status('connecting'));
      const timer = setTimeout(() => emit(status('up-to-date')), 5);
      return () => {
        clearTimeout(timer);
        cleanup();
      };
    },
    'session.current': (_p: null, emit: (v: null) => void) => {
      emit(null);
      return cleanup;
    },
    'table.query': (_p: unknown, _emit: unknown, fail: (e: unknown) => void) => {
      setTimeout(() => fail(new OutpostError('forbidden', 'gone')), 1);
      return cleanup;
    },
    'writes.list': (_p: null, emit: (v: never[]) => void) => {
      emit([]);
      return cleanup;
    },
  } as unknown as SubscriptionHandlers;
  return { calls, subs };
}

function bothTransports(): [string, () => [RpcPort, RpcPort, () => void]][] {
  return [
    ['in-process', () => [...inProcessPortPair(), () => undefined]],
    [
      'MessageChannel',
      () => {
        const channel = new MessageChannel();
        return [
          portFromEventTarget(channel.port1 as never),
          portFromEventTarget(channel.port2 as never),
          () => {
            channel.port1.close();
            channel.port2.close();
          },
        ];
      },
    ],
  ];
}

describe.each(bothTransports())('RPC over %s', (_name, make) => {
  it('calls typed methods, with defaults applied and values structured-cloned', async () => {
    const [a, b, done] = make();
    const { calls, subs } = handlers(() => undefined);
    const server = serveRpc(b, calls, subs);
    const client = createRpcClient(a);
    const page = await client.call('table.query', { table: 'orders' });
    expect(page.total).toBe(1);
    expect(page.rows[0]).toMatchObject({ table: 'orders', limit: 200 });
    expect(page.rows[0]?.['when']).toBeInstanceOf(Date);
    expect(await client.call('session.get', undefined)).toBeNull();
    client.close();
    server.close();
    done();
  });

  it('refuses params that break the contract, naming the field, before any handler runs', async () => {
    const [a, b, done] = make();
    const { calls, subs } = handlers(() => undefined);
    const spy = vi.spyOn(calls, 'table.query');
    const server = serveRpc(b, calls, subs);
    const client = createRpcClient(a);
    const error = await client
      .call('table.query', { table: 'orders; DROP TABLE x', limit: 5000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutpostError);
    expect((error as OutpostError).code).toBe('validation');
    expect((error as OutpostError).message).toMatch(/table/);
    expect((error as OutpostError).message).toMatch(/limit/);
    expect(spy).not.toHaveBeenCalled();
    client.close();
    server.close();
    done();
  });

  it('passes OutpostErrors with their code and hides other errors as internal', async () => {
    const [a, b, done] = make();
    const internal = vi.fn();
    const { calls, subs } = handlers(() => undefined);
    const server = serveRpc(b, calls, subs, { onInternalError: internal });
    const client = createRpcClient(a);
    const signIn = { serverUrl: 'https://sync.test', tenant: 'acme', password: 'x' };
    const wrong = await client
      .call('session.signIn', { ...signIn, email: 'a@x.test' })
      .catch((e: unknown) => e);
    expect((wrong as OutpostError).code).toBe('invalid_credentials');
    const boom = await client
      .call('session.signIn', { ...signIn, email: 'boom@x.test' })
      .catch((e: unknown) => e);
    expect((boom as OutpostError).code).toBe('internal');
    expect((boom as OutpostError).message).not.toMatch(/secret stack/);
    expect(internal).toHaveBeenCalledTimes(1);
    client.close();
    server.close();
    done();
  });

  it('streams subscription events until disposed, then runs the cleanup once', async () => {
    const [a, b, done] = make();
    const cleanup = vi.fn();
    const { calls, subs } = handlers(cleanup);
    const server = serveRpc(b, calls, subs);
    const client = createRpcClient(a);
    const seen: string[] = [];
    const dispose = client.subscribe('sync.status', undefined, (s) => seen.push(s.state));
    for (let i = 0; i < 100 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 5));
    expect(seen).toEqual(['connecting', 'up-to-date']);
    dispose();
    dispose();
    for (let i = 0; i < 100 && cleanup.mock.calls.length === 0; i++)
      await new Promise((r) => setTimeout(r, 5));
    expect(cleanup).toHaveBeenCalledTimes(1);
    client.close();
    server.close();
    done();
  });

  it('ends a subscription with the error the core reports, and cleans up', async () => {
    const [a, b, done] = make();
    const cleanup = vi.fn();
    const { calls, subs } = handlers(cleanup);
    const server = serveRpc(b, calls, subs);
    const client = createRpcClient(a);
    const error = await new Promise<OutpostError>((resolve) => {
      client.subscribe('table.query', { table: 'orders' }, () => undefined, resolve);
    });
    expect(error.code).toBe('forbidden');
    expect(cleanup).toHaveBeenCalledTimes(1);
    client.close();
    server.close();
    done();
  });

  it('rejects pending calls when the client closes, and cleans up subscriptions when the server closes', async () => {
    const [a, b, done] = make();
    const cleanup = vi.fn();
    const { calls, subs } = handlers(cleanup);
    const never = new Promise<never>(() => undefined);
    (calls as unknown as Record<string, () => unknown>)['sync.retry'] = () => never;
    const server = serveRpc(b, calls, subs);
    const client = createRpcClient(a);
    client.subscribe('writes.list', undefined, () => undefined);
    const pending = client.call('sync.retry', undefined);
    await new Promise((r) => setTimeout(r, 20));
    client.close();
    await expect(pending).rejects.toMatchObject({ code: 'internal' });
    server.close();
    expect(cleanup).toHaveBeenCalledTimes(1);
    done();
  });
});
