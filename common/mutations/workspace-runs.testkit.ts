/**
 * workspace_run.request and a person's cancel (workspace_run.transition { event: 'cancel' }), part of
 * the contract operations.testkit.ts runs on PGlite with the shared schema, PostgreSQL 15 and a
 * client's local schema. A run the server's runner finished is server state (serverWrite).
 *
 * Fixtures used: the workspace, the draft changeset, the admin (requests), the third user (no
 * workspaces:write).
 */
import { describe, expect, it } from 'vitest';
import type { ContractHarness } from './approvals.testkit.ts';

const FINISHED = 'f0000000-0000-4000-8000-000000000bbb';

export function workspaceRunContract(harness: ContractHarness): void {
  const { ids: IDS, actorOf, run, failure, row, serverWrite } = harness;
  const requester = actorOf(IDS.admin, ['workspaces:write']);
  const request = (values: Record<string, unknown>) => ({ name: 'workspace_run.request', values });
  const cancel = (id: string) => ({
    name: 'workspace_run.transition',
    key: { id },
    values: { event: 'cancel' },
  });

  describe('workspace_run.request', () => {
    it('queues a run started by the requester, for the workspace and optionally a changeset', async () => {
      const done = await run(requester, request({ workspace_id: IDS.workspace, run_type: 'jest_test' }));
      const runId = String(done.result['run_id']);
      expect(
        await row(
          `SELECT status, run_type, started_by::text, changeset_id FROM workspace_runs WHERE id = $1`,
          [runId],
        ),
      ).toEqual({ status: 'queued', run_type: 'jest_test', started_by: IDS.admin, changeset_id: null });
      expect(done.changes[0]).toMatchObject({ action: 'workspace_run.requested', entityId: runId });
      const withChangeset = await run(
        requester,
        request({ workspace_id: IDS.workspace, run_type: 'sdf_validate', changeset_id: IDS.draft }),
      );
      expect(
        await row(`SELECT changeset_id::text FROM workspace_runs WHERE id = $1`, [
          withChangeset.result['run_id'],
        ]),
      ).toEqual({ changeset_id: IDS.draft });
    });

    it('checks the permission first, then strict arguments, then what is visible', async () => {
      const viewer = actorOf(IDS.third, ['workspaces:read']);
      expect(await failure(viewer, request({ workspace_id: IDS.workspace, run_type: 'jest_test' }))).toBe(
        'forbidden',
      );
      expect(await failure(viewer, request({ nonsense: true }))).toBe('forbidden');
      for (const values of [
        { workspace_id: IDS.workspace, run_type: 'deploy' },
        { workspace_id: IDS.workspace, run_type: 'jest_test', status: 'passed' },
        { workspace_id: 'not-a-uuid', run_type: 'jest_test' },
        {},
      ])
        expect(await failure(requester, request(values))).toBe('validation');
      const unknown = 'f0000000-0000-4000-8000-00000000dead';
      expect(await failure(requester, request({ workspace_id: unknown, run_type: 'jest_test' }))).toBe(
        'not_found',
      );
      expect(
        await failure(
          requester,
          request({ workspace_id: IDS.workspace, run_type: 'jest_test', changeset_id: unknown }),
        ),
      ).toBe('not_found');
    });
  });

  describe('cancelling a run', () => {
    it('cancels a queued run; a finished run stays as it is', async () => {
      const done = await run(
        requester,
        request({ workspace_id: IDS.workspace, run_type: 'suiteql_assertion' }),
      );
      const runId = String(done.result['run_id']);
      await run(requester, cancel(runId));
      expect(await row(`SELECT status FROM workspace_runs WHERE id = $1`, [runId])).toEqual({
        status: 'cancelled',
      });
      expect(await failure(requester, cancel(runId))).toBe('invalid_transition');

      await serverWrite(
        `INSERT INTO workspace_runs (id, tenant_id, workspace_id, run_type, status) VALUES ($1, $2, $3, 'jest_test', 'queued')`,
        [FINISHED, IDS.tenant, IDS.workspace],
      );
      await serverWrite(`UPDATE workspace_runs SET status = 'running' WHERE id = $1`, [FINISHED]);
      await serverWrite(`UPDATE workspace_runs SET status = 'passed' WHERE id = $1`, [FINISHED]);
      expect(await failure(requester, cancel(FINISHED))).toBe('invalid_transition');
      expect(await row(`SELECT status FROM workspace_runs WHERE id = $1`, [FINISHED])).toEqual({
        status: 'passed',
      });
    });

    it('lets nobody without workspaces:write cancel', async () => {
      const done = await run(requester, request({ workspace_id: IDS.workspace, run_type: 'jest_test' }));
      expect(
        await failure(actorOf(IDS.third, ['workspaces:read']), cancel(String(done.result['run_id']))),
      ).toBe('forbidden');
    });
  });
}
