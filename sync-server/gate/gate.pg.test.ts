/**
 * The gated sync server on the seeded demo database: sign-in (same answer for every kind of wrong
 * credentials, throttling, refresh rotation, sign-out), 401 for missing/forged/expired/revoked tokens
 * on every endpoint and in the middle of a long-poll, and the shape gate (tenant scope ANDed into the
 * where, default deny, permissions, server-only columns, handles bound to their scope, holdings).
 */
import { SignJWT } from 'jose';
import pg from 'pg';
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

describe('gated sync server', () => {
  let seeded: SeededTestDatabase;
  let sync: TestSyncServer;
  let base: string;
  let acme: SignedIn;
  let globex: SignedIn;

  beforeAll(async () => {
    seeded = await createSeededTestDatabase('gate', { scale: 1 });
    sync = await startTestSyncServer(seeded.db.url, {
      auth: {
        secret: TEST_AUTH_SECRET,
        principalCacheMs: 0,
        sessionRecheckMs: 200,
        throttle: { accountLimit: 4, delayUnitMs: 1 },
      },
    });
    base = sync.server.url;
    acme = await signIn(base, 'admin@acme.test', 'acme');
    globex = await signIn(base, 'admin@globex.test', 'globex');
  }, 120_000);

  afterAll(async () => {
    await sync?.stop();
    await seeded?.client.end();
    await seeded?.db.drop();
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  describe('sign-in', () => {
    it('returns tokens, the user with roles and permissions, and the tenant', () => {
      expect(acme.token.split('.')).toHaveLength(3);
      expect(acme.refresh_token).toMatch(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
      expect(acme.user.email).toBe('admin@acme.test');
      expect(acme.user.roles).toContain('admin');
      expect(acme.user.permissions).toContain('audit:read');
      expect(acme.tenant.slug).toBe('acme');
      expect(acme.tenant.visible_tenant_ids).toEqual([acme.tenant.id]);
    });

    it('answers a wrong password, an unknown user, an unknown tenant and an SSO-only user the same way', async () => {
      const attempts = [
        { email: 'viewer@acme.test', password: 'wrong-password', tenant: 'acme' },
        { email: 'nobody@acme.test', password: 'outpost-demo', tenant: 'acme' },
        { email: 'viewer@acme.test', password: 'outpost-demo', tenant: 'no-such-tenant' },
        { email: 'ops@acme.test', password: 'outpost-demo', tenant: 'acme' },
        { email: 'viewer@acme.test', password: 'outpost-demo', tenant: 'globex' },
      ];
      const answers = await Promise.all(
        attempts.map(async (a) => {
          const response = await post('/v1/auth/login', a);
          return { status: response.status, body: await response.json() };
        }),
      );
      for (const answer of answers) expect(answer).toEqual(answers[0]);
      expect(answers[0]?.status).toBe(401);
      expect(answers[0]?.body).toMatchObject({ code: 'invalid_credentials' });
    });

    it('rejects malformed bodies with a 400 that names the field', async () => {
      const response = await post('/v1/auth/login', { email: 'x', password: '', tenant: 'Not A Slug!' });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { code: string; message: string };
      expect(body.code).toBe('validation');
      expect(body.message).toMatch(/password/);
      expect(body.message).toMatch(/tenant/);
      const notJson = await fetch(`${base}/v1/auth/login`, { method: 'POST', body: 'email=x' });
      expect(notJson.status).toBe(400);
      const huge = await post('/v1/auth/login', {
        email: 'a'.repeat(100_000),
        password: 'x',
        tenant: 'acme',
      });
      expect(huge.status).toBe(413);
    });

    it('slows down and then refuses repeated failures for one account, with Retry-After', async () => {
      const attempt = () =>
        post('/v1/auth/login', { email: 'approver@globex.test', password: 'nope', tenant: 'globex' });
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await attempt()).status);
      expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
      const refused = await attempt();
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await refused.json()) as { code: string }).code).toBe('rate_limited');
      // Even the right password is refused while the account is locked.
      const right = await post('/v1/auth/login', {
        email: 'approver@globex.test',
        password: 'outpost-demo',
        tenant: 'globex',
      });
      expect(right.status).toBe(429);
    });

    it('rotates tokens on refresh: the old refresh token and its access token stop working', async () => {
      const first = await signIn(base, 'viewer@acme.test', 'acme');
      const refreshed = await post('/v1/auth/refresh', { refresh_token: first.refresh_token });
      expect(refreshed.status).toBe(200);
      const second = (await refreshed.json()) as SignedIn;
      expect(second.refresh_token).not.toBe(first.refresh_token);
      expect((await readShape(`${base}/v1/shape`, second.token, { table: 'plans' })).status).toBe(200);
      expect((await readShape(`${base}/v1/shape`, first.token, { table: 'plans' })).status).toBe(401);
      const reused = await post('/v1/auth/refresh', { refresh_token: first.refresh_token });
      expect(reused.status).toBe(401);
      expect(((await reused.json()) as { code: string }).code).toBe('unauthenticated');
    });

    it('signs out: the access token is refused afterwards', async () => {
      const session = await signIn(base, 'viewer@acme.test', 'acme');
      const out = await post('/v1/auth/logout', {}, { authorization: `Bearer ${session.token}` });
      expect(out.status).toBe(204);
      const after = await readShape(`${base}/v1/shape`, session.token, { table: 'plans' });
      expect(after.status).toBe(401);
    });
  });

  describe('tokens on every endpoint', () => {
    const forge = (claims: Record<string, unknown>, secret: string, expiresIn = '5m') =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('outpost-sync')
        .setAudience('outpost-sync')
        .setSubject(acme.user.id)
        .setIssuedAt()
        .setExpirationTime(expiresIn)
        .sign(new TextEncoder().encode(secret));

    it('refuses missing, malformed, forged, wrong-audience and expired tokens with 401 and a code', async () => {
      const claims = { tid: acme.tenant.id, roles: ['admin'], sid: `sha256:${'0'.repeat(64)}` };
      const forged = await forge(claims, 'another-secret-another-secret-another-secret');
      const expired = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('outpost-sync')
        .setAudience('outpost-sync')
        .setSubject(acme.user.id)
        .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
        .setExpirationTime(Math.floor(Date.now() / 1000) - 1800)
        .sign(new TextEncoder().encode(TEST_AUTH_SECRET));
      const wrongAudience = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('outpost-sync')
        .setAudience('someone-else')
        .setSubject(acme.user.id)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(TEST_AUTH_SECRET));
      const unknownSession = await forge(claims, TEST_AUTH_SECRET);
      const [header, payload] = acme.token.split('.');
      const noneAlg = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
      const headers: (string | null)[] = [
        null,
        'Basic abc',
        'Bearer',
        `Bearer ${acme.token}x`,
        `Bearer ${header}.${payload}.AAAA`,
        `Bearer ${noneAlg}`,
        `Bearer ${forged}`,
        `Bearer ${expired}`,
        `Bearer ${wrongAudience}`,
        `Bearer ${unknownSession}`,
      ];
      for (const authorization of headers) {
        const h: Record<string, string> = authorization ? { authorization } : {};
        for (const [method, path] of [
          ['GET', '/v1/shape?table=plans&offset=-1'],
          ['POST', '/v1/mutations'],
          ['POST', '/v1/auth/logout'],
        ] as const) {
          const response = await fetch(`${base}${path}`, {
            method,
            headers: { ...h, 'content-type': 'application/json' },
            ...(method === 'POST' ? { body: '{"mutations":[]}' } : {}),
          });
          expect(response.status, `${authorization ?? 'none'} ${path}`).toBe(401);
          expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
          expect(((await response.json()) as { code: string }).code).toBe('unauthenticated');
        }
      }
    });

    /** A fresh session of the acme viewer, and the live URL of `plans` once it has caught up. */
    async function caughtUpOnPlans(): Promise<{ session: SignedIn; url: URL }> {
      const session = await signIn(base, 'viewer@acme.test', 'acme');
      const first = await readShape(`${base}/v1/shape`, session.token, { table: 'plans' });
      const url = new URL(`${base}/v1/shape`);
      url.searchParams.set('table', 'plans');
      url.searchParams.set('offset', first.offset ?? '');
      url.searchParams.set('handle', first.handle ?? '');
      url.searchParams.set('live', 'true');
      return { session, url };
    }

    it('ends a held long-poll with 401 when its session is signed out', async () => {
      const { session, url } = await caughtUpOnPlans();
      const started = Date.now();
      const held = fetch(url, { headers: { authorization: `Bearer ${session.token}` } });
      await new Promise((r) => setTimeout(r, 300));
      await post('/v1/auth/logout', {}, { authorization: `Bearer ${session.token}` });
      const response = await held;
      expect(response.status).toBe(401);
      expect(Date.now() - started).toBeLessThan(2_500);
    });

    it('ends a held SSE stream when its session is signed out, and the reconnect gets 401', async () => {
      const { session, url } = await caughtUpOnPlans();
      url.searchParams.set('live_sse', 'true');
      const headers = { authorization: `Bearer ${session.token}` };
      const stream = await fetch(url, { headers });
      expect(stream.status).toBe(200);
      expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const started = Date.now();
      const ended = stream.text();
      await post('/v1/auth/logout', {}, headers);
      expect(await ended).toMatch(/^: keep-alive\n\n/);
      expect(Date.now() - started).toBeLessThan(2_500);
      const again = await fetch(url, { headers });
      expect(again.status).toBe(401);
      expect(((await again.json()) as { code: string }).code).toBe('unauthenticated');
    });
  });

  describe('shape gate', () => {
    const shapeUrl = () => `${base}/v1/shape`;

    it('serves a tenant table scoped to the signed-in tenant, equal to what RLS shows', async () => {
      for (const who of [acme, globex]) {
        const read = await readShape(shapeUrl(), who.token, { table: 'orders' });
        expect(read.status).toBe(200);
        const expected = await rowsUnderRls(seeded.client, who.tenant.id, who.user.id, 'orders');
        expect(read.rows.size).toBe(expected);
        expect(expected).toBeGreaterThan(0);
        for (const row of read.rows.values()) expect(row['tenant_id']).toBe(who.tenant.id);
      }
    });

    it("lets the client's where narrow the scope but never widen it", async () => {
      const attempts = [
        `tenant_id = '${globex.tenant.id}'`,
        `tenant_id = '${globex.tenant.id}' OR true`,
        `true OR tenant_id IS NOT NULL`,
        `NOT (tenant_id = '${acme.tenant.id}')`,
      ];
      for (const where of attempts) {
        const read = await readShape(shapeUrl(), acme.token, { table: 'orders', where });
        expect(read.status, where).toBe(200);
        for (const row of read.rows.values()) expect(row['tenant_id']).toBe(acme.tenant.id);
      }
      const narrowed = await readShape(shapeUrl(), acme.token, {
        table: 'orders',
        where: `status = $1`,
        'params[1]': 'paid',
      });
      const expected = await rowsUnderRls(
        seeded.client,
        acme.tenant.id,
        acme.user.id,
        'orders',
        `status = 'paid'`,
      );
      expect(narrowed.rows.size).toBe(expected);
    });

    it('shows a holding user the holding and both subsidiaries, and a subsidiary only itself', async () => {
      const holding = await signIn(base, 'admin@northwind.test', 'northwind');
      const retail = await signIn(base, 'admin@northwind-retail.test', 'northwind-retail');
      expect(holding.tenant.visible_tenant_ids).toHaveLength(3);
      const all = await readShape(shapeUrl(), holding.token, { table: 'work_items' });
      const tenants = new Set([...all.rows.values()].map((r) => r['tenant_id']));
      expect(tenants.size).toBe(3);
      expect(all.rows.size).toBe(
        await rowsUnderRls(seeded.client, holding.tenant.id, holding.user.id, 'work_items'),
      );
      const own = await readShape(shapeUrl(), retail.token, { table: 'work_items' });
      expect(new Set([...own.rows.values()].map((r) => r['tenant_id']))).toEqual(new Set([retail.tenant.id]));
    });

    it('never sends server-only columns and refuses them by name, in columns and in where', async () => {
      const users = await readShape(shapeUrl(), acme.token, { table: 'users' });
      expect(users.status).toBe(200);
      expect(users.columns.has('hashed_password')).toBe(false);
      expect(users.columns.has('mfa_secret')).toBe(false);
      expect(users.columns.has('email')).toBe(true);
      const byColumn = await readShape(shapeUrl(), acme.token, {
        table: 'users',
        columns: 'id,hashed_password',
      });
      expect(byColumn.status).toBe(403);
      expect(byColumn.error?.code).toBe('forbidden');
      const byWhere = await readShape(shapeUrl(), acme.token, {
        table: 'users',
        where: `hashed_password LIKE '$argon2%'`,
      });
      expect(byWhere.status).toBe(403);
      const connections = await readShape(shapeUrl(), acme.token, { table: 'connections' });
      for (const secret of ['encrypted_credentials', 'access_token', 'refresh_token'])
        expect(connections.columns.has(secret)).toBe(false);
    });

    it('leaves generated columns out (clients compute them)', async () => {
      const roles = await readShape(shapeUrl(), acme.token, { table: 'roles' });
      expect(roles.status).toBe(200);
      expect(roles.columns.has('scope_id')).toBe(false);
      // System roles (tenant_id NULL) are global rows every tenant sees.
      expect([...roles.rows.values()].some((r) => r['tenant_id'] === null)).toBe(true);
    });

    it('denies tables without a sync rule, unknown tables and other schemas alike', async () => {
      for (const table of [
        'auth_sessions',
        'verification_tokens',
        'schema_migrations',
        'no_such_table',
        'pg_catalog.pg_authid',
        'outpost_security.table_access_rules',
      ]) {
        const read = await readShape(shapeUrl(), acme.token, { table });
        expect(read.status, table).toBe(403);
        expect(read.error?.code).toBe('forbidden');
      }
    });

    it('checks the read permission of the rule', async () => {
      const viewer = await signIn(base, 'viewer@acme.test', 'acme');
      expect(viewer.user.permissions).not.toContain('audit:read');
      const denied = await readShape(shapeUrl(), viewer.token, { table: 'audit_logs' });
      expect(denied.status).toBe(403);
      expect(denied.error?.message).toMatch(/audit:read/);
      const allowed = await readShape(shapeUrl(), acme.token, { table: 'audit_logs' });
      expect(allowed.status).toBe(200);
      expect(allowed.rows.size).toBe(
        await rowsUnderRls(seeded.client, acme.tenant.id, acme.user.id, 'audit_logs'),
      );
    });

    it("binds handles to their scope: another tenant's handle gets 409 and its own shape", async () => {
      const mine = await readShape(shapeUrl(), acme.token, { table: 'invoices' });
      const url = new URL(shapeUrl());
      url.searchParams.set('table', 'invoices');
      url.searchParams.set('offset', mine.offset ?? '');
      url.searchParams.set('handle', mine.handle ?? '');
      const stolen = await fetch(url, { headers: { authorization: `Bearer ${globex.token}` } });
      expect(stolen.status).toBe(409);
      const newHandle = stolen.headers.get('electric-handle');
      expect(newHandle).not.toBe(mine.handle);
      const body = await stolen.text();
      expect(body).not.toContain(acme.tenant.id);
    });

    it('works with the real ShapeStream client, live', async () => {
      const { stream, rows, stop } = liveRows(shapeUrl(), acme.token, 'dashboards');
      const expected = await rowsUnderRls(seeded.client, acme.tenant.id, acme.user.id, 'dashboards');
      for (let i = 0; i < 200 && !(stream.isUpToDate && rows.size === expected); i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(rows.size).toBe(expected);
      await seeded.client.query(
        `INSERT INTO dashboards (tenant_id, name) VALUES ($1, 'gated live'), ($2, 'other tenant')`,
        [acme.tenant.id, globex.tenant.id],
      );
      for (let i = 0; i < 200 && rows.size === expected; i++) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 300));
      expect(rows.size).toBe(expected + 1);
      expect([...rows.values()].some((r) => r['name'] === 'other tenant')).toBe(false);
      stop();
    });
  });

  it('keeps the insecure engine out of reach: the Shape API needs a token even for reference tables', async () => {
    const anonymous = await readShape(`${base}/v1/shape`, null, { table: 'plans' });
    expect(anonymous.status).toBe(401);
    const client = new pg.Client({ connectionString: seeded.db.url });
    await client.connect();
    await client.end();
  });
});
