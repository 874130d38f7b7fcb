/**
 * Decisions made optimistically on two devices (their own local PGlite each) that the server then
 * orders: the first to reach the server wins, the other is refused with `conflict`, and the refused
 * device undoes exactly its decision (the approval, its decision row, the work item), keeps it in the
 * write list with the server's reason, and shows the winner once sync brings it. The same for a
 * decision made offline that the server's expiry job overtook. The server is a PGlite with the
 * central schema running the same operation (what the write API runs; the PostgreSQL races with two
 * real connections are sync-server/approvals/decision-race.pg.test.ts).
 */
import type { PGlite } from '@electric-sql/pglite';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isOutpostError } from '../../common/errors.ts';
import { loadWriteCatalog, type WriteCatalog } from '../../common/mutations/catalog.ts';
import { prepareMutation } from '../../common/mutations/mutation.ts';
import type { MutationActor } from '../../common/mutations/types.ts';
import { actorOf, fixturesSql, IDS } from '../../common/mutations/operations.testkit.ts';
import { asServerState, createLocalPGlite, createMigratedPGlite } from '../../scripts/testing/migrated.ts';
import { runLocalNamedMutation } from './local-operation.ts';
import { allMutations, openRejections, rejectMutation } from './outbox.ts';

let server: PGlite;
let catalog: WriteCatalog;
let first: PGlite;
let second: PGlite;

beforeAll(async () => {
  server = await createMigratedPGlite();
  await server.exec(fixturesSql());
  catalog = await loadWriteCatalog(server);
}, 120_000);
afterAll(async () => {
  await server?.close();
});
beforeEach(async () => {
  await server.query('BEGIN');
  [first, second] = await Promise.all([createLocalPGlite(), createLocalPGlite()]);
  for (const device of [first, second]) await asServerState(device, (tx) => tx.exec(fixturesSql()));
}, 120_000);
afterEach(async () => {
  await server.query('ROLLBACK');
  await Promise.all([first?.close(), second?.close()]);
});

const decide = (approval: string, decision: 'approve' | 'reject') => ({
  name: 'approval.decide' as const,
  key: { id: approval },
  values: decision === 'reject' ? { decision, reason: 'Not now' } : { decision },
});

/** The server applies a device's mutation (same id); the error code when it refuses. */
async function onServer(actor: MutationActor, id: string, call: ReturnType<typeof decide>) {
  await server.query('SAVEPOINT m');
  try {
    await prepareMutation({ id, ...call }, { actor, catalog }).run(server);
    await server.query('RELEASE SAVEPOINT m');
    return 'applied';
  } catch (error) {
    await server.query('ROLLBACK TO SAVEPOINT m');
    if (isOutpostError(error)) return error.code;
    throw error;
  }
}

const approvalOn = async (db: PGlite, approval: string) =>
  (
    await db.query<{ status: string; by: string | null; decisions: number }>(
      `SELECT a.status, a.approved_by::text AS by,
              (SELECT count(*)::int FROM approval_decisions d WHERE d.approval_id = a.id) AS decisions
         FROM approvals a WHERE a.id = $1`,
      [approval],
    )
  ).rows[0];

/** What sync brings: the server's approval row as server state on the device. */
async function syncApproval(device: PGlite, approval: string): Promise<void> {
  const { rows } = await server.query<{ status: string; approved_by: string | null; reason: string | null }>(
    `SELECT status, approved_by::text AS approved_by, rejected_reason AS reason FROM approvals WHERE id = $1`,
    [approval],
  );
  const row = rows[0];
  if (!row) throw new Error('no such approval on the server');
  await asServerState(device, (tx) =>
    tx.query(`UPDATE approvals SET status = $2, approved_by = $3, rejected_reason = $4 WHERE id = $1`, [
      approval,
      row.status,
      row.approved_by,
      row.reason,
    ]),
  );
}

describe('decisions on two devices', () => {
  it('the first to reach the server wins; the other device undoes its decision and keeps the refusal', async () => {
    const approve = decide(IDS.quorum, 'approve');
    const reject = decide(IDS.quorum, 'reject');
    const a = await runLocalNamedMutation(first, actorOf(IDS.approver), approve);
    const b = await runLocalNamedMutation(second, actorOf(IDS.third), reject);
    expect(a.result).toMatchObject({ status: 'approved' });
    expect(b.result).toMatchObject({ status: 'rejected' });
    expect(await approvalOn(second, IDS.quorum)).toMatchObject({ status: 'rejected', decisions: 1 });

    expect(await onServer(actorOf(IDS.approver), a.id, approve)).toBe('applied');
    expect(await onServer(actorOf(IDS.third), b.id, reject)).toBe('conflict');

    await rejectMutation(second, b.id, { code: 'conflict', message: 'Approval is already approved.' });
    expect(await approvalOn(second, IDS.quorum)).toMatchObject({ status: 'pending', decisions: 0 });
    expect(await allMutations(second)).toEqual([]);
    expect((await openRejections(second)).map((r) => [r.mutationId, r.name, r.code])).toEqual([
      [b.id, 'approval.decide', 'conflict'],
    ]);
    await syncApproval(second, IDS.quorum);
    expect(await approvalOn(second, IDS.quorum)).toMatchObject({ status: 'approved', by: IDS.approver });
  });

  it('a decision made offline that the expiry job overtook is refused and undone', async () => {
    const approve = decide(IDS.pending, 'approve');
    const offline = await runLocalNamedMutation(first, actorOf(IDS.approver), approve);
    expect(await approvalOn(first, IDS.pending)).toMatchObject({ status: 'approved', decisions: 1 });
    // Meanwhile the server's job expired it (what sync-server/approvals/expiry-sweep.ts writes).
    await server.query(
      `UPDATE approvals SET expires_at = now() - interval '1 second', status = 'expired' WHERE id = $1`,
      [IDS.pending],
    );
    expect(await onServer(actorOf(IDS.approver), offline.id, approve)).toBe('conflict');
    await rejectMutation(first, offline.id, { code: 'conflict', message: 'Approval is already expired.' });
    await syncApproval(first, IDS.pending);
    expect(await approvalOn(first, IDS.pending)).toMatchObject({ status: 'expired', decisions: 0 });
    expect((await openRejections(first)).map((r) => r.code)).toEqual(['conflict']);
  });

  it('sync brings the winner while the offline decision still waits; the refusal then leaves the winner', async () => {
    const approve = decide(IDS.pending, 'approve');
    const offline = await runLocalNamedMutation(first, actorOf(IDS.approver), approve);
    await server.query(
      `UPDATE approvals SET status = 'rejected', approved_by = $2, rejected_reason = 'Budget frozen'
                         WHERE id = $1`,
      [IDS.pending, IDS.admin],
    );
    // The other decision reaches this device before its own decision is sent.
    await syncApproval(first, IDS.pending);
    expect(await onServer(actorOf(IDS.approver), offline.id, approve)).toBe('conflict');
    await rejectMutation(first, offline.id, { code: 'conflict', message: 'Approval is already rejected.' });
    expect(await approvalOn(first, IDS.pending)).toMatchObject({
      status: 'rejected',
      by: IDS.admin,
      decisions: 0,
    });
  });
});
