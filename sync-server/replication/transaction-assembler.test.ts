import type { Pgoutput } from 'pg-logical-replication';
import { describe, expect, it } from 'vitest';
import { isReplicationError } from './errors.ts';
import { TransactionAssembler } from './transaction-assembler.ts';

const relation: Pgoutput.MessageRelation = {
  tag: 'relation',
  relationOid: 42,
  schema: 'public',
  name: 'items',
  replicaIdentity: 'default',
  columns: [
    {
      name: 'id',
      flags: 1,
      typeOid: 23,
      typeMod: -1,
      typeSchema: null,
      typeName: null,
      parser: (t: unknown) => t,
    },
    {
      name: 'body',
      flags: 0,
      typeOid: 25,
      typeMod: -1,
      typeSchema: null,
      typeName: null,
      parser: (t: unknown) => t,
    },
  ],
  keyColumns: ['id'],
};

const begin = (lsn: string, xid = 7): Pgoutput.MessageBegin => ({
  tag: 'begin',
  commitLsn: lsn,
  commitTime: 0n,
  xid,
});
const commit = (lsn: string, end: string): Pgoutput.MessageCommit => ({
  tag: 'commit',
  flags: 0,
  commitLsn: lsn,
  commitEndLsn: end,
  commitTime: 1_700_000_000_123_456n,
});
const row = (values: Record<string, unknown>) => Object.assign(Object.create(null) as object, values);

describe('TransactionAssembler', () => {
  it('emits a whole transaction at its commit, with key-only old rows and unknown TOAST values left out', () => {
    const assembler = new TransactionAssembler(1_000_000, () => 0n);
    expect(assembler.push(begin('0/100', -2), 20)).toBeNull();
    expect(assembler.push(relation, 50)).toBeNull();
    assembler.push({ tag: 'insert', relation, new: row({ id: '1', body: 'a' }) }, 30);
    assembler.push(
      { tag: 'update', relation, key: row({ id: '1' }), old: null, new: row({ id: '2', body: undefined }) },
      30,
    );
    assembler.push({ tag: 'delete', relation, key: row({ id: '2' }), old: null }, 30);
    expect(assembler.inTransaction).toBe(true);
    expect(assembler.bufferedMessages).toBe(5);
    const tx = assembler.push(commit('0/100', '0/180'), 20)!;
    expect(assembler.inTransaction).toBe(false);
    expect(tx).toMatchObject({
      xid: 4294967294,
      commitLsn: 0x100n,
      endLsn: 0x180n,
      messageCount: 6,
      bytes: 180,
      commitTime: new Date(1_700_000_000_123),
    });
    expect(tx.relations.map((r) => r.name)).toEqual(['items']);
    expect(tx.changes.map((c) => (c.op === 'truncate' ? c : { ...c, relation: c.relation.name }))).toEqual([
      { op: 'insert', relation: 'items', new: row({ id: '1', body: 'a' }) },
      { op: 'update', relation: 'items', old: row({ id: '1' }), new: row({ id: '2' }) },
      { op: 'delete', relation: 'items', old: row({ id: '2' }) },
    ]);
  });

  it('drops a re-sent transaction at or below skipThrough without buffering it', () => {
    const assembler = new TransactionAssembler(1_000_000, () => 0x100n);
    assembler.push(begin('0/100'), 20);
    assembler.push({ tag: 'insert', relation, new: row({ id: '1' }) }, 30);
    expect(assembler.bufferedMessages).toBe(0);
    expect(assembler.push(commit('0/100', '0/180'), 20)).toBeNull();
    assembler.push(begin('0/200'), 20);
    expect(assembler.push(commit('0/200', '0/280'), 20)).not.toBeNull();
  });

  it('throws replication_transaction_too_large once a transaction passes the limit', () => {
    const assembler = new TransactionAssembler(100, () => 0n);
    assembler.push(begin('0/100'), 20);
    assembler.push({ tag: 'insert', relation, new: row({ id: '1' }) }, 60);
    let caught: unknown;
    try {
      assembler.push({ tag: 'insert', relation, new: row({ id: '2' }) }, 60);
    } catch (error) {
      caught = error;
    }
    expect(isReplicationError(caught, 'replication_transaction_too_large')).toBe(true);
  });

  it('rejects messages out of order as protocol errors', () => {
    const assembler = new TransactionAssembler(1_000, () => 0n);
    expect(() => assembler.push({ tag: 'insert', relation, new: row({ id: '1' }) }, 1)).toThrow(
      /outside a transaction/,
    );
    expect(() => assembler.push(commit('0/1', '0/2'), 1)).toThrow(/outside a transaction/);
    assembler.push(begin('0/100'), 1);
    expect(() => assembler.push(begin('0/200'), 1)).toThrow(/inside a transaction/);
    expect(() => assembler.push(commit('0/300', '0/380'), 1)).toThrow(/another transaction/);
  });
});
