/**
 * The gate applies to subset snapshots as to every shape request, on the seeded demo database: a
 * subset can never widen the scope (its where is ANDed with the tenant-scoped one, and the query runs
 * under row-level security), server-only columns are refused in its where and its order, the read
 * permission is checked, and a handle from another scope gets 409.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsUnderRls, signIn, TEST_AUTH_SECRET, type SignedIn } from '../../scripts/testing/gated.ts';
import { createSeededTestDatabase, type SeededTestDatabase } from '../../scripts/testing/seeded.ts';
import { startTestSyncServer, type TestSyncServer } from '../../scripts/testing/sync-server.ts';

interface SubsetAnswer {
  readonly status: number;
  readonly rows: Record<string, unknown>[];
  readonly code: string | null;
  readonly param: string | null;
  readonly handle: string | null;
}

describe('subset snapshots through the gate', () => {
  let seeded: SeededTestDatabase;
  let sync: TestSyncServer;
  let acme: SignedIn;
  let globex: SignedIn;

  beforeAll(async () => {
    seeded = await createSeededTestDatabase('subsetgate', { scale: 1 });
    sync = await startTestSyncServer(seeded.db.url, {
      auth: { secret: TEST_AUTH_SECRET, principalCacheMs: 0 },
    });
    acme = await signIn(sync.server.url, 'admin@acme.test', 'acme');
    globex = await signIn(sync.server.url, 'admin@globex.test', 'globex');
  }, 120_000);

  afterAll(async () => {
    await sync?.stop();
    await seeded?.client.end();
    await seeded?.db.drop();
  });

  async function subset(
    who: SignedIn,
    table: string,
    members: Record<string, unknown>,
    position: { offset: string; handle?: string } = { offset: '-1' },
  ): Promise<SubsetAnswer> {
    const url = new URL(sync.shapeUrl);
    url.searchParams.set('table', table);
    url.searchParams.set('log', 'changes_only');
    url.searchParams.set('offset', position.offset);
    if (position.handle) url.searchParams.set('handle', position.handle);
    const response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${who.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(members),
    });
    const body = (await response.json()) as {
      data?: { value: Record<string, unknown> }[];
      errors?: Record<string, string[]>;
    };
    return {
      status: response.status,
      rows: body.data?.map((m) => m.value) ?? [],
      code: response.headers.get('outpost-error-code'),
      param: body.errors ? (Object.keys(body.errors)[0] ?? null) : null,
      handle: response.headers.get('electric-handle'),
    };
  }

  it('never widens the tenant scope, whatever the subset asks for', async () => {
    const visible = await rowsUnderRls(seeded.client, acme.tenant.id, acme.user.id, 'work_items');
    const all = await subset(acme, 'work_items', { where: 'id IS NOT NULL' });
    expect(all.status).toBe(200);
    expect(all.rows).toHaveLength(visible);
    const foreign = await subset(acme, 'work_items', {
      where: 'tenant_id = $1',
      params: { '1': globex.tenant.id },
    });
    expect(foreign.status).toBe(200);
    expect(foreign.rows).toEqual([]);
    const everything = await subset(acme, 'work_items', {
      where: 'tenant_id = $1 OR tenant_id <> $1 OR tenant_id IS NULL',
      params: { '1': globex.tenant.id },
    });
    expect(everything.rows).toHaveLength(visible);
    expect(new Set(everything.rows.map((r) => r['tenant_id']))).toEqual(new Set([acme.tenant.id]));
  });

  it('refuses server-only columns in the subset where and order, by name', async () => {
    const byWhere = await subset(acme, 'users', { where: `hashed_password LIKE '$argon2%'` });
    expect(byWhere).toMatchObject({ status: 403, code: 'forbidden' });
    const byOrder = await subset(acme, 'users', { order_by: 'mfa_secret DESC', limit: 1 });
    expect(byOrder).toMatchObject({ status: 403, code: 'forbidden' });
    const fine = await subset(acme, 'users', { order_by: 'email', limit: 2 });
    expect(fine.status).toBe(200);
    expect(fine.rows).toHaveLength(2);
    expect(Object.keys(fine.rows[0] ?? {})).not.toContain('hashed_password');
  });

  it('checks the read permission of the table', async () => {
    const viewer = await signIn(sync.server.url, 'viewer@acme.test', 'acme');
    const denied = await subset(viewer, 'audit_logs', { limit: 1, order_by: 'id' });
    expect(denied).toMatchObject({ status: 403, code: 'forbidden' });
    const noRule = await subset(acme, 'auth_sessions', { where: 'id IS NOT NULL' });
    expect(noRule).toMatchObject({ status: 403, code: 'forbidden' });
  });

  it("answers another scope's handle with 409 and the caller's own handle", async () => {
    const mine = await subset(acme, 'invoices', { where: 'id IS NOT NULL' });
    expect(mine.status).toBe(200);
    const stolen = await subset(
      globex,
      'invoices',
      { where: 'id IS NOT NULL' },
      { offset: '0_0', handle: mine.handle ?? '' },
    );
    expect(stolen.status).toBe(409);
    expect(stolen.rows).toEqual([]);
    const own = await subset(globex, 'invoices', { where: 'id IS NOT NULL' });
    expect(own.handle).not.toBe(mine.handle);
  });

  it('keeps the client where and the scope apart: a subset on a filtered shape stays inside both', async () => {
    const url = new URL(sync.shapeUrl);
    url.searchParams.set('table', 'work_items');
    url.searchParams.set('where', 'tenant_id = $1');
    url.searchParams.set('params[1]', globex.tenant.id);
    url.searchParams.set('offset', '-1');
    url.searchParams.set('subset__where', 'tenant_id IS NOT NULL');
    const response = await fetch(url, { headers: { authorization: `Bearer ${acme.token}` } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: unknown[] }).data).toEqual([]);
  });
});
