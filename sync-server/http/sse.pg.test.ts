/**
 * Live mode over Server-Sent Events (`live_sse=true`), with the real @electric-sql/client
 * (`liveSse: true`) against a real sync server on a real PostgreSQL 15: changes arrive on one held
 * response, transactions whole, and a client resumes across reconnections (from the offsets it
 * derives from up-to-date messages) with no gap and no duplicate. (pglite-sync 0.6.1 is not tested
 * here: its bundled client 1.0.14 cannot run SSE outside a page, see docs/protocol.md.)
 */
import { ShapeStream, isChangeMessage, type Message, type Row } from '@electric-sql/client';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readShape } from '../../scripts/testing/gated.ts';
import { createTestDatabase, type TestDatabase } from '../../scripts/testing/postgres.ts';
import { startTestSyncServer, type TestSyncServer } from '../../scripts/testing/sync-server.ts';

const WAIT = { timeout: 10_000, interval: 50 };

interface Recorded {
  readonly url: URL;
  readonly status: number;
  readonly contentType: string | null;
}

/** A fetch that records every request's URL and its answer's status and content type. */
function recordingFetch(into: Recorded[]): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    into.push({
      url: new URL(input instanceof Request ? input.url : input.toString()),
      status: response.status,
      contentType: response.headers.get('content-type'),
    });
    return response;
  };
}

/** Reads raw SSE events from a response until `stop` says so (or the response ends). */
async function readEvents(response: Response, stop: (events: string[]) => boolean): Promise<string[]> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  /** The events received whole so far (each ends with a blank line). */
  const events = () =>
    text
      .slice(0, text.lastIndexOf('\n\n') + 2)
      .split('\n\n')
      .filter((e) => e.length > 0);
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (stop(events())) break;
  }
  await reader.cancel();
  return events();
}

