/**
 * Proxy mode: a gate with no engine of its own forwards gated shape requests to an upstream Shape API
 * (here a second Outpost sync server in engine-only mode, standing in for the Electric service, as
 * docs/scaling.md deploys it). The real ShapeStream client syncs through it: scoped rows, live
 * changes, handles bound to their scope, 401s, and a clear 502 when the upstream is gone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  liveRows,
  readShape,
  rowsUnderRls,
  signIn,
  TEST_AUTH_SECRET,
  type SignedIn,
} from '../../scripts/testing/gated.ts';
import { createSeededTestDatabase, type SeededTestDatabase } from '../../scripts/testing/seeded.ts';
import { startTestSyncServer, type TestSyncServer } from '../../scripts/testing/sync-server.ts';

describe('gate in proxy mode', () => {
  let seeded: SeededTestDatabase;
  let upstream: TestSyncServer;
  let gate: TestSyncServer;
  let acme: SignedIn;
  let globex: SignedIn;
  let shapeUrl: string;

  beforeAll(async () => {
    seeded = await createSeededTestDatabase('proxy', { scale: 1 });
    upstream = await startTestSyncServer(seeded.db.url);
    gate = await startTestSyncServer(seeded.db.url, {
      auth: { secret: TEST_AUTH_SECRET, principalCacheMs: 0, sessionRecheckMs: 200 },
      upstream: { url: upstream.server.url },
    });
    shapeUrl = `${gate.server.url}/v1/shape`;
    acme = await signIn(gate.server.url, 'admin@acme.test', 'acme');
    globex = await signIn(gate.server.url, 'admin@globex.test', 'globex');
  }, 120_000);

  afterAll(async () => {
    await gate?.stop();
    await upstream?.stop();
    await seeded?.client.end();
    await seeded?.db.drop();
  });

  it('serves exactly the rows RLS shows the user, through the upstream', async () => {
    for (const who of [acme, globex]) {
      const read = await readShape(shapeUrl, who.token, { table: 'payments' });
      expect(read.status, JSON.stringify(read.error)).toBe(200);
      expect(read.rows.size).toBe(await rowsUnderRls(seeded.client, who.tenant.id, who.user.id, 'payments'));
      for (const row of read.rows.values()) expect(row['tenant_id']).toBe(who.tenant.id);
    }
    const users = await readShape(shapeUrl, acme.token, { table: 'users' });
    expect(users.columns.has('hashed_password')).toBe(false);
    expect((await readShape(shapeUrl, acme.token, { table: 'auth_sessions' })).status).toBe(403);
    expect((await readShape(shapeUrl, null, { table: 'payments' })).status).toBe(401);
  });

  it.each(['long-poll', 'sse'])('streams live changes to the real client, scoped (%s)', async (mode) => {
    const { stream, rows, stop } = liveRows(shapeUrl, acme.token, 'dashboards', { liveSse: mode === 'sse' });
    const expected = await rowsUnderRls(seeded.client, acme.tenant.id, acme.user.id, 'dashboards');
    for (let i = 0; i < 200 && !(stream.isUpToDate && rows.size === expected); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(rows.size).toBe(expected);
    await seeded.client.query(`INSERT INTO dashboards (tenant_id, name) VALUES ($1, $3), ($2, 'not mine')`, [
      acme.tenant.id,
      globex.tenant.id,
      `via proxy (${mode})`,
    ]);
    for (let i = 0; i < 200 && rows.size === expected; i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    expect([...rows.values()].map((r) => r['name'])).toContain(`via proxy (${mode})`);
    expect([...rows.values()].map((r) => r['name'])).not.toContain('not mine');
    stop();
  });

  it("answers 409 with the caller's own handle for another scope's handle", async () => {
    const mine = await readShape(shapeUrl, acme.token, { table: 'refunds' });
    const url = new URL(shapeUrl);
    url.searchParams.set('table', 'refunds');
    url.searchParams.set('offset', mine.offset ?? '');
    url.searchParams.set('handle', mine.handle ?? '');
    const stolen = await fetch(url, { headers: { authorization: `Bearer ${globex.token}` } });
    expect(stolen.status).toBe(409);
    expect(stolen.headers.get('electric-handle')).not.toBe(mine.handle);
  });

  it('forwards a POST subset snapshot as the gated definition plus the checked subset', async () => {
    const url = new URL(shapeUrl);
    url.searchParams.set('table', 'dashboards');
    url.searchParams.set('log', 'changes_only');
    url.searchParams.set('offset', '-1');
    const post = (token: string, body: unknown) =>
      fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const answer = await post(acme.token, { where: 'tenant_id <> $1', params: { '1': acme.tenant.id } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('electric-snapshot')).toBe('true');
    expect(((await answer.json()) as { data: unknown[] }).data).toEqual([]); // the scope still holds
    const mine = await post(acme.token, { where: 'name IS NOT NULL', order_by: 'name', limit: 1 });
    const rows = ((await mine.json()) as { data: { value: Record<string, unknown> }[] }).data;
    expect(rows).toHaveLength(1);
    expect(rows[0]?.value['tenant_id']).toBe(acme.tenant.id);
  });

  it('ends a held long-poll with 401 on sign-out', async () => {
    const session = await signIn(gate.server.url, 'viewer@acme.test', 'acme');
    const first = await readShape(shapeUrl, session.token, { table: 'plans' });
    const url = new URL(shapeUrl);
    url.searchParams.set('table', 'plans');
    url.searchParams.set('offset', first.offset ?? '');
    url.searchParams.set('handle', first.handle ?? '');
    url.searchParams.set('live', 'true');
    const held = fetch(url, { headers: { authorization: `Bearer ${session.token}` } });
    await new Promise((r) => setTimeout(r, 300));
    await fetch(`${gate.server.url}/v1/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.token}` },
    });
    expect((await held).status).toBe(401);
  });

  it('reports its upstream in health, and a 502 when the upstream is down', async () => {
    const health = await fetch(`${gate.server.url}/v1/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'active', mode: 'proxy' });
    const orphan = await startTestSyncServer(seeded.db.url, {
      auth: { secret: TEST_AUTH_SECRET },
      upstream: { url: 'http://127.0.0.1:9' },
    });
    try {
      const session = await signIn(orphan.server.url, 'admin@acme.test', 'acme');
      const read = await readShape(`${orphan.server.url}/v1/shape`, session.token, { table: 'payouts' });
      expect(read.status).toBe(502);
      expect(read.error?.code).toBe('upstream_failed');
      expect((await fetch(`${orphan.server.url}/v1/health`)).status).toBe(503);
    } finally {
      await orphan.stop();
    }
  });
});
