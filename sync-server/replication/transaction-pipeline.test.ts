import { describe, expect, it } from 'vitest';
import type { AssembledTransaction } from './transaction-assembler.ts';
import { TransactionPipeline } from './transaction-pipeline.ts';
import type { ReplicatedRelation, ReplicatedTransaction } from './types.ts';

const items = (columns: string[]): ReplicatedRelation => ({
  oid: 1,
  schema: 'public',
  name: 'items',
  replicaIdentity: 'full',
  columns: columns.map((name) => ({ name, typeOid: 25, typeMod: -1, isKey: true })),
});

const tx = (n: number, relations: ReplicatedRelation[] = []): AssembledTransaction => ({
  xid: n,
  commitLsn: BigInt(n * 100),
  endLsn: BigInt(n * 100 + 50),
  commitTime: new Date(0),
  changes: [],
  relations,
  messageCount: 3,
  bytes: 60,
});

function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('TransactionPipeline', () => {
  it('hands over one transaction at a time, in order, and reports each once stored', async () => {
    const handed: ReplicatedTransaction[] = [];
    const pending: ReturnType<typeof deferred>[] = [];
    const processed: number[] = [];
    const pipeline = new TransactionPipeline(
      {
        onTransaction: (t) => {
          handed.push(t);
          const d = deferred();
          pending.push(d);
          return d.promise;
        },
        onCaughtUp: () => undefined,
      },
      { onProcessed: (t) => processed.push(t.xid), onFailed: () => undefined },
    );
    pipeline.enqueue(tx(1));
    pipeline.enqueue(tx(2));
    pipeline.enqueue(tx(3));
    expect(handed.map((t) => t.xid)).toEqual([1]);
    expect(pipeline.busy).toBe(true);
    expect(pipeline.queuedMessages).toBe(6);
    expect(pipeline.deliveredThrough).toBe(300n);
    pending[0]!.resolve();
    await flush();
    expect(processed).toEqual([1]);
    expect(handed.map((t) => t.xid)).toEqual([1, 2]);
    pipeline.dropQueued(); // connection lost: 3 will be re-sent
    expect(pipeline.deliveredThrough).toBe(200n);
    pending[1]!.resolve();
    await flush();
    expect(processed).toEqual([1, 2]);
    expect(pipeline.busy).toBe(false);
  });

  it('reports changed relations against what the consumer stored, again after a rejection', async () => {
    const handed: ReplicatedTransaction[] = [];
    let fail = false;
    const failures: unknown[] = [];
    const pipeline = new TransactionPipeline(
      {
        onTransaction: (t) => {
          handed.push(t);
          return fail ? Promise.reject(new Error('no')) : Promise.resolve();
        },
        onCaughtUp: () => undefined,
      },
      { onProcessed: () => undefined, onFailed: (error) => failures.push(error) },
    );
    pipeline.enqueue(tx(1, [items(['id'])]));
    await flush();
    fail = true;
    pipeline.enqueue(tx(2, [items(['id', 'extra'])]));
    await flush();
    expect(failures).toHaveLength(1);
    expect(pipeline.deliveredThrough).toBe(100n); // 2 will be delivered again
    fail = false;
    pipeline.enqueue(tx(2, [items(['id', 'extra'])]));
    pipeline.enqueue(tx(3, [items(['id', 'extra'])]));
    await flush();
    expect(handed.map((t) => [t.xid, t.changedRelations.map((r) => r.columns.length)])).toEqual([
      [1, []],
      [2, [2]],
      [2, [2]],
      [3, []],
    ]);
  });
});
