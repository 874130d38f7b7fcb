import { describe, expect, it } from 'vitest';
import { SyncStateSchema, type SyncStatus } from '../../common/rpc/contract.ts';
import { formatSyncedAt, summarizeSync } from './sync-summary.ts';

const status = (patch: Partial<SyncStatus>): SyncStatus => ({
  state: 'up-to-date',
  tables: [],
  pendingWrites: 0,
  rejectedWrites: 0,
  lastSyncedAt: null,
  lastError: null,
  ...patch,
});

describe('summarizeSync', () => {
  it('labels every sync state', () => {
    for (const state of SyncStateSchema.options) {
      const summary = summarizeSync(status({ state }));
      expect(summary.label.length, state).toBeGreaterThan(0);
    }
  });

  it('shows initial-sync progress by tables and rows', () => {
    const summary = summarizeSync(
      status({
        state: 'initial-sync',
        tables: [
          { table: 'a', state: 'up-to-date', rows: 10 },
          { table: 'b', state: 'syncing', rows: 5 },
          { table: 'c', state: 'waiting', rows: 0 },
        ],
      }),
    );
    expect(summary.label).toBe('Syncing 1/3 tables');
    expect(summary.progress).toEqual({ done: 1, total: 3, rows: 15 });
  });

  it('counts pending and rejected changes in words', () => {
    const summary = summarizeSync(status({ state: 'offline', pendingWrites: 1, rejectedWrites: 2 }));
    expect(summary).toMatchObject({
      tone: 'offline',
      pending: '1 pending change',
      rejected: '2 rejected changes',
      canRetry: true,
    });
  });

  it('offers a retry only where one helps', () => {
    expect(summarizeSync(status({ state: 'error' })).canRetry).toBe(true);
    expect(summarizeSync(status({ state: 'up-to-date' })).canRetry).toBe(false);
  });
});

describe('formatSyncedAt', () => {
  it('says never without a time, and the time of day for today', () => {
    expect(formatSyncedAt(null)).toBe('never');
    const now = new Date('2026-11-23T10:00:00Z');
    expect(formatSyncedAt('2026-11-23T09:58:07Z', now)).toMatch(/\d\d:58:07/);
    expect(formatSyncedAt('2026-11-20T09:58:07Z', now)).toMatch(/^2026-11-20 /);
  });
});
