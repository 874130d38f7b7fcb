/**
 * What the sync rules let a client do with runs and artifacts: read them in its tenant with
 * workspaces:read; never write an artifact (no write rule, and no named operation writes one); runs
 * only through workspace_run.request and the person's cancel.
 */
import { describe, expect, it } from 'vitest';
import { ruleFor } from '../sync/rules.ts';
import { NAMED_MUTATIONS } from './named.ts';

describe('runs and artifacts in the sync rules', () => {
  it('are read in the tenant with workspaces:read and never plainly written', () => {
    for (const table of ['workspace_runs', 'workspace_artifacts']) {
      expect(ruleFor(table)).toMatchObject({ scope: 'tenant', read: 'workspaces:read', write: null });
    }
  });

  it('no named operation writes an artifact; runs are written by request and cancel only', () => {
    const writers = (table: string) =>
      [...NAMED_MUTATIONS.values()].filter((op) => op.writes.includes(table)).map((op) => op.name);
    expect(writers('workspace_artifacts')).toEqual([]);
    expect(writers('workspace_runs').sort()).toEqual(['workspace_run.request', 'workspace_run.transition']);
  });
});
