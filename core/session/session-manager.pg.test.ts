/**
 * The core's session against the real gated sync server: sign in, resume the saved account offline,
 * refresh before expiry, fall into "sign in again" (keeping the session) when the server revokes it,
 * sign out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_AUTH_SECRET } from '../../scripts/testing/gated.ts';
import { createSeededTestDatabase, type SeededTestDatabase } from '../../scripts/testing/seeded.ts';
import { startTestSyncServer, type TestSyncServer } from '../../scripts/testing/sync-server.ts';
import { accountKey, SessionManager, type SecretStore } from './session-manager.ts';

class MemoryStore implements SecretStore {
  readonly values = new Map<string, string>();
  get(key: string) {
    return Promise.resolve(this.values.get(key) ?? null);
  }
  set(key: string, value: string) {
    this.values.set(key, value);
    return Promise.resolve();
  }
  delete(key: string) {
    this.values.delete(key);
    return Promise.resolve();
  }
}

describe('session manager', () => {
  let seeded: SeededTestDatabase;
  let sync: TestSyncServer;
  const credentials = { email: 'approver@acme.test', password: 'outpost-demo', tenant: 'acme' };

  beforeAll(async () => {
    seeded = await createSeededTestDatabase('session', { scale: 1 });
    sync = await startTestSyncServer(seeded.db.url, {
      auth: { secret: TEST_AUTH_SECRET, accessTtlSeconds: 3, principalCacheMs: 0 },
    });
  }, 120_000);

  afterAll(async () => {
    await sync?.stop();
    await seeded?.client.end();
    await seeded?.db.drop();
  });

  it('signs in, saves the account, and identifies it by server, tenant and user', async () => {
    const store = new MemoryStore();
    const sessions = new SessionManager({ store });
    const session = await sessions.signIn(sync.server.url, credentials);
    expect(session.user.email).toBe('approver@acme.test');
    expect(session.user.permissions).toContain('approvals:decide');
    expect(session.offline).toBe(false);
    expect(store.values.size).toBe(1);
    expect(accountKey(session)).toBe(
      `${new URL(sync.server.url).host}/${session.tenant.id}/${session.user.id}`,
    );
  });

  it('refuses wrong credentials with the server code and keeps nothing', async () => {
    const store = new MemoryStore();
    const sessions = new SessionManager({ store });
    await expect(
      sessions.signIn(sync.server.url, { ...credentials, password: 'nope' }),
    ).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    expect(store.values.size).toBe(0);
    expect(sessions.state.session).toBeNull();
  });

  it('refreshes the access token before it expires', async () => {
    const sessions = new SessionManager({ store: new MemoryStore(), refreshMarginMs: 2_000 });
    await sessions.signIn(sync.server.url, credentials);
    const first = await sessions.accessToken();
    await new Promise((r) => setTimeout(r, 1_200));
    const second = await sessions.accessToken();
    expect(second).not.toBe(first);
    const response = await fetch(`${sync.server.url}/v1/shape?table=plans&offset=-1`, {
      headers: { authorization: `Bearer ${second}` },
    });
    expect(response.status).toBe(200);
  });

  it('resumes the saved account offline, and goes online when the server answers', async () => {
    const store = new MemoryStore();
    await new SessionManager({ store }).signIn(sync.server.url, credentials);
    const unreachable = new SessionManager({
      store,
      client: new (await import('./auth-client.ts')).AuthClient({
        fetch: () => Promise.reject(new TypeError('network down')),
      }),
    });
    expect(await unreachable.savedAccount()).toEqual({
      serverUrl: sync.server.url,
      email: 'approver@acme.test',
      fullName: expect.any(String) as unknown,
      tenantSlug: 'acme',
      tenantName: expect.any(String) as unknown,
    });
    const offline = await unreachable.resume();
    expect(offline.offline).toBe(true);
    expect(offline.user.email).toBe('approver@acme.test');
    expect(await unreachable.accessToken()).toMatch(/\./);
    expect(unreachable.state.signInRequired).toBe(false);

    const reachable = new SessionManager({ store });
    await reachable.resume();
    for (let i = 0; i < 100 && reachable.state.session?.offline; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(reachable.state.session?.offline).toBe(false);
  });

  it('asks to sign in again when the server revoked the session, keeping the session for local work', async () => {
    const store = new MemoryStore();
    const sessions = new SessionManager({ store, refreshMarginMs: 60_000 });
    const session = await sessions.signIn(sync.server.url, credentials);
    await seeded.client.query(`DELETE FROM auth_sessions WHERE user_id = $1`, [session.user.id]);
    await expect(sessions.accessToken()).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(sessions.state.signInRequired).toBe(true);
    expect(sessions.state.session?.user.id).toBe(session.user.id);
    await sessions.signIn(sync.server.url, credentials);
    expect(sessions.state.signInRequired).toBe(false);
  });

  it('signs out: erases the tokens and ends the server session, keeping the account to continue offline', async () => {
    const store = new MemoryStore();
    const sessions = new SessionManager({ store });
    await sessions.signIn(sync.server.url, credentials);
    const token = await sessions.accessToken();
    const stored = JSON.parse([...store.values.values()][0] ?? '{}') as { tokens: { refresh_token: string } };
    const refreshToken = stored.tokens.refresh_token;
    await sessions.signOut();
    expect(sessions.state.session).toBeNull();
    // No secret is left on the device.
    const kept = [...store.values.values()].join('\n');
    expect(kept).not.toContain(token);
    expect(kept).not.toContain(refreshToken);
    // The account is offered again, and opens offline with sign-in required: nothing reaches the server.
    expect(await sessions.savedAccount()).toMatchObject({ email: credentials.email });
    const resumed = await sessions.resume();
    expect(resumed).toMatchObject({ offline: true, user: { email: credentials.email } });
    expect(sessions.state.signInRequired).toBe(true);
    await expect(sessions.accessToken()).rejects.toMatchObject({ code: 'unauthenticated' });
    // Signing in again replaces it.
    await sessions.signIn(sync.server.url, credentials);
    expect(sessions.state.signInRequired).toBe(false);
    const response = await fetch(`${sync.server.url}/v1/shape?table=plans&offset=-1`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(401);
  });
});
