/**
 * The undo window of a local write (migrations/client/0310, core/outbox/outbox.ts), on a client's
 * PGlite with the local schema and the operations' fixtures:
 *
 *   - a named mutation run with a hold stays out of the upload batch until its send_after, and so do
 *     the mutations written after it (the server sees mutations in order); the ones before it go;
 *   - withdrawMutation takes back a pending, never-sent mutation: its local change is undone and the
 *     outbox no longer holds it; a mutation marked uploading, or sent once and put back, stays (`sent`);
 *     an unknown id is `unknown`;
 *   - the upload step does not send a mutation withdrawn after it listed the batch;
 *   - the write list says which writes can still be taken back, and when a held one will be sent.
 */
import type { PGlite } from '@electric-sql/pglite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actorOf, fixturesSql, IDS } from '../../common/mutations/operations.testkit.ts';
import { asServerState, createLocalPGlite } from '../../scripts/testing/migrated.ts';
import { runLocalNamedMutation } from './local-operation.ts';
import { allMutations, markPending, markUploading, pendingMutations, withdrawMutation } from './outbox.ts';
import { uploadOnce } from './upload.ts';
import { writeStates } from './write-states.ts';

let db: PGlite;

beforeEach(async () => {
  db = await createLocalPGlite();
  await asServerState(db, (tx) => tx.exec(fixturesSql()));
});

afterEach(async () => {
  await db.close();
});

const approver = actorOf(IDS.approver);

async function approve(id: string, holdMs?: number): Promise<string> {
  const outcome = await runLocalNamedMutation(db, approver, {
    name: 'approval.decide',
    key: { id },
    values: { decision: 'approve' },
    ...(holdMs ? { holdMs } : {}),
  });
  return outcome.id;
}

async function statusOf(id: string): Promise<string | undefined> {
  const { rows } = await db.query<{ status: string }>(`SELECT status FROM approvals WHERE id = $1`, [id]);
  return rows[0]?.status;
}

/** Another write, queued after the others: a delegation. */
async function laterWrite(): Promise<string> {
  const outcome = await runLocalNamedMutation(db, approver, {
    name: 'delegation.create',
    values: {
      delegate_id: IDS.third,
      ends_at: new Date(Date.now() + 3_600_000).toISOString(),
      reason: 'holiday',
    },
  });
  return outcome.id;
}

describe('the undo window', () => {
  it('keeps a held mutation, and every later one, out of the batch until its time', async () => {
    const held = await approve(IDS.pending, 60_000);
    const later = await laterWrite();
    expect((await pendingMutations(db)).map((m) => m.id)).toEqual([]);
    expect((await allMutations(db)).map((m) => m.id)).toEqual([held, later]);

    // The window closes: the held mutation and those after it may go, in order.
    await db.query(`UPDATE outbox.mutations SET send_after = now() - interval '1 second' WHERE id = $1`, [
      held,
    ]);
    expect((await pendingMutations(db)).map((m) => m.id)).toEqual([held, later]);
  });

  it('sends the mutations written before a held one', async () => {
    const first = await laterWrite();
    const held = await approve(IDS.pending, 60_000);
    expect((await allMutations(db)).map((m) => m.id)).toEqual([first, held]);
    expect((await pendingMutations(db)).map((m) => m.id)).toEqual([first]);
  });

  it('withdraws a pending mutation never sent: the local change is undone and the outbox forgets it', async () => {
    const id = await approve(IDS.pending, 5_000);
    expect(await statusOf(IDS.pending)).toBe('approved');
    const [state] = await writeStates(db);
    expect(state).toMatchObject({ id, status: 'pending', undoable: true });
    expect(state?.sendAfter).not.toBeNull();

    expect(await withdrawMutation(db, id)).toBe('withdrawn');
    expect(await statusOf(IDS.pending)).toBe('pending');
    expect(await allMutations(db)).toEqual([]);
    expect(await writeStates(db)).toEqual([]);
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox.effects`);
    expect(rows[0]?.n).toBe(0);
    expect(await withdrawMutation(db, id)).toBe('unknown');
  });

  it('refuses to withdraw a mutation that is being sent, or was sent once and put back', async () => {
    const id = await approve(IDS.pending);
    await markUploading(db, [id]);
    expect(await withdrawMutation(db, id)).toBe('sent');
    expect((await writeStates(db))[0]).toMatchObject({ id, status: 'uploading', undoable: false });

    // The request got no answer: it may have reached the server, so it is no longer ours to take back.
    await markPending(db, [id], 'not sent: timeout');
    expect(await withdrawMutation(db, id)).toBe('sent');
    expect((await writeStates(db))[0]).toMatchObject({ id, status: 'pending', undoable: false });
    expect(await statusOf(IDS.pending)).toBe('approved');
  });

  it('does not send a mutation withdrawn after the upload step listed it', async () => {
    const id = await approve(IDS.pending);
    const sent: string[][] = [];
    // The withdrawal lands between listing the batch and marking it (as a user's `z` could).
    const racing = {
      query: async (...args: Parameters<PGlite['query']>) => {
        if (String(args[0]).includes(`SET status = 'uploading'`)) await withdrawMutation(db, id);
        return db.query(...args);
      },
      transaction: db.transaction.bind(db),
    } as unknown as PGlite;
    const report = await uploadOnce(racing, ({ mutations }) => {
      sent.push(mutations.map((m) => m.id));
      return Promise.resolve({ status: 200, body: { results: [] } });
    });
    expect(sent).toEqual([]);
    expect(report.sent).toBe(0);
    expect(await statusOf(IDS.pending)).toBe('pending');
  });
});
