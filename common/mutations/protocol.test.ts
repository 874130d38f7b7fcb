/** The write API's envelope parsing (common/mutations/protocol.ts): shapes, limits, per-envelope errors. */
import { describe, expect, it } from 'vitest';
import { isOutpostError } from '../errors.ts';
import { parseMutationRequest } from './protocol.ts';

const ID = '0b6a8f0e-3c1d-4e5f-8a9b-0c1d2e3f4a5b';
const ID2 = '1b6a8f0e-3c1d-4e5f-8a9b-0c1d2e3f4a5b';

function thrown(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    if (isOutpostError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected an OutpostError');
}

describe('parseMutationRequest', () => {
  it('parses table and named mutations, lower-casing ids', () => {
    const parsed = parseMutationRequest({
      mutations: [
        { id: ID.toUpperCase(), table: 'workspaces', op: 'insert', values: { name: 'x' } },
        { id: ID2, name: 'approval.decide', key: { id: ID }, values: { decision: 'approve' } },
      ],
    });
    expect(parsed).toEqual([
      { ok: true, index: 0, mutation: { id: ID, table: 'workspaces', op: 'insert', values: { name: 'x' } } },
      {
        ok: true,
        index: 1,
        mutation: { id: ID2, name: 'approval.decide', key: { id: ID }, values: { decision: 'approve' } },
      },
    ]);
  });

  it('refuses bodies that are not a batch, and empty or over-long batches', () => {
    for (const body of [null, 'x', [], {}, { mutations: 'x' }, { mutations: [], extra: 1 }])
      expect(thrown(() => parseMutationRequest(body)).code).toBe('validation');
    expect(thrown(() => parseMutationRequest({ mutations: [] })).message).toMatch(/empty/);
    const tooMany = thrown(() => parseMutationRequest({ mutations: new Array(101).fill({}) }));
    expect(tooMany.code).toBe('payload_too_large');
    expect(tooMany.message).toMatch(/at most 100 mutations; this one has 101/);
    expect(thrown(() => parseMutationRequest({ mutations: [{}, {}, {}] }, 2)).code).toBe('payload_too_large');
  });

  it('reports each malformed envelope in its own slot, with its id when it has one', () => {
    const parsed = parseMutationRequest({
      mutations: [
        { id: ID, table: 'workspaces', name: 'approval.decide', op: 'insert' },
        { id: 'not-a-uuid', table: 'workspaces', op: 'insert' },
        { id: ID2, table: 'workspaces', op: 'upsert' },
        { id: ID2, table: 'workspaces', op: 'delete', key: { 'id; DROP': 1 } },
        { id: ID2, table: 'workspaces', op: 'delete', sql: 'DROP TABLE x' },
        { table: 'workspaces', op: 'delete' },
        42,
      ],
    });
    expect(parsed.map((p) => p.ok)).toEqual([false, false, false, false, false, false, false]);
    expect(parsed.map((p) => (p.ok ? null : p.id))).toEqual([ID, null, ID2, ID2, ID2, null, null]);
    for (const p of parsed) if (!p.ok) expect(p.error.code).toBe('validation');
  });

  it('refuses an id used twice in one batch', () => {
    const parsed = parseMutationRequest({
      mutations: [
        { id: ID, table: 'workspaces', op: 'delete', key: { id: ID } },
        { id: ID.toUpperCase(), table: 'workspaces', op: 'delete', key: { id: ID2 } },
      ],
    });
    expect(parsed[0]?.ok).toBe(true);
    const second = parsed[1];
    expect(second?.ok).toBe(false);
    if (second && !second.ok) expect(second.error.message).toMatch(/appears twice/);
  });
});
