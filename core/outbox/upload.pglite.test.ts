/**
 * One upload step against scripted answers of the write API (a real PGlite with the local schema):
 * mutations go in order with their ids; applied and replayed ones are acknowledged, rejected ones
 * rolled back and reported, and everything else (not applied, offline, 5xx, 401) goes back to pending.
 */
import type { PGlite } from '@electric-sql/pglite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Mutation } from '../../common/mutations/protocol.ts';
import { asServerState, createLocalPGlite } from '../../scripts/testing/migrated.ts';
import { allMutations, openRejections } from './outbox.ts';
import { uploadOnce, type SendReply } from './upload.ts';

const TENANT = '70000000-0000-4000-8000-000000000001';

describe('uploadOnce', () => {
  let db: PGlite;
  const sent: Mutation[][] = [];

  beforeEach(async () => {
    sent.length = 0;
    db = await createLocalPGlite();
    await asServerState(db, (tx) =>
      tx.exec(`INSERT INTO tenants (id, name, slug) VALUES ('${TENANT}', 'T', 't')`),
    );
    for (const name of ['one', 'two', 'three'])
      await db.query(`INSERT INTO workflows (tenant_id, name) VALUES ($1, $2)`, [TENANT, name]);
  });
  afterEach(async () => {
    await db?.close();
  });

  const reply = (status: number, body: unknown) => (request: { mutations: Mutation[] }) => {
    sent.push(request.mutations);
    return Promise.resolve<SendReply>({ status, body });
  };
  const statuses = async () => (await allMutations(db)).map((m) => m.status);

  it('sends in order with the ids, and acknowledges what the server applied', async () => {
    const report = await uploadOnce(db, (request) =>
      reply(200, {
        txid: 42,
        results: request.mutations.map((m, index) => ({
          index,
          id: m.id,
          status: 'applied',
          txid: 42,
          result: {},
        })),
      })(request),
    );
    expect(report).toMatchObject({ sent: 3, acknowledged: 3, rejected: 0, retried: 0, status: 200 });
    expect(sent[0]?.map((m) => ('table' in m ? m.values?.['name'] : null))).toEqual(['one', 'two', 'three']);
    expect(await statuses()).toEqual(['acknowledged', 'acknowledged', 'acknowledged']);
    // Nothing left to send.
    expect((await uploadOnce(db, reply(500, {}))).sent).toBe(0);
  });

  it('rolls back a rejected mutation and puts the ones not applied back', async () => {
    const [, second] = await allMutations(db);
    const report = await uploadOnce(db, (request) =>
      reply(409, {
        code: 'conflict',
        message: 'the batch was refused',
        results: request.mutations.map((m, index) =>
          index === 1
            ? { index, id: m.id, status: 'rejected', code: 'conflict', message: 'name taken' }
            : { index, id: m.id, status: 'not_applied' },
        ),
      })(request),
    );
    expect(report).toMatchObject({ sent: 3, acknowledged: 0, rejected: 1, retried: 2, status: 409 });
    expect(await statuses()).toEqual(['pending', 'pending']);
    expect(await openRejections(db)).toMatchObject([
      { mutationId: second!.id, code: 'conflict', message: 'name taken' },
    ]);
    expect((await db.query(`SELECT name FROM workflows ORDER BY name`)).rows).toEqual([
      { name: 'one' },
      { name: 'three' },
    ]);
  });

  it('keeps everything pending when the request fails or the answer says nothing per mutation', async () => {
    const offline = await uploadOnce(db, () => Promise.reject(new Error('ECONNREFUSED')));
    expect(offline).toMatchObject({ retried: 3, status: null });
    expect(offline.retryReason).toContain('ECONNREFUSED');
    for (const [status, body] of [
      [503, { code: 'internal', message: 'restarting' }],
      [401, { code: 'unauthenticated', message: 'expired' }],
      [429, 'slow down'],
    ] as const)
      expect(await uploadOnce(db, reply(status, body))).toMatchObject({ retried: 3, status });
    expect(await statuses()).toEqual(['pending', 'pending', 'pending']);
    expect((await allMutations(db)).map((m) => m.attempts)).toEqual([4, 4, 4]);
    expect((await allMutations(db))[0]?.lastError).toContain('HTTP 429');
  });

  it('sends at most a batch, oldest first', async () => {
    await uploadOnce(db, reply(500, {}), 2);
    expect(sent[0]?.map((m) => ('table' in m ? m.values?.['name'] : null))).toEqual(['one', 'two']);
  });
});
