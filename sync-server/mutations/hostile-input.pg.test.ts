/**
 * Generated hostile input against the write API, on the seeded demo database: thousands of request
 * bodies built from quotes, comments, semicolons, `1=1) OR (1=1`, sub-selects, unicode, NUL bytes,
 * huge values, wrong types, unknown and secret columns, other tenants' ids, malformed envelopes and
 * batches. Most go straight to the service with a real Principal (what the HTTP layer hands it), a few
 * hundred over HTTP.
 *
 * Holds for every case: no 500 (the service never throws), every refusal is a 4xx whose code matches
 * its status and whose message is a sentence; and afterwards: no other tenant's row changed, nothing
 * was written outside the actor's tenants, every audit chain verifies, and every table is still there.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../common/errors.ts';
import { signIn, TEST_AUTH_SECRET, type SignedIn } from '../../scripts/testing/gated.ts';
import { createSeededTestDatabase, type SeededTestDatabase } from '../../scripts/testing/seeded.ts';
import { startTestSyncServer, type TestSyncServer } from '../../scripts/testing/sync-server.ts';
import type { Principal } from '../auth/auth-service.ts';
import type { MutationHandler } from './mutation-handler.ts';
import { createMutationService } from './mutation-service.ts';

const STATUS_OF_CODE: Record<string, number> = {
  validation: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid_transition: 409,
  payload_too_large: 413,
};

/** Deterministic PRNG (mulberry32), so a failure can be replayed by its case number. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T;
  return { next, int, pick, chance: (p: number) => next() < p };
}

const INJECTIONS = [
  "'",
  '"',
  "''",
  '--',
  '/*',
  '*/',
  ';',
  '1=1) OR (1=1',
  "' OR '1'='1",
  "'; DROP TABLE workspaces; --",
  '"; DELETE FROM users; --',
  '(SELECT pg_sleep(5))',
  "x') UNION SELECT hashed_password FROM users --",
  '$1',
  '$$',
  '$$; SELECT 1; $$',
  '\\',
  '\\x00',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '🦄💥',
  '\u202eevil',
  'e\u0301',
  'NULL',
  'null',
  'true',
  'DEFAULT',
  '',
  ' ',
  '\n\t\r',
  'public.workspaces',
  '"public"."users"',
  'pg_catalog.pg_authid',
  'tenant_id',
  '*',
  '%',
  '_',
  '{1,2}',
  '{"a":1}',
  '[1,2]',
  '0',
  '-1',
  '1e999',
  '2026-13-45T99:99:99Z',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
];

const TABLES = [
  'workspaces',
  'workspace_files',
  'workspace_changesets',
  'workspace_patches',
  'approvals',
  'approval_delegations',
  'users',
  'tenants',
  'roles',
  'role_permissions',
  'user_roles',
  'audit_logs',
  'audit_chain_heads',
  'accounts',
  'auth_sessions',
  'verification_tokens',
  'schema_migrations',
  'server_only_columns',
  'chat_messages',
  'orders',
  'api_keys',
  'crm_webhooks',
  'Workspaces',
  'public.workspaces',
  'workspaces; DROP TABLE users',
  'pg_authid',
  'outpost_writes.applied_mutations',
];

const COLUMNS = [
  'id',
  'tenant_id',
  'name',
  'description',
  'status',
  'approved_by',
  'hashed_password',
  'mfa_secret',
  'api_key',
  'secret',
  'key_hash',
  'content',
  'path',
  'workspace_id',
  'title',
  'approver_ids',
  'context',
  'embedding',
  'created_at',
  'updated_at',
  'scope_id',
  'nope',
  '__proto__',
  'constructor',
  'Name',
  'name; drop',
  'name"',
  'x'.repeat(70),
];

const NAMES = [
  'approval.decide',
  'delegation.create',
  'changeset.submit',
  'changeset.review',
  'changeset.revise',
  'changeset.withdraw',
  'changeset.apply',
  'approval.delete',
  'Approval.Decide',
  '__proto__',
  'constructor',
  'toString',
  "approval.decide'; --",
];

