/**
 * Error responses as the real @electric-sql/client 1.5 sees them: a 400 body in Electric's shape
 * (`{"message", "errors": {"<param>": [...]}}`) that the client parses into `FetchError.json`, and the
 * stable code in the `outpost-error-code` header, which the client keeps in `FetchError.headers`.
 */
import { FetchError, ShapeStream, type Row } from '@electric-sql/client';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../scripts/testing/postgres.ts';
import { startTestSyncServer, type TestSyncServer } from '../../scripts/testing/sync-server.ts';

/** Starts a stream and resolves with the first error the client reports to onError. */
function firstError(url: string, params: Record<string, string>): Promise<unknown> {
  return new Promise((resolve) => {
    const stream = new ShapeStream<Row>({
      url,
      params: params as { table: string },
      onError: (error) => {
        stream.unsubscribeAll();
        resolve(error);
      },
    });
    stream.subscribe(() => undefined);
  });
}

describe('error responses in Electric shape', () => {
  let db: TestDatabase;
  let client: pg.Client;
  let sync: TestSyncServer;

  beforeAll(async () => {
    db = await createTestDatabase('errors');
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(`CREATE TABLE items (id int PRIMARY KEY, title text NOT NULL)`);
    sync = await startTestSyncServer(db.url);
  });

  afterAll(async () => {
    await sync?.stop();
    await client?.end();
    await db?.drop();
  });

  it.each([
    [{ table: 'items', where: 'id = = 1' }, 'where', 'invalid_where'],
    [{ table: 'nope' }, 'table', 'invalid_table'],
    [{ table: 'items', columns: 'title' }, 'columns', 'invalid_columns'],
    [{ table: 'items', replica: 'half' }, 'replica', 'validation'],
  ])('the client parses the 400 for %j', async (params, param, code) => {
    const error = await firstError(sync.shapeUrl, params);
    expect(error).toBeInstanceOf(FetchError);
    const fetchError = error as FetchError;
    expect(fetchError.status).toBe(400);
    const json = fetchError.json as { message: string; errors: Record<string, string[]> };
    expect(typeof json.message).toBe('string');
    expect(Object.keys(json.errors)).toEqual([param]);
    expect(json.errors[param]).toEqual([json.message]);
    expect(fetchError.headers['outpost-error-code']).toBe(code);
    expect(fetchError.headers['cache-control']).toBe('no-store');
  });

  it('answers an offset beyond the log as a 400 naming the offset', async () => {
    const first = await fetch(`${sync.shapeUrl}?table=items&offset=-1`);
    const handle = first.headers.get('electric-handle') ?? '';
    await first.arrayBuffer();
    const ahead = await fetch(`${sync.shapeUrl}?table=items&offset=99999999999_0&handle=${handle}`);
    expect(ahead.status).toBe(400);
    expect(ahead.headers.get('outpost-error-code')).toBe('invalid_offset');
    expect(ahead.headers.get('access-control-expose-headers')).toContain('outpost-error-code');
    const body = (await ahead.json()) as { errors: Record<string, string[]> };
    expect(Object.keys(body.errors)).toEqual(['offset']);
  });

  it('answers unknown routes with a 404 carrying its code', async () => {
    const response = await fetch(`${sync.server.url}/v1/nothing`);
    expect(response.status).toBe(404);
    expect(response.headers.get('outpost-error-code')).toBe('not_found');
    const body = (await response.json()) as { code: string; message: unknown };
    expect(body.code).toBe('not_found');
    expect(typeof body.message).toBe('string');
  });
});
