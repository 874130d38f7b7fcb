import { describe, expect, it } from 'vitest';
import type { WriteState } from '../../common/rpc/contract.ts';
import { trackWrite, trackedText } from './write-tracking.ts';

const write = (status: WriteState['status'], error: WriteState['error'] = null): WriteState => ({
  id: 'm1',
  table: 'workflows',
  name: null,
  op: 'update',
  key: { id: 'w1' },
  status,
  error,
  retryReason: null,
  createdAt: '2026-11-23T10:00:00Z',
  undoable: false,
  sendAfter: null,
});

describe('trackWrite', () => {
  it('is pending until the write list shows it, then follows it', () => {
    expect(trackWrite([], 'm1', false)).toEqual({ status: 'pending', reason: null });
    expect(trackWrite([write('uploading')], 'm1', true)).toEqual({ status: 'uploading', reason: null });
  });

  it('is synced once a write it saw has left the list', () => {
    expect(trackWrite([], 'm1', true)).toEqual({ status: 'synced' });
  });

  it('stays rejected after the rejection was dismissed from the list', () => {
    const rejected = trackWrite([write('rejected', { code: 'not_found', message: 'gone' })], 'm1', true);
    expect(trackWrite([], 'm1', true, rejected)).toEqual(rejected);
  });

  it('carries the reason of a rejection', () => {
    const tracked = trackWrite([write('rejected', { code: 'forbidden', message: 'not yours' })], 'm1', true);
    expect(tracked).toEqual({ status: 'rejected', code: 'forbidden', message: 'not yours' });
    expect(trackedText(tracked)).toContain('not yours (forbidden)');
  });
});
