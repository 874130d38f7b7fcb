/**
 * The write API's per-token request limit: past `mutationRequestsPerMinute` a token gets 429 with
 * Retry-After and a `rate_limited` code, while another session is unaffected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, TEST_AUTH_SECRET } from '../../scripts/testing/gated.ts';
import { createSeededTestDatabase, type SeededTestDatabase } from '../../scripts/testing/seeded.ts';
import { startTestSyncServer, type TestSyncServer } from '../../scripts/testing/sync-server.ts';
import { createMutationService } from '../mutations/mutation-service.ts';

describe('write API limits', () => {
  let seeded: SeededTestDatabase;
  let sync: TestSyncServer;

  beforeAll(async () => {
    seeded = await createSeededTestDatabase('limits', { scale: 1 });
    sync = await startTestSyncServer(seeded.db.url, {
      auth: {
        secret: TEST_AUTH_SECRET,
        mutationRequestsPerMinute: 3,
        mutations: (pool) => createMutationService(pool),
      },
    });
  }, 120_000);

  afterAll(async () => {
    await sync?.stop();
    await seeded?.client.end();
    await seeded?.db.drop();
  });

  it('refuses a token past its requests per minute with 429 and Retry-After, per session', async () => {
    const first = await signIn(sync.server.url, 'admin@acme.test', 'acme');
    const second = await signIn(sync.server.url, 'admin@acme.test', 'acme');
    const post = (token: string) =>
      fetch(`${sync.server.url}/v1/mutations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ mutations: [] }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(first.token)).status);
    expect(statuses).not.toContain(429);
    const limited = await post(first.token);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as { code: string }).code).toBe('rate_limited');
    expect((await post(second.token)).status).not.toBe(429);
  });
});
