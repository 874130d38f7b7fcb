/**
 * scripts/testing/gated.ts: helpers for tests of the gated sync server: sign in as a seeded user,
 * read a whole shape over raw HTTP (following electric-offset until up-to-date), and the rows the
 * same user can SELECT under row-level security, for comparison.
 */
import { ShapeStream, type Row } from '@electric-sql/client';
import type pg from 'pg';
import { createMutationService } from '../../sync-server/mutations/mutation-service.ts';
import type { AuthConfig } from '../../sync-server/server.ts';
import { DEMO_PASSWORD } from '../db/seed/users.ts';

export const TEST_AUTH_SECRET = 'test-secret-test-secret-test-secret-0123456789';

/** Gated mode as `npm run sync-server` runs it: sign-in, the gate and the write API. */
export function gatedWithWrites(overrides: Partial<AuthConfig> = {}): AuthConfig {
  return {
    secret: TEST_AUTH_SECRET,
    principalCacheMs: 0,
    mutations: (pool) => createMutationService(pool),
    ...overrides,
  };
}

export interface SignedIn {
  readonly token: string;
  readonly refresh_token: string;
  readonly user: { id: string; email: string; permissions: string[]; roles: string[] };
  readonly tenant: { id: string; slug: string; visible_tenant_ids: string[] };
}

export async function signIn(
  baseUrl: string,
  email: string,
  tenant: string,
  password = DEMO_PASSWORD,
): Promise<SignedIn> {
  const response = await fetch(`${baseUrl}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, tenant }),
  });
  if (response.status !== 200)
    throw new Error(`sign-in of ${email} failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as SignedIn;
}

export interface ShapeRead {
  readonly status: number;
  /** Rows by key (after applying every insert/update/delete in order). */
  readonly rows: Map<string, Record<string, unknown>>;
  /** Every column name seen in any message. */
  readonly columns: Set<string>;
  readonly handle: string | null;
  readonly offset: string | null;
  readonly error?: { code: string; message: string };
}

/** Reads a shape from offset -1 to up-to-date, like a client would. */
export async function readShape(
  shapeUrl: string,
  token: string | null,
  params: Record<string, string>,
): Promise<ShapeRead> {
  const rows = new Map<string, Record<string, unknown>>();
  const columns = new Set<string>();
  let offset = '-1';
  let handle: string | null = null;
  for (let i = 0; i < 10_000; i++) {
    const url = new URL(shapeUrl);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    url.searchParams.set('offset', offset);
    if (handle) url.searchParams.set('handle', handle);
    const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    if (response.status !== 200) {
      const body = (await response.json().catch(() => null)) as { code: string; message: string } | null;
      return { status: response.status, rows, columns, handle, offset, ...(body ? { error: body } : {}) };
    }
    handle = response.headers.get('electric-handle');
    offset = response.headers.get('electric-offset') ?? offset;
    const messages = (await response.json()) as {
      key?: string;
      value?: Record<string, unknown>;
      headers: { operation?: string; control?: string };
    }[];
    let upToDate = false;
    for (const m of messages) {
      if (m.headers.control === 'up-to-date') upToDate = true;
      if (!m.key || !m.value) continue;
      for (const c of Object.keys(m.value)) columns.add(c);
      if (m.headers.operation === 'delete') rows.delete(m.key);
      else rows.set(m.key, { ...rows.get(m.key), ...m.value });
    }
    if (upToDate) return { status: 200, rows, columns, handle, offset };
  }
  throw new Error('shape did not reach up-to-date');
}

/** Rows of `table` (optionally filtered by a trusted SQL condition) that a user's tenant context sees under RLS. */
export async function rowsUnderRls(
  client: pg.ClientBase,
  tenantId: string,
  userId: string,
  table: string,
  condition: string | null = null,
  params: unknown[] = [],
): Promise<number> {
  await client.query('BEGIN');
  try {
    await client.query('SET LOCAL ROLE outpost_app');
    await client.query(`SELECT set_config('app.tenant_id', $1, true), set_config('app.user_id', $2, true)`, [
      tenantId,
      userId,
    ]);
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM "${table}"${condition ? ` WHERE ${condition}` : ''}`,
      params,
    );
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.query('ROLLBACK');
  }
}

/** A real ShapeStream, live, with the rows it has delivered so far (by key). Call `stop()` at the end. */
export function liveRows(
  shapeUrl: string,
  token: string,
  table: string,
  options: { liveSse?: boolean } = {},
): { stream: ShapeStream<Row>; rows: Map<string, Row>; stop: () => void } {
  const stream = new ShapeStream<Row>({
    url: shapeUrl,
    params: { table },
    headers: { authorization: `Bearer ${token}` },
    liveSse: options.liveSse ?? false,
  });
  const rows = new Map<string, Row>();
  const unsubscribe = stream.subscribe((messages) => {
    for (const m of messages)
      if ('key' in m) {
        if (m.headers.operation === 'delete') rows.delete(m.key);
        else rows.set(m.key, { ...rows.get(m.key), ...m.value });
      }
  });
  return {
    stream,
    rows,
    stop: () => {
      unsubscribe();
      stream.unsubscribeAll();
    },
  };
}