interface World {
  readonly acme: string;
  readonly globex: string;
  /** Ids of rows of both tenants (workspaces, approvals, changesets, users) and the tenants. */
  readonly ids: readonly string[];
  readonly workspaces: readonly string[];
  readonly approvals: readonly string[];
}

function generator(seed: number, world: World) {
  const r = rng(seed);
  const hostileString = (): string => {
    const roll = r.int(10);
    if (roll === 0) return 'x'.repeat(r.pick([300, 3_000, 100_000]));
    if (roll === 1) return `${r.pick(INJECTIONS)}${r.pick(INJECTIONS)}${r.pick(INJECTIONS)}`;
    return r.pick(INJECTIONS);
  };
  const value = (depth = 0): unknown => {
    switch (r.int(depth > 2 ? 6 : 10)) {
      case 0:
        return r.pick(world.ids);
      case 1:
        return r.pick([0, -1, 1.5, 2 ** 53 + 1, 1e308, -1e-308, 255, 65536]);
      case 2:
        return r.chance(0.5);
      case 3:
        return null;
      case 4:
      case 5:
        return hostileString();
      case 6:
      case 7:
        return Array.from({ length: r.int(4) }, () => value(depth + 1));
      default:
        return Object.fromEntries(
          Array.from({ length: r.int(4) }, () => [r.pick(COLUMNS), value(depth + 1)]),
        );
    }
  };
  const fields = (): Record<string, unknown> =>
    Object.fromEntries(
      Array.from({ length: r.int(5) }, () => [
        r.chance(0.8) ? r.pick(COLUMNS) : hostileString().slice(0, 80),
        value(),
      ]),
    );
  const id = (): unknown =>
    r.chance(0.9)
      ? randomUUID()
      : r.pick([null, 42, '', 'not-a-uuid', {}, [], randomUUID().toUpperCase(), hostileString()]);
  const mutation = (): unknown => {
    const roll = r.int(20);
    if (roll === 0) return r.pick([null, 1, 'x', [], true]);
    if (roll === 1) return { id: id(), table: r.pick(TABLES), name: r.pick(NAMES), op: 'insert' };
    if (roll < 8) {
      const name = r.pick(NAMES);
      return {
        id: id(),
        name,
        key: r.chance(0.7) ? { id: r.chance(0.6) ? r.pick(world.ids) : value() } : fields(),
        ...(r.chance(0.8) ? { values: fields() } : {}),
        ...(r.chance(0.05) ? { [r.pick(COLUMNS)]: value() } : {}),
      };
    }
    const op = r.chance(0.9) ? r.pick(['insert', 'update', 'delete']) : hostileString();
    const m: Record<string, unknown> = {
      id: id(),
      table: r.chance(0.9) ? r.pick(TABLES) : hostileString(),
      op,
    };
    if (r.chance(0.7))
      m['key'] = r.chance(0.7) ? { id: r.chance(0.6) ? r.pick(world.ids) : value() } : fields();
    if (r.chance(0.8)) m['values'] = fields();
    if (r.chance(0.2)) {
      const values = (m['values'] ??= {}) as Record<string, unknown>;
      values['tenant_id'] = r.pick([world.acme, world.globex, hostileString()]);
    }
    if (r.chance(0.05)) m['sql'] = 'DROP TABLE users';
    return m;
  };
  /** A well-formed mutation with hostile text where the text goes: these reach the database. */
  const plausible = (): unknown => {
    const text = () => (r.chance(0.9) ? hostileString().slice(0, 200) : hostileString());
    switch (r.int(5)) {
      case 0:
        return {
          id: randomUUID(),
          table: 'workspaces',
          op: 'insert',
          values: { name: text(), description: text() },
        };
      case 1:
        return {
          id: randomUUID(),
          table: 'workspaces',
          op: 'update',
          key: { id: r.pick(world.workspaces) },
          values: { description: text() },
        };
      case 2:
        return {
          id: randomUUID(),
          table: 'workspace_files',
          op: 'insert',
          values: { workspace_id: r.pick(world.workspaces), path: text(), content: text() },
        };
      case 3:
        return {
          id: randomUUID(),
          name: 'approval.decide',
          key: { id: r.pick(world.approvals) },
          values: { decision: r.pick(['approve', 'reject']), reason: text() },
        };
      default:
        return {
          id: randomUUID(),
          name: 'delegation.create',
          values: {
            delegate_id: r.pick(world.ids),
            ends_at: new Date(Date.now() + 3_600_000).toISOString(),
            reason: text(),
          },
        };
    }
  };
  const body = (): unknown => {
    if (r.chance(0.35)) return { mutations: Array.from({ length: 1 + r.int(2) }, plausible) };
    const roll = r.int(40);
    if (roll === 0) return r.pick([null, 0, 'mutations', [], {}, { mutations: null }, { mutations: {} }]);
    if (roll === 1) return { mutations: [mutation()], extra: true };
    if (roll === 2) return { mutations: Array.from({ length: 101 + r.int(50) }, () => ({})) };
    const batch = Array.from({ length: 1 + r.int(4) }, mutation);
    if (r.chance(0.05) && batch.length > 1) batch[1] = batch[0];
    return { mutations: batch };
  };
  return { body };
}

