/**
 * Cacheable Shape API responses, through a real nginx `proxy_cache` in front of the gated server on
 * the seeded demo database: Electric's cache-control values, ETags and 304s, repeated chunk requests
 * served from the cache, concurrent live requests collapsed into one upstream request, and a second
 * tenant never served the first tenant's cached body, even with the very same URLs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, TEST_AUTH_SECRET, type SignedIn } from '../../scripts/testing/gated.ts';
import { startNginxCache, type NginxCache } from '../../scripts/testing/nginx-cache.ts';
import { createSeededTestDatabase, type SeededTestDatabase } from '../../scripts/testing/seeded.ts';
import { startTestSyncServer, type TestSyncServer } from '../../scripts/testing/sync-server.ts';
import { CACHE_CHUNK, CACHE_INITIAL, CACHE_LIVE, CACHE_MUST_REFETCH } from './cache-policy.ts';

interface Step {
  readonly url: string;
  readonly status: number;
  readonly cache: string | null;
  readonly cacheControl: string | null;
  readonly etag: string | null;
  readonly body: string;
  readonly handle: string | null;
  readonly offset: string | null;
  readonly cursor: string | null;
}

async function get(url: string, token: string, headers: Record<string, string> = {}): Promise<Step> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, ...headers } });
  return {
    url,
    status: response.status,
    cache: response.headers.get('x-cache-status'),
    cacheControl: response.headers.get('cache-control'),
    etag: response.headers.get('etag'),
    body: await response.text(),
    handle: response.headers.get('electric-handle'),
    offset: response.headers.get('electric-offset'),
    cursor: response.headers.get('electric-cursor'),
  };
}

/** Reads a shape from offset -1 until up-to-date (not live), as a client does: every request made. */
async function walk(base: string, token: string, table: string): Promise<Step[]> {
  const steps: Step[] = [];
  let offset = '-1';
  let handle: string | null = null;
  for (let i = 0; i < 1000; i++) {
    const url = new URL('/v1/shape', base);
    url.searchParams.set('table', table);
    url.searchParams.set('offset', offset);
    if (handle) url.searchParams.set('handle', handle);
    const step = await get(url.toString(), token);
    steps.push(step);
    if (step.status !== 200) return steps;
    handle = step.handle;
    offset = step.offset ?? offset;
    if (step.body.includes('"up-to-date"')) return steps;
  }
  throw new Error('the shape never came up to date');
}

describe('caching through nginx', () => {
  let seeded: SeededTestDatabase;
  let sync: TestSyncServer;
  let nginx: NginxCache;
  let acme: SignedIn;
  let globex: SignedIn;

  beforeAll(async () => {
    seeded = await createSeededTestDatabase('cache', { scale: 1 });
    sync = await startTestSyncServer(seeded.db.url, {
      auth: { secret: TEST_AUTH_SECRET, principalCacheMs: 0 },
      chunkBytes: 16 * 1024, // several chunks per shape
    });
    nginx = await startNginxCache(sync.server.url);
    acme = await signIn(sync.server.url, 'admin@acme.test', 'acme');
    globex = await signIn(sync.server.url, 'admin@globex.test', 'globex');
  }, 120_000);

  afterAll(async () => {
    await nginx?.stop();
    await sync?.stop();
    await seeded?.client.end();
    await seeded?.db.drop();
  });

  it("sends Electric's cache-control values and ETags, and 304 on If-None-Match", async () => {
    const steps = await walk(sync.server.url, acme.token, 'audit_logs');
    expect(steps.length).toBeGreaterThan(2); // 16 KiB chunks
    expect(steps[0]?.cacheControl).toBe(CACHE_INITIAL);
    for (const step of steps.slice(1)) expect(step.cacheControl).toBe(CACHE_CHUNK);
    const last = steps[steps.length - 1] as Step;
    const etag = last.etag ?? '';
    expect(etag).toMatch(/^"[0-9a-f]{20}-[0-9]+:[0-9_]+:[0-9_]+"$/);
    const again = await get(last.url, acme.token, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    const items = await walk(sync.server.url, acme.token, 'work_items');
    const tail = items[items.length - 1] as Step;
    const live = new URL(tail.url);
    live.searchParams.set('offset', tail.offset ?? '');
    live.searchParams.set('live', 'true');
    const held = get(live.toString(), acme.token);
    await seeded.client.query(
      `UPDATE work_items SET description = 'cache test' WHERE id = (SELECT id FROM work_items WHERE tenant_id = $1 LIMIT 1)`,
      [acme.tenant.id],
    );
    const answer = await held;
    expect(answer.cacheControl).toBe(CACHE_LIVE);
    expect(answer.cursor).toMatch(/^[0-9]+_[0-9]+$/);
    const stale = new URL(last.url);
    stale.searchParams.set('handle', 'ffffffffffffffffffff-1');
    const refetch = await get(stale.toString(), acme.token);
    expect(refetch.status).toBe(409);
    expect(refetch.cacheControl).toBe(CACHE_MUST_REFETCH);
  });

  it('serves repeated chunk requests from the cache, and 304s through it', async () => {
    const first = await walk(nginx.url, acme.token, 'audit_logs');
    expect(first.length).toBeGreaterThan(2);
    const second = await walk(nginx.url, acme.token, 'audit_logs');
    expect(second.map((s) => s.url)).toEqual(first.map((s) => s.url));
    expect(second.map((s) => s.body)).toEqual(first.map((s) => s.body));
    const hits = second.filter((s) => s.cache === 'HIT').length;
    expect(hits / second.length).toBeGreaterThanOrEqual(0.99);
    const chunk = second[1] as Step;
    const revalidated = await get(chunk.url, acme.token, { 'if-none-match': chunk.etag ?? '' });
    expect(revalidated.status).toBe(304);
  });

  it("never serves one tenant's cached body to another, even for the same URLs", async () => {
    const theirs = await walk(nginx.url, acme.token, 'invoices');
    const acmeBodies = new Set(theirs.map((s) => s.body));
    for (const step of theirs) {
      const mine = await get(step.url, globex.token);
      expect(mine.body.includes(acme.tenant.id), step.url).toBe(false);
      expect(acmeBodies.has(mine.body) && mine.body !== '[]', step.url).toBe(false);
      // offset=-1 is the globex shape; acme's handle URLs are 409s with globex's own handle.
      expect(mine.status === 200 ? step.url.includes('offset=-1') : mine.status === 409, step.url).toBe(true);
    }
    const own = await walk(nginx.url, globex.token, 'invoices');
    for (const step of own) expect(step.body.includes(acme.tenant.id)).toBe(false);
  });

  it('collapses concurrent live requests of one cursor into one upstream request', async () => {
    const steps = await walk(nginx.url, acme.token, 'dashboards');
    const last = steps[steps.length - 1] as Step;
    const live = new URL(last.url);
    live.searchParams.set('offset', last.offset ?? '');
    live.searchParams.set('live', 'true');
    live.searchParams.set('cursor', '1');
    const requests = Array.from({ length: 8 }, () => get(live.toString(), acme.token));
    await seeded.client.query(`INSERT INTO dashboards (tenant_id, name) VALUES ($1, 'collapsed')`, [
      acme.tenant.id,
    ]);
    const answers = await Promise.all(requests);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(answers[0]?.body).toContain('collapsed');
    expect(answers.filter((a) => a.cache !== 'HIT')).toHaveLength(1);
  });
});