describe('live updates over Server-Sent Events', () => {
  let db: TestDatabase;
  let client: pg.Client;
  let sync: TestSyncServer;

  beforeAll(async () => {
    db = await createTestDatabase('sse');
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(`CREATE TABLE items (id int PRIMARY KEY, title text NOT NULL, batch int)`);
    await client.query(`INSERT INTO items SELECT g, 'item ' || g, 0 FROM generate_series(1, 20) g`);
    sync = await startTestSyncServer(db.url, { sseHoldMs: 1_500 });
  });

  afterAll(async () => {
    await sync?.stop();
    await client?.end();
    await db?.drop();
  });

  /** Reads the items shape to its first up-to-date over plain HTTP: [handle, offset]. */
  async function caughtUp(): Promise<[string, string]> {
    const read = await readShape(sync.shapeUrl, null, { table: 'items' });
    expect(read.status).toBe(200);
    return [read.handle ?? '', read.offset ?? ''];
  }

  function sseUrl(handle: string, offset: string): URL {
    const url = new URL(sync.shapeUrl);
    url.searchParams.set('table', 'items');
    url.searchParams.set('handle', handle);
    url.searchParams.set('offset', offset);
    url.searchParams.set('live', 'true');
    url.searchParams.set('live_sse', 'true');
    return url;
  }

  it('streams each transaction as data events closed by up-to-date, with the resume LSN', async () => {
    const [handle, offset] = await caughtUp();
    const response = await fetch(sseUrl(handle, offset));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('electric-handle')).toBe(handle);
    expect(response.headers.get('electric-offset')).toBe(offset);
    expect(response.headers.get('electric-cursor')).toMatch(/^[0-9]+_[0-9]+$/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=1'); // Electric: just under the hold (1.5 s)

    const reading = readEvents(
      response,
      (events) => events.filter((e) => e.includes('up-to-date')).length >= 2,
    );
    await client.query(`BEGIN; INSERT INTO items VALUES (101, 'a', 1), (102, 'b', 1); COMMIT`);
    await client.query(`UPDATE items SET title = 'renamed' WHERE id = 101`);
    const events = await reading;

    const messages = events
      .filter((e) => e.startsWith('data: '))
      .map((e) => JSON.parse(e.slice('data: '.length)) as Message<Row>);
    expect(messages.map((m) => (isChangeMessage(m) ? m.headers.operation : m.headers.control))).toEqual([
      'insert',
      'insert',
      'up-to-date',
      'update',
      'up-to-date',
    ]);
    // Each up-to-date names the LSN just after the transaction it closes: `${lsn}_0` resumes there.
    const [first, , upToDate1, update, upToDate2] = messages;
    const lsnOf = (m: Message<Row> | undefined) => BigInt((m?.headers as unknown as { lsn: string }).lsn);
    const seen = (m: Message<Row> | undefined) =>
      BigInt((m?.headers as unknown as { global_last_seen_lsn: string }).global_last_seen_lsn);
    expect(seen(upToDate1)).toBe(lsnOf(first) + 1n);
    expect(seen(upToDate2)).toBe(lsnOf(update) + 1n);

    // That resume point is a valid offset: nothing after it yet, so a long-poll holds, then times out.
    const resume = `${seen(upToDate2)}_0`;
    const url = sseUrl(handle, resume);
    url.searchParams.delete('live_sse');
    const held = await fetch(url);
    expect(held.status).toBe(200);
    expect(await held.json()).toEqual([
      { headers: { control: 'up-to-date', global_last_seen_lsn: expect.any(String) as string } },
    ]);
    // One past it is beyond the log.
    const beyond = await fetch(sseUrl(handle, `${seen(upToDate2) + 1n}_0`));
    expect(beyond.status).toBe(400);
    expect(((await beyond.json()) as { code: string }).code).toBe('invalid_offset');
  });

  it('refuses live_sse without live=true, naming the parameter', async () => {
    const [handle, offset] = await caughtUp();
    const url = sseUrl(handle, offset);
    url.searchParams.delete('live');
    const response = await fetch(url);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { code: string; errors: Record<string, string[]> };
    expect(body.code).toBe('validation');
    expect(Object.keys(body.errors)).toEqual(['live_sse']);
  });

  it('feeds the real ShapeStream (liveSse) across reconnections: every change once, transactions whole', async () => {
    const requests: Recorded[] = [];
    const stream = new ShapeStream<Row>({
      url: sync.shapeUrl,
      params: { table: 'items', where: 'batch >= $1', params: ['2'] },
      liveSse: true,
      fetchClient: recordingFetch(requests),
    });
    const inserts = new Map<number, number>(); // id -> how many inserts were delivered
    const batches: number[][] = []; // the ids each callback received, per callback
    let upToDate = false;
    const unsubscribe = stream.subscribe((messages) => {
      const ids: number[] = [];
      for (const m of messages) {
        if (isChangeMessage(m) && m.headers.operation === 'insert') {
          const id = Number(m.value['id']);
          ids.push(id);
          inserts.set(id, (inserts.get(id) ?? 0) + 1);
        } else if (!isChangeMessage(m) && m.headers.control === 'up-to-date') upToDate = true;
      }
      if (ids.length > 0) batches.push(ids);
    });
    try {
      await vi.waitFor(() => expect(upToDate).toBe(true), WAIT);
      // Ten transactions of 50 rows, spread over several 1.5 s SSE responses.
      for (let t = 0; t < 10; t++) {
        await client.query(
          `INSERT INTO items SELECT g, 'tx ${t}', 2 FROM generate_series(${1000 + t * 50}, ${1049 + t * 50}) g`,
        );
        await new Promise((r) => setTimeout(r, 400));
      }
      await vi.waitFor(() => expect(inserts.size).toBe(500), { timeout: 20_000, interval: 50 });
      expect([...inserts.values()].every((n) => n === 1)).toBe(true);
      // Whole transactions: every callback's rows are one or more complete transactions of 50.
      for (const ids of batches) expect(ids.length % 50).toBe(0);

      const sse = requests.filter((r) => r.url.searchParams.get('live_sse') === 'true');
      expect(sse.length).toBeGreaterThanOrEqual(3); // it reconnected after held responses ended
      expect(sse.every((r) => r.status === 200 && r.contentType?.startsWith('text/event-stream'))).toBe(true);
      // After the first SSE response, the client resumes from `${global_last_seen_lsn}_0`.
      expect(sse.slice(1).some((r) => /^[1-9][0-9]*_0$/.test(r.url.searchParams.get('offset') ?? ''))).toBe(
        true,
      );
    } finally {
      unsubscribe();
    }
  }, 60_000);

  it('ends a stream when its shape is truncated; the client refetches and follows the new shape', async () => {
    await client.query(`CREATE TABLE notes (id int PRIMARY KEY, body text)`);
    await client.query(`INSERT INTO notes VALUES (1, 'one'), (2, 'two')`);
    const rows = new Map<number, string>();
    let refetched = false;
    const stream = new ShapeStream<Row>({ url: sync.shapeUrl, params: { table: 'notes' }, liveSse: true });
    const unsubscribe = stream.subscribe((messages) => {
      for (const m of messages) {
        if (isChangeMessage(m)) {
          if (m.headers.operation === 'delete') rows.delete(Number(m.value['id']));
          else rows.set(Number(m.value['id']), m.value['body'] as string);
        } else if (m.headers.control === 'must-refetch') {
          refetched = true;
          rows.clear();
        }
      }
    });
    try {
      await vi.waitFor(() => expect(rows.size).toBe(2), WAIT);
      await client.query(`INSERT INTO notes VALUES (3, 'three')`);
      await vi.waitFor(() => expect(rows.get(3)).toBe('three'), WAIT);
      await client.query(`TRUNCATE notes`);
      await client.query(`INSERT INTO notes VALUES (9, 'after')`);
      await vi.waitFor(() => {
        expect(refetched).toBe(true);
        expect([...rows.entries()]).toEqual([[9, 'after']]);
      }, WAIT);
    } finally {
      unsubscribe();
    }
  }, 30_000);
});
