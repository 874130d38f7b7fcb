import { describe, expect, it } from 'vitest';
import type { WriteState } from '../../common/rpc/contract.ts';
import { describeWrite, writeStatusText } from './write-text.ts';

const write = (patch: Partial<WriteState>): WriteState => ({
  id: 'm1',
  table: 'workflows',
  name: null,
  op: 'update',
  key: { id: 'w1' },
  status: 'pending',
  error: null,
  retryReason: null,
  createdAt: '2026-11-23T10:00:00Z',
  undoable: false,
  sendAfter: null,
  ...patch,
});

describe('write text', () => {
  it('names table writes by operation and named operations by name', () => {
    expect(describeWrite(write({}))).toBe('Your change to a workflow');
    expect(describeWrite(write({ op: 'insert' }))).toBe('Your new workflow');
    expect(describeWrite(write({ op: 'delete', table: 'approvals' }))).toBe('Your deletion of an approval');
    expect(describeWrite(write({ table: null, op: null, name: 'approval.decide' }))).toBe(
      'Your decision on an approval',
    );
    expect(describeWrite(write({ table: null, op: null, name: 'work_item.transition' }))).toBe(
      'Changing the state of a work item',
    );
  });

  it('gives the reason of a rejection and of a waiting upload', () => {
    expect(
      writeStatusText(
        write({ status: 'rejected', error: { code: 'not_found', message: 'workflows row is gone' } }),
      ),
    ).toBe('rejected: workflows row is gone (not_found)');
    expect(writeStatusText(write({ retryReason: 'not sent: Failed to fetch' }))).toBe(
      'waiting to upload (not sent: Failed to fetch)',
    );
  });
});
