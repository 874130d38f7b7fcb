/**
 * The demo seed against a real PostgreSQL 15: fills every table, is deterministic, keeps the audit
 * chain valid, and produces the demo users and lifecycle states the app and e2e tests rely on.
 * Three fresh databases are seeded at scale 1 (a few seconds each).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPROVAL_STATES } from '../../../common/lifecycles/approval.ts';
import { CHANGESET_STATES } from '../../../common/lifecycles/changeset.ts';
import { verifyPassword } from '../../../sync-server/auth/passwords.ts';
import { createMigratedTestDatabase } from '../../testing/migrated.ts';
import type { TestDatabase } from '../../testing/postgres.ts';
import { defaultAnchor, SeedRefusedError, seedDatabase, type SeedSummary } from './index.ts';
import { SYSTEM_ROLE_IDS } from './reference.ts';
import { DEMO_TENANT_SLUGS } from './tenants.ts';
import { DEMO_PASSWORD } from './users.ts';

const ANCHOR = defaultAnchor();
const OPTIONS = { scale: 1, seed: 7, anchor: ANCHOR } as const;

interface Seeded {
  readonly db: TestDatabase;
  readonly client: pg.Client;
  readonly summary: SeedSummary;
}

async function seeded(prefix: string, seed: number): Promise<Seeded> {
  const db = await createMigratedTestDatabase(prefix);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const summary = await seedDatabase(client, { ...OPTIONS, seed });
  return { db, client, summary };
}

/** Tables of the schema from the catalog: public, not partitions, not the migration ledger. */
async function schemaTables(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND c.relname <> 'schema_migrations'
      ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

async function fingerprints(client: pg.Client): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of await schemaTables(client)) {
    const { rows } = await client.query<{ md5: string | null }>(
      `SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS md5 FROM "${table}" t`,
    );
    out[table] = rows[0]?.md5 ?? 'empty';
  }
  return out;
}

