/**
 * Shape logs across an upgrade of their format: a shape whose log an older version wrote (the line
 * format) is dropped at start, its clients get 409 must-refetch with a new handle, and the new shape
 * serves every row again from offset -1.
 */
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../scripts/testing/postgres.ts';
import { startTestSyncServer, type TestSyncServer } from '../../scripts/testing/sync-server.ts';

/** Follows a shape from `offset` until up-to-date; returns the rows' keys, handle and offset. */
async function fetchShape(
  url: string,
  start: { handle: string | null; offset: string },
): Promise<{ status: number; keys: string[]; handle: string | null; offset: string }> {
  const keys: string[] = [];
  let { handle, offset } = start;
  for (;;) {
    const response = await fetch(`${url}?table=notes&offset=${offset}${handle ? `&handle=${handle}` : ''}`);
    handle = response.headers.get('electric-handle');
    if (response.status !== 200) return { status: response.status, keys, handle, offset };
    const messages = (await response.json()) as { key?: string }[];
    for (const m of messages) if (m.key) keys.push(m.key);
    offset = response.headers.get('electric-offset') ?? offset;
    if (response.headers.has('electric-up-to-date')) return { status: 200, keys, handle, offset };
  }
}

describe('shape logs written by an older version', () => {
  let db: TestDatabase;
  let client: pg.Client;
  let sync: TestSyncServer;

  beforeAll(async () => {
    db = await createTestDatabase('log_upgrade');
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(`CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)`);
    await client.query(`INSERT INTO notes SELECT g, 'note ' || g FROM generate_series(1, 25) g`);
    sync = await startTestSyncServer(db.url);
  });

  afterAll(async () => {
    await sync?.stop();
    await client?.end();
    await db?.drop();
  });

  it('are dropped at start: the client gets 409 and a new handle, and refetches every row', async () => {
    const first = await fetchShape(sync.shapeUrl, { handle: null, offset: '-1' });
    expect(first.status).toBe(200);
    expect(first.keys).toHaveLength(25);
    const shape = sync.server.engine.lookup(first.handle ?? '');
    expect(shape).toBeDefined();
    // What the previous version left on disk: one `<offset>\t<json>` line per entry.
    writeFileSync(
      shape?.log.path ?? '',
      `0_0\t{"key":"\\"public\\".\\"notes\\"/\\"1\\"","value":{"id":"1","body":"note 1"},"headers":{"operation":"insert","relation":["public","notes"]}}\n`,
    );
    await sync.restart();

    const resumed = await fetchShape(sync.shapeUrl, first);
    expect(resumed.status).toBe(409);
    expect(resumed.handle).not.toBe(first.handle);
    const again = await fetchShape(sync.shapeUrl, { handle: null, offset: '-1' });
    expect(again.status).toBe(200);
    expect(again.handle).toBe(resumed.handle);
    expect(again.keys.sort()).toEqual(first.keys.sort());
  });
});