describe('write API under hostile input', () => {
  let seeded: SeededTestDatabase;
  let sync: TestSyncServer;
  let pool: pg.Pool;
  let service: MutationHandler;
  let acme: SignedIn;
  let globex: SignedIn;
  let principals: Principal[];
  let world: World;

  const snapshot = async (tenant: string) => {
    const tables = (
      await seeded.client.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id'
          WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
          ORDER BY 1`,
      )
    ).rows.map((r) => r.name);
    const out: Record<string, string> = {};
    for (const table of tables) {
      const { rows } = await seeded.client.query<{ h: string | null }>(
        `SELECT md5(string_agg(to_jsonb(t)::text, '|' ORDER BY to_jsonb(t)::text)) AS h FROM "${table}" t WHERE tenant_id = $1`,
        [tenant],
      );
      out[table] = rows[0]?.h ?? '';
    }
    const tenantRow = await seeded.client.query<{ row: string }>(
      `SELECT to_jsonb(t)::text AS row FROM tenants t WHERE id = $1`,
      [tenant],
    );
    out['tenants'] = String(tenantRow.rows[0]?.row);
    return out;
  };

  beforeAll(async () => {
    seeded = await createSeededTestDatabase('hostile', { scale: 1 });
    sync = await startTestSyncServer(seeded.db.url, {
      auth: {
        secret: TEST_AUTH_SECRET,
        mutationRequestsPerMinute: 1_000_000,
        mutations: (p) => createMutationService(p),
      },
    });
    pool = new pg.Pool({ connectionString: seeded.db.url, max: 4 });
    service = createMutationService(pool);
    acme = await signIn(sync.server.url, 'admin@acme.test', 'acme');
    globex = await signIn(sync.server.url, 'admin@globex.test', 'globex');
    const viewer = await signIn(sync.server.url, 'viewer@acme.test', 'acme');
    const approver = await signIn(sync.server.url, 'approver@acme.test', 'acme');
    principals = await Promise.all(
      [acme, acme, approver, viewer].map((s) => sync.server.auth!.authenticate(`Bearer ${s.token}`)),
    );
    const column = async (sql: string) =>
      (await seeded.client.query<{ id: string }>(sql, [[acme.tenant.id, globex.tenant.id]])).rows.map(
        (r) => r.id,
      );
    const ids = await seeded.client.query<{ id: string }>(
      `(SELECT id::text FROM workspaces WHERE tenant_id = ANY ($1::uuid[]) ORDER BY id LIMIT 6)
       UNION ALL (SELECT id::text FROM approvals WHERE tenant_id = ANY ($1::uuid[]) ORDER BY id LIMIT 10)
       UNION ALL (SELECT id::text FROM workspace_changesets WHERE tenant_id = ANY ($1::uuid[]) ORDER BY id LIMIT 10)
       UNION ALL (SELECT id::text FROM users WHERE tenant_id = ANY ($1::uuid[]) ORDER BY id LIMIT 6)`,
      [[acme.tenant.id, globex.tenant.id]],
    );
    world = {
      acme: acme.tenant.id,
      globex: globex.tenant.id,
      ids: [...ids.rows.map((r) => r.id), acme.tenant.id, globex.tenant.id, acme.user.id, globex.user.id],
      workspaces: await column(
        `SELECT id::text FROM workspaces WHERE tenant_id = ANY ($1::uuid[]) ORDER BY id`,
      ),
      approvals: await column(
        `SELECT id::text FROM approvals WHERE tenant_id = ANY ($1::uuid[]) AND status IN ('pending', 'escalated') ORDER BY id`,
      ),
    };
  }, 180_000);

  afterAll(async () => {
    await pool?.end();
    await sync?.stop();
    await seeded?.client.end();
    await seeded?.db.drop();
  });

  function problemsOf(status: number, body: unknown): string | null {
    const b = body as { code?: unknown; message?: unknown; txid?: unknown; results?: unknown };
    if (status === 200)
      return typeof b.txid === 'number' && Array.isArray(b.results) ? null : 'a 200 without txid/results';
    if (status >= 500) return `status ${status}`;
    if (typeof b.code !== 'string' || !(b.code in ERROR_CODES)) return `unknown code ${String(b.code)}`;
    if (STATUS_OF_CODE[b.code] !== status) return `code ${b.code} with status ${status}`;
    if (typeof b.message !== 'string' || b.message.length < 10) return 'no message';
    return null;
  }

  it('answers thousands of generated bodies with 200 or a clear 4xx, never a 500', async () => {
    const before = await snapshot(globex.tenant.id);
    const tables = await seeded.client.query(
      `SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace`,
    );
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (let n = 0; n < 3_000; n++) {
      const body = generator(n, world).body();
      const principal = principals[n % principals.length] as Principal;
      let answer: { status: number; body: unknown };
      try {
        answer = await service(body, principal);
      } catch (error) {
        failures.push(`case ${n}: threw ${(error as Error).message}`);
        continue;
      }
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      const problem = problemsOf(answer.status, answer.body);
      if (problem) failures.push(`case ${n}: ${problem}: ${JSON.stringify(answer.body).slice(0, 300)}`);
    }
    expect(failures).toEqual([]);
    // The generator reaches every kind of answer.
    for (const status of [200, 400, 403, 404, 409, 413])
      expect(statuses.get(status) ?? 0, `status ${status}`).toBeGreaterThan(0);

    expect(await snapshot(globex.tenant.id)).toEqual(before);
    const outside = await seeded.client.query(
      `SELECT count(*)::int AS n FROM audit_logs WHERE actor_id = ANY ($1::uuid[]) AND tenant_id <> $2`,
      [principals.map((p) => p.userId), acme.tenant.id],
    );
    expect(outside.rows[0]).toEqual({ n: 0 });
    for (const tenant of [acme.tenant.id, globex.tenant.id]) {
      const chain = await seeded.client.query(`SELECT ok, reason FROM verify_audit_chain($1)`, [tenant]);
      expect(chain.rows[0]).toEqual({ ok: true, reason: null });
    }
    expect(
      (await seeded.client.query(`SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace`))
        .rows,
    ).toEqual(tables.rows);
  });

  it('answers generated bodies over HTTP the same way, including raw bytes that are not JSON', async () => {
    const before = await snapshot(globex.tenant.id);
    const failures: string[] = [];
    const raw = [
      '',
      '{',
      'null',
      '{"mutations":[',
      '\u0000',
      '{"mutations":[{"id":"\ud800"}]}',
      '[]'.repeat(1000),
    ];
    for (let n = 0; n < 300; n++) {
      const body = n < raw.length ? (raw[n] ?? '') : JSON.stringify(generator(100_000 + n, world).body());
      const response = await fetch(`${sync.server.url}/v1/mutations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${acme.token}` },
        body,
      });
      const answer: unknown = await response.json();
      const problem = problemsOf(response.status, answer);
      if (problem) failures.push(`http case ${n}: ${problem}: ${JSON.stringify(answer).slice(0, 300)}`);
    }
    expect(failures).toEqual([]);
    expect(await snapshot(globex.tenant.id)).toEqual(before);
  });
});