describe('db:seed', () => {
  let first: Seeded;
  let second: Seeded;
  let other: Seeded;

  beforeAll(async () => {
    first = await seeded('seed_a', OPTIONS.seed);
    second = await seeded('seed_b', OPTIONS.seed);
    other = await seeded('seed_c', OPTIONS.seed + 1);
  }, 180_000);

  afterAll(async () => {
    for (const s of [first, second, other]) {
      await s?.client.end();
      await s?.db.drop();
    }
  });

  it('puts at least one row in every table of the schema', async () => {
    const tables = await schemaTables(first.client);
    expect(tables.length).toBeGreaterThan(90);
    const empty: string[] = [];
    for (const table of tables) {
      const { rows } = await first.client.query<{ n: string }>(`SELECT count(*) AS n FROM "${table}"`);
      if (Number(rows[0]?.n) === 0) empty.push(table);
    }
    expect(empty).toEqual([]);
    expect(Object.keys(first.summary.tables).sort()).toEqual(tables);
    expect(first.summary.totalRows).toBe(Object.values(first.summary.tables).reduce((a, b) => a + b, 0));
  });

  it('lands no audit row in the DEFAULT partition', async () => {
    const { rows } = await first.client.query<{ n: string }>('SELECT count(*) AS n FROM audit_logs_default');
    expect(rows[0]?.n).toBe('0');
  });

  it('is deterministic: the same options give identical rows in every table, another seed does not', async () => {
    const a = await fingerprints(first.client);
    const b = await fingerprints(second.client);
    const differing = Object.keys(a).filter((t) => a[t] !== b[t]);
    expect(differing).toEqual([]);
    expect(first.summary.tables).toEqual(second.summary.tables);

    const c = await fingerprints(other.client);
    for (const table of [
      'tenants',
      'users',
      'orders',
      'chat_messages',
      'approvals',
      'audit_logs',
      'knowledge_chunks',
    ]) {
      expect(c[table], table).not.toBe(a[table]);
    }
  });

  it('keeps every tenant’s audit hash chain valid', async () => {
    const { rows } = await first.client.query<{
      slug: string;
      ok: boolean;
      checked: string;
      reason: string | null;
    }>(
      `SELECT t.slug, v.ok, v.checked::text, v.reason FROM tenants t CROSS JOIN LATERAL verify_audit_chain(t.id) v`,
    );
    expect(rows.length).toBe(DEMO_TENANT_SLUGS.length + 1);
    for (const row of rows) expect(row, row.slug).toMatchObject({ ok: true, reason: null });
    const demo = rows.filter((r) => r.slug !== 'system');
    for (const row of demo) expect(Number(row.checked), row.slug).toBeGreaterThan(50);
    const { rows: checkpoints } = await first.client.query<{ n: string }>(
      'SELECT count(*) AS n FROM audit_log_integrity',
    );
    expect(Number(checkpoints[0]?.n)).toBeGreaterThan(0);
  });

  it('creates the demo users with verifiable passwords and matching roles', async () => {
    const { rows } = await first.client.query<{
      email: string;
      hashed_password: string;
      password_algorithm: string;
      role: string;
      system_roles: string[];
    }>(
      `SELECT u.email, u.hashed_password, u.password_algorithm, u.role,
              array_agg(ur.role_id::text ORDER BY ur.role_id) FILTER (WHERE ur.role_scope_id = '00000000-0000-0000-0000-000000000000') AS system_roles
         FROM users u JOIN tenants t ON t.id = u.tenant_id LEFT JOIN user_roles ur ON ur.user_id = u.id
        WHERE u.email ~ '^(admin|approver|viewer)@'
        GROUP BY u.id ORDER BY u.email`,
    );
    const expected = DEMO_TENANT_SLUGS.flatMap((slug) =>
      ['admin', 'approver', 'viewer'].map((k) => `${k}@${slug}.test`),
    );
    expect(rows.map((r) => r.email).sort()).toEqual([...expected].sort());
    const levels = { admin: 'admin', approver: 'manager', viewer: 'viewer' } as const;
    for (const row of rows) {
      const kind = row.email.split('@')[0] as keyof typeof levels;
      expect(row.password_algorithm).toBe('argon2id');
      expect(row.role, row.email).toBe(levels[kind]);
      expect(row.system_roles, row.email).toEqual([SYSTEM_ROLE_IDS[kind]]);
      expect(await verifyPassword(DEMO_PASSWORD, row.hashed_password), row.email).toBe(true);
    }
    expect(await verifyPassword('wrong-password', rows[0]?.hashed_password ?? '')).toBe(false);
  });

  it('grants the system roles what 0060 promises', async () => {
    const { rows } = await first.client.query<{ name: string; codes: string[] }>(
      `SELECT r.name, array_agg(p.code ORDER BY p.code) AS codes
         FROM roles r JOIN role_permissions rp ON rp.role_id = r.id JOIN permissions p ON p.id = rp.permission_id
        WHERE r.tenant_id IS NULL GROUP BY r.name`,
    );
    const codes = Object.fromEntries(rows.map((r) => [r.name, r.codes]));
    const { rows: all } = await first.client.query<{ code: string }>(
      'SELECT code FROM permissions ORDER BY code',
    );
    expect(codes['admin']).toEqual(all.map((r) => r.code));
    expect(codes['approver']).toEqual(
      expect.arrayContaining(['approvals:decide', 'approvals:delegate', 'changesets:review', 'audit:read']),
    );
    expect(codes['approver']?.some((c) => c.startsWith('admin:') || c === 'changesets:apply')).toBe(false);
    expect(codes['viewer']?.every((c) => c.endsWith(':read') && !c.startsWith('admin:'))).toBe(true);
    expect(codes['viewer']).not.toContain('audit:read');
  });

  it('has changesets in every state and approvals in every status, in every tenant', async () => {
    const { rows: cs } = await first.client.query<{ slug: string; states: string[] }>(
      `SELECT t.slug, array_agg(DISTINCT c.status ORDER BY c.status) AS states
         FROM workspace_changesets c JOIN tenants t ON t.id = c.tenant_id GROUP BY t.slug`,
    );
    expect(cs.map((r) => r.slug).sort()).toEqual([...DEMO_TENANT_SLUGS].sort());
    for (const row of cs) expect(row.states, row.slug).toEqual([...CHANGESET_STATES].sort());

    const { rows: ap } = await first.client.query<{ slug: string; states: string[] }>(
      `SELECT t.slug, array_agg(DISTINCT a.status ORDER BY a.status) AS states
         FROM approvals a JOIN tenants t ON t.id = a.tenant_id GROUP BY t.slug`,
    );
    expect(ap.map((r) => r.slug).sort()).toEqual([...DEMO_TENANT_SLUGS].sort());
    for (const row of ap) expect(row.states, row.slug).toEqual([...APPROVAL_STATES].sort());

    const { rows: rules } = await first.client.query<{ bad: string }>(
      `SELECT count(*) AS bad FROM approvals
        WHERE (status IN ('approved', 'rejected') AND (approved_by IS NULL OR approved_at IS NULL))
           OR (status = 'rejected' AND coalesce(btrim(rejected_reason), '') = '')
           OR (status = 'expired' AND expires_at > $1)
           OR (status IN ('pending', 'escalated') AND expires_at <= $1)`,
      [ANCHOR],
    );
    expect(rules[0]?.bad).toBe('0');
  });

  it('has pending approvals expiring within the hour and an active approver-to-admin delegation', async () => {
    const { rows } = await first.client.query<{ slug: string; soon: string; delegations: string }>(
      `SELECT t.slug,
              (SELECT count(*) FROM approvals a WHERE a.tenant_id = t.id AND a.status = 'pending'
                  AND a.expires_at > $1 AND a.expires_at <= $1::timestamptz + interval '1 hour') AS soon,
              (SELECT count(*) FROM approval_delegations d
                 JOIN users f ON f.id = d.delegator_id JOIN users g ON g.id = d.delegate_id
                WHERE d.tenant_id = t.id AND d.is_active AND d.starts_at <= $1 AND d.ends_at > $1
                  AND f.email LIKE 'approver@%' AND g.email LIKE 'admin@%') AS delegations
         FROM tenants t WHERE t.slug <> 'system' ORDER BY t.slug`,
      [ANCHOR],
    );
    expect(rows).toHaveLength(DEMO_TENANT_SLUGS.length);
    for (const row of rows) {
      expect(Number(row.soon), row.slug).toBeGreaterThanOrEqual(2);
      expect(Number(row.delegations), row.slug).toBe(1);
    }
    const { rows: decided } = await first.client.query<{ n: string }>(
      `SELECT count(*) AS n FROM approvals WHERE context ? 'decided_under_delegation'`,
    );
    expect(Number(decided[0]?.n)).toBeGreaterThanOrEqual(DEMO_TENANT_SLUGS.length);
  });

  it('refuses a database that already has tenants', async () => {
    await expect(seedDatabase(first.client, OPTIONS)).rejects.toBeInstanceOf(SeedRefusedError);
  });
});
