/**
 * The typed domain surface over the RPC contract: a named operation's or query's arguments are checked
 * per name at compile time (the @ts-expect-error lines fail the type check if they stop being errors),
 * and at run time the contract refuses an unknown name before any handler runs, while a registered
 * name's arguments reach the core as given (the core parses them with the operation's own schemas).
 */
import { describe, expect, it } from 'vitest';
import { isOutpostError } from '../errors.ts';
import { createRpcClient } from './client.ts';
import { followQuery, runOperation, runQuery } from './domain.ts';
import { inProcessPortPair } from './protocol.ts';
import { serveRpc, type CallHandlers, type SubscriptionHandlers } from './server.ts';

const APPROVAL = '0b7c3d2e-1f00-4a00-8000-000000000001';

function connect() {
  const seen: unknown[] = [];
  const calls = {
    'mutation.run': (request: unknown) => {
      seen.push(request);
      return { mutationId: 'm1', result: { approval_id: APPROVAL, status: 'approved' } };
    },
    'query.run': (request: unknown) => {
      seen.push(request);
      return { rows: [{ id: APPROVAL, title: 'Pay the invoice' }] };
    },
  } as unknown as CallHandlers;
  const subscriptions = {
    'query.live': (request: unknown, emit: (v: unknown) => void) => {
      seen.push(request);
      emit({ rows: [{ id: APPROVAL }] });
      return () => undefined;
    },
  } as unknown as SubscriptionHandlers;
  const [serverPort, clientPort] = inProcessPortPair();
  serveRpc(serverPort, calls, subscriptions);
  return { client: createRpcClient(clientPort), seen };
}

describe('the typed domain surface', () => {
  it('runs a named operation with its checked arguments and types its result', async () => {
    const { client, seen } = connect();
    const outcome = await runOperation(client, {
      name: 'approval.decide',
      key: { id: APPROVAL },
      values: { decision: 'reject', reason: 'Over budget' },
    });
    const status: string = outcome.result.status;
    expect(status).toBe('approved');
    expect(seen).toEqual([
      {
        name: 'approval.decide',
        key: { id: APPROVAL },
        values: { decision: 'reject', reason: 'Over budget' },
      },
    ]);
  });

  it('reads a named query with its checked params and types its rows', async () => {
    const { client, seen } = connect();
    const rows = await runQuery(client, { name: 'approvals.waitingForMe', params: { tenantId: null } });
    const title: string = rows[0]?.title ?? '';
    expect(title).toBe('Pay the invoice');
    const live: string[] = [];
    const stop = followQuery(client, { name: 'workItems.byStatus', params: { status: 'backlog' } }, (r) =>
      live.push(...r.map((row) => row.id)),
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    stop();
    expect(live).toEqual([APPROVAL]);
    expect(seen).toEqual([
      { name: 'approvals.waitingForMe', params: { tenantId: null } },
      { name: 'workItems.byStatus', params: { status: 'backlog' } },
    ]);
  });

  it('refuses an unknown operation or query name in the contract, before the core', async () => {
    const { client, seen } = connect();
    const refused = await client
      // @ts-expect-error: not a registered operation
      .call('mutation.run', { name: 'approval.erase', key: { id: APPROVAL } })
      .catch((e: unknown) => e);
    expect(isOutpostError(refused, 'validation')).toBe(true);
    expect((refused as Error).message).toContain('approval.decide');
    const unknownQuery = await client
      // @ts-expect-error: not a registered query
      .call('query.run', { name: 'approvals.all' })
      .catch((e: unknown) => e);
    expect(isOutpostError(unknownQuery, 'validation')).toBe(true);
    expect(seen).toEqual([]);
  });

  it('checks arguments per operation and query name at compile time', () => {
    const { client } = connect();
    const never = () => {
      // @ts-expect-error: approval.decide needs a decision
      void runOperation(client, { name: 'approval.decide', key: { id: APPROVAL }, values: {} });
      void runOperation(client, {
        name: 'approval.decide',
        key: { id: APPROVAL },
        // @ts-expect-error: 'maybe' is not a decision
        values: { decision: 'maybe' },
      });
      // @ts-expect-error: changeset.submit has no values to send, and takes a key
      void runOperation(client, { name: 'changeset.submit', values: { decision: 'approve' } });
      // @ts-expect-error: workItems.byStatus needs a status
      void runQuery(client, { name: 'workItems.byStatus', params: {} });
      // @ts-expect-error: 'done' is not a work item status
      void runQuery(client, { name: 'workItems.byStatus', params: { status: 'done' } });
    };
    expect(typeof never).toBe('function');
  });
});
