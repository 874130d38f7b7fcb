/**
 * The central security layer (migrations/server/0100_roles.sql, 0101_tenant_security.sql) on a real
 * PostgreSQL 15, exercised as `outpost_app` the way the sync server uses it: a superuser connection
 * that, inside a transaction, runs `SET LOCAL ROLE outpost_app` and sets `app.tenant_id` locally.
 *
 * Checks are generated from the catalog (every table with a tenant_id column, every view, every
 * reference table), so a table added by a later migration is covered, and fails here until
 * `secure_all_tenant_tables()` has run after it.
 *
 * Fixtures (security.fixtures.ts): standalone tenants A and B, holding H with subsidiaries S1 and S2,
 * a row in every tenant table for each of them, inserted as the superuser.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgExecutor } from '../common/migrations/executors.ts';
import { runMigrations, type MigrationFile } from '../common/migrations/runner.ts';
import { createMigratedTestDatabase } from '../scripts/testing/migrated.ts';
import { createTestDatabase, type TestDatabase } from '../scripts/testing/postgres.ts';
import { allFixturesSql, TEST_TENANTS, tenantId, type TestTenant } from './security.fixtures.ts';

type TenantKey = TestTenant['key'];
type Row = Record<string, unknown>;

interface Outcome {
  readonly rowCount: number;
  readonly rows: Row[];
  /** SQLSTATE when the statement failed. */
  readonly code?: string;
}

interface Tx {
  /** Runs a statement that must succeed. */
  query<R extends Row = Row>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Runs a statement inside a savepoint and reports its outcome instead of throwing. */
  attempt(sql: string, params?: unknown[]): Promise<Outcome>;
}

interface TenantTable {
  readonly name: string;
  readonly partition: boolean;
  readonly nullable: boolean;
  readonly root: string;
}

const POLICIES = ['a:tenant_insert', 'd:tenant_delete', 'r:tenant_select', 'w:tenant_update'];
const PERMISSION_DENIED = '42501';
/** The brief's reference tables (readable by everyone, synced); the registry may list more. */
const REQUIRED_REFERENCE = [
  'assistant_templates',
  'permissions',
  'plans',
  'server_only_columns',
  'state_transitions',
];
/** Tenant tables whose BEFORE INSERT trigger refuses a foreign row before the RLS check does. */
const REFUSED_BY_TRIGGER_FIRST: Record<string, string> = {
  approval_delegations: 'OP003', // delegator/delegate must be users of the row's tenant: invisible ones are not
};
/** Visible tenants per context, as the model says. */
const VISIBLE: Record<TenantKey, TenantKey[]> = {
  A: ['A'],
  B: ['B'],
  H: ['H', 'S1', 'S2'],
  S1: ['S1'],
  S2: ['S2'],
};
/** Settings that are not a tenant: each must mean "no access", never an error. */
const NOT_A_TENANT: Record<string, string> = {
  empty: '',
  garbage: 'garbage',
  'padded uuid': ` ${tenantId('A')} `,
  'uuid with an injection attempt': `${tenantId('A')}' OR true --`,
  'list of uuids': `${tenantId('A')},${tenantId('B')}`,
  'unknown tenant uuid': '6f000000-0000-4000-8000-000000000000',
  'nil uuid (no such tenant here)': '00000000-0000-0000-0000-000000000000',
};

const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const errorCode = (error: unknown): string => {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : (error as Error).message;
};

describe('central security layer on PostgreSQL', () => {
  let testDb: TestDatabase;
  /** The connection the tests run their transactions on (as the superuser, or as outpost_app). */
  let client: pg.Client;
  /** A second superuser connection, for catalog and fixture look-ups while `client` is in a transaction. */
  let owner: pg.Client;
  let tenantTables: TenantTable[];
  let topTables: TenantTable[];
  let referenceTables: string[];
  let internalTables: string[];
  let views: string[];
  /** Superuser row counts per table (or view) and tenant key ('' for tenant_id NULL). */
  const counts = new Map<string, Map<string, number>>();

  async function rows<R extends Row = Row>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await owner.query<R>(sql, params)).rows;
  }

  function txOn(conn: pg.Client): Tx {
    let savepoints = 0;
    return {
      async query<R extends Row = Row>(sql: string, params: unknown[] = []) {
        return (await conn.query<R>(sql, params)).rows;
      },
      async attempt(sql, params = []) {
        const name = `attempt_${++savepoints}`;
        await conn.query(`SAVEPOINT ${name}`);
        try {
          const result = await conn.query<Row>(sql, params);
          await conn.query(`RELEASE SAVEPOINT ${name}`);
          return { rowCount: result.rowCount ?? 0, rows: result.rows };
        } catch (error) {
          await conn.query(`ROLLBACK TO SAVEPOINT ${name}`);
          return { rowCount: 0, rows: [], code: errorCode(error) };
        }
      },
    };
  }

  /**
   * Runs `fn` in a transaction as outpost_app with `app.tenant_id` set locally (undefined: not set in
   * this transaction), then rolls back, so fixtures stay as they are for the next test.
   */
  async function asApp<T>(
    setting: string | undefined,
    fn: (tx: Tx) => Promise<T>,
    conn = client,
  ): Promise<T> {
    await conn.query('BEGIN');
    try {
      await conn.query('SET LOCAL ROLE outpost_app');
      if (setting !== undefined) await conn.query(`SELECT set_config('app.tenant_id', $1, true)`, [setting]);
      return await fn(txOn(conn));
    } finally {
      await conn.query('ROLLBACK');
    }
  }

  /** Runs `fn` as the superuser in a transaction that is rolled back. */
  async function asOwnerRolledBack<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    await client.query('BEGIN');
    try {
      return await fn(txOn(client));
    } finally {
      await client.query('ROLLBACK');
    }
  }

  const keyOf = (tenant: string | null): string => {
    if (tenant === null) return '';
    const found = TEST_TENANTS.find((t) => tenantId(t.key) === tenant);
    return found ? found.key : tenant;
  };

  async function countsBy(tx: Tx | null, relation: string): Promise<Map<string, number>> {
    const sql = `SELECT tenant_id::text AS tenant, count(*)::int AS n FROM ${ident(relation)} GROUP BY 1`;
    const result = tx
      ? await tx.query<{ tenant: string | null; n: number }>(sql)
      : await rows<{ tenant: string | null; n: number }>(sql);
    return new Map(result.map((r) => [keyOf(r.tenant), r.n]));
  }

  /** What a context with these visible tenants must see of a relation: exactly their rows plus global rows. */
  function expectedCounts(relation: string, visible: readonly TenantKey[]): Map<string, number> {
    const all = counts.get(relation) ?? new Map<string, number>();
    return new Map([...all].filter(([key]) => key === '' || (visible as readonly string[]).includes(key)));
  }

  const sorted = (m: Map<string, number>): [string, number][] =>
    [...m].sort(([a], [b]) => a.localeCompare(b));

  /** Problems when the context does not see exactly `visible`'s rows in every tenant table and view. */
  async function visibilityProblems(tx: Tx, visible: readonly TenantKey[]): Promise<string[]> {
    const problems: string[] = [];
    for (const relation of [...topTables.map((t) => t.name), ...views]) {
      const seen = await countsBy(tx, relation);
      const expected = expectedCounts(relation, visible);
      if (JSON.stringify(sorted(seen)) !== JSON.stringify(sorted(expected))) {
        problems.push(
          `${relation}: saw ${JSON.stringify(sorted(seen))}, expected ${JSON.stringify(sorted(expected))}`,
        );
      }
    }
    const tenants = (await tx.query<{ id: string }>('SELECT id::text AS id FROM tenants ORDER BY id')).map(
      (r) => keyOf(r.id),
    );
    const expectedTenants = [...visible].sort();
    if (JSON.stringify([...tenants].sort()) !== JSON.stringify(expectedTenants)) {
      problems.push(`tenants: saw ${JSON.stringify(tenants)}, expected ${JSON.stringify(expectedTenants)}`);
    }
    return problems;
  }

  async function insertableColumns(table: string): Promise<string[]> {
    const result = await rows<{ name: string }>(
      `SELECT attname AS name FROM pg_attribute
        WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
        ORDER BY attnum`,
      [table],
    );
    return result.map((r) => r.name);
  }

  /** A statement that inserts a copy of one of `owner`'s fixture rows of `table` (its ids unchanged). */
  async function copyOfRow(table: string, owner: TenantKey): Promise<{ sql: string; params: unknown[] }> {
    const [row] = await rows<{ row: unknown }>(
      `SELECT to_jsonb(t) AS row FROM ${ident(table)} t WHERE tenant_id = $1 LIMIT 1`,
      [tenantId(owner)],
    );
    if (!row) throw new Error(`no fixture row of ${owner} in ${table}`);
    const columns = (await insertableColumns(table)).map(ident).join(', ');
    return {
      sql: `INSERT INTO ${ident(table)} (${columns}) SELECT ${columns} FROM jsonb_populate_record(NULL::${ident(table)}, $1::jsonb)`,
      params: [JSON.stringify(row.row)],
    };
  }

  /** Problems when the context can insert, update or delete any of `victim`'s rows. */
  async function writeProblems(tx: Tx, victim: TenantKey): Promise<string[]> {
    const problems: string[] = [];
    for (const { name } of topTables) {
      const insert = await copyOfRow(name, victim);
      const inserted = await tx.attempt(insert.sql, insert.params);
      const expectedCode = REFUSED_BY_TRIGGER_FIRST[name] ?? PERMISSION_DENIED;
      if (inserted.code !== expectedCode) {
        problems.push(
          `${name}: INSERT of a ${victim} row gave ${inserted.code ?? `${inserted.rowCount} rows`}`,
        );
      }
      const updated = await tx.attempt(
        `UPDATE ${ident(name)} SET tenant_id = tenant_id WHERE tenant_id = $1`,
        [tenantId(victim)],
      );
      if (updated.rowCount !== 0 || (updated.code && updated.code !== PERMISSION_DENIED)) {
        problems.push(`${name}: UPDATE of ${victim} rows gave ${updated.code ?? `${updated.rowCount} rows`}`);
      }
      const deleted = await tx.attempt(`DELETE FROM ${ident(name)} WHERE tenant_id = $1`, [tenantId(victim)]);
      if (deleted.rowCount !== 0 || (deleted.code && deleted.code !== PERMISSION_DENIED)) {
        problems.push(`${name}: DELETE of ${victim} rows gave ${deleted.code ?? `${deleted.rowCount} rows`}`);
      }
    }
    return problems;
  }

  /** Problems when a tenant table (or `tenants`) is not secured as the model says. */
  async function unsecuredTables(tx: Tx): Promise<string[]> {
    const result = await tx.query<{ name: string; rls: boolean; forced: boolean; policies: string[] }>(
      `SELECT c.relname AS name, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
              array(SELECT p.polcmd::text || ':' || p.polname
                         || CASE WHEN p.polpermissive AND p.polroles = '{0}' THEN '' ELSE ' (not permissive to PUBLIC)' END
                      FROM pg_policy p WHERE p.polrelid = c.oid ORDER BY 1) AS policies
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
          AND (c.relname = 'tenants' OR EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
                                                 AND a.attname = 'tenant_id' AND NOT a.attisdropped))
        ORDER BY 1`,
    );
    const problems: string[] = [];
    for (const t of result) {
      if (!t.rls) problems.push(`${t.name}: row-level security is not enabled`);
      if (!t.forced) problems.push(`${t.name}: row-level security is not forced`);
      if (JSON.stringify(t.policies) !== JSON.stringify(POLICIES)) {
        problems.push(
          `${t.name}: policies ${JSON.stringify(t.policies)}, expected ${JSON.stringify(POLICIES)}`,
        );
      }
    }
    return problems;
  }

  async function publishedTables(tx: Tx): Promise<string[]> {
    const result = await tx.query<{ name: string }>(
      `SELECT tablename AS name FROM pg_publication_tables WHERE pubname = 'outpost_sync' AND schemaname = 'public' ORDER BY 1`,
    );
    return result.map((r) => r.name);
  }

  beforeAll(async () => {
    testDb = await createMigratedTestDatabase('security');
    client = new pg.Client({ connectionString: testDb.url });
    await client.connect();
    owner = new pg.Client({ connectionString: testDb.url });
    await owner.connect();
    await owner.query(allFixturesSql());

    tenantTables = await rows<TenantTable & Row>(
      `SELECT c.relname AS name, c.relispartition AS partition, NOT a.attnotnull AS nullable,
              r.relname AS root
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
         JOIN pg_class r ON r.oid = coalesce(pg_partition_root(c.oid), c.oid)
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
        ORDER BY 1`,
    );
    topTables = tenantTables.filter((t) => !t.partition);
    referenceTables = (
      await rows<{ name: string }>(
        `SELECT table_name AS name FROM outpost_security.table_access_rules WHERE access = 'reference' ORDER BY 1`,
      )
    ).map((r) => r.name);
    internalTables = (
      await rows<{ name: string }>(
        `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> 'tenants'
            AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id'
                             AND NOT a.attisdropped)
            AND c.relname <> ALL ($1::text[])
          ORDER BY 1`,
        [referenceTables],
      )
    ).map((r) => r.name);
    views = (
      await rows<{ name: string }>(
        `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind = 'v'
            AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id')
          ORDER BY 1`,
      )
    ).map((r) => r.name);
    for (const relation of [...topTables.map((t) => t.name), ...views]) {
      counts.set(relation, await countsBy(null, relation));
    }
  });

  afterAll(async () => {
    await client?.end();
    await owner?.end();
    await testDb?.drop();
  });

  describe('roles', () => {
    it('creates outpost_app (NOLOGIN, no BYPASSRLS) and outpost_replication (REPLICATION)', async () => {
      const roles = await rows(
        `SELECT rolname, rolcanlogin, rolsuper, rolbypassrls, rolreplication, rolcreaterole, rolcreatedb
           FROM pg_roles WHERE rolname IN ('outpost_app', 'outpost_replication', 'outpost_definer')
          ORDER BY rolname`,
      );
      const base = { rolcanlogin: false, rolsuper: false, rolcreaterole: false, rolcreatedb: false };
      expect(roles).toEqual([
        { rolname: 'outpost_app', ...base, rolbypassrls: false, rolreplication: false },
        { rolname: 'outpost_definer', ...base, rolbypassrls: true, rolreplication: false },
        { rolname: 'outpost_replication', ...base, rolbypassrls: false, rolreplication: true },
      ]);
    });

    it('lets outpost_app own nothing and hold no TRUNCATE, REFERENCES or TRIGGER privilege', async () => {
      const owned = await rows(
        `SELECT relname AS name FROM pg_class WHERE relowner = 'outpost_app'::regrole
         UNION ALL SELECT proname FROM pg_proc WHERE proowner = 'outpost_app'::regrole
         UNION ALL SELECT nspname FROM pg_namespace WHERE nspowner = 'outpost_app'::regrole`,
      );
      expect(owned).toEqual([]);
      const extra = await rows(
        `SELECT c.relname AS name, acl.privilege_type AS privilege
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(c.relacl) acl
          WHERE n.nspname = 'public' AND acl.grantee = 'outpost_app'::regrole
            AND acl.privilege_type IN ('TRUNCATE', 'REFERENCES', 'TRIGGER')`,
      );
      expect(extra).toEqual([]);
    });

    it('has exactly three SECURITY DEFINER functions, owned by outpost_definer with a pinned search_path', async () => {
      const definers = await rows(
        `SELECT p.proname AS name, pg_get_userbyid(p.proowner) AS owner, p.proconfig AS config
           FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
          WHERE n.nspname = 'public' AND p.prosecdef ORDER BY 1`,
      );
      const pinned = { owner: 'outpost_definer', config: ['search_path=public, pg_temp'] };
      expect(definers).toEqual([
        { name: 'app_visible_tenant_ids', ...pinned },
        { name: 'audit_logs_chain', ...pinned },
        { name: 'auth_sign_in_candidate', ...pinned },
      ]);
    });

    it('applies the server migrations to a new database of the cluster, where the roles already exist', async () => {
      const root = import.meta.dirname;
      const files: MigrationFile[] = [];
      for (const folder of ['shared', 'server'] as const) {
        for (const name of (await readdir(path.join(root, folder)))
          .filter((n) => n.endsWith('.sql'))
          .sort()) {
          files.push({ folder, name, sql: await readFile(path.join(root, folder, name), 'utf8') });
        }
      }
      const before = await rows(`SELECT * FROM pg_roles WHERE rolname LIKE 'outpost\\_%' ORDER BY rolname`);
      const databases = await Promise.all([
        createTestDatabase('security_rerun'),
        createTestDatabase('security_rerun'),
      ]);
      try {
        await Promise.all(
          databases.map(async (db) => {
            const other = new pg.Client({ connectionString: db.url });
            await other.connect();
            try {
              const report = await runMigrations(pgExecutor(other), files, 'central');
              expect(report.applied).toContain('0101_tenant_security.sql');
              const [secured] = (await other.query<{ n: number }>(`SELECT secure_all_tenant_tables() AS n`))
                .rows;
              const [expected] = (
                await other.query<{ n: number }>(
                  `SELECT count(*)::int AS n FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                    WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
                      AND a.attname = 'tenant_id' AND NOT a.attisdropped`,
                )
              ).rows;
              expect(secured?.n).toBe(expected?.n);
              expect(secured?.n).toBeGreaterThan(80);
            } finally {
              await other.end();
            }
          }),
        );
      } finally {
        await Promise.all(databases.map((db) => db.drop()));
      }
      expect(await rows(`SELECT * FROM pg_roles WHERE rolname LIKE 'outpost\\_%' ORDER BY rolname`)).toEqual(
        before,
      );
    });
  });

  describe('row-level security: structure', () => {
    it('covers a sensible set of tenant tables', () => {
      expect(topTables.length).toBeGreaterThan(80);
      expect(tenantTables.filter((t) => t.partition).every((t) => t.root === 'audit_logs')).toBe(true);
      expect(tenantTables.some((t) => t.partition)).toBe(true);
    });

    it('enables and forces RLS with separate SELECT/INSERT/UPDATE/DELETE policies on every tenant table and tenants', async () => {
      expect(await asOwnerRolledBack((tx) => unsecuredTables(tx))).toEqual([]);
    });

    it('flags a tenant table created later until secure_all_tenant_tables() runs, which then secures and publishes it', async () => {
      await asOwnerRolledBack(async (tx) => {
        await tx.query(`CREATE TABLE later_things (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          tenant_id uuid NOT NULL REFERENCES tenants (id),
          note text)`);
        const flagged = await unsecuredTables(tx);
        expect(flagged).toEqual([
          'later_things: row-level security is not enabled',
          'later_things: row-level security is not forced',
          `later_things: policies [], expected ${JSON.stringify(POLICIES)}`,
        ]);
        expect(await publishedTables(tx)).not.toContain('later_things');
        await tx.query(`SELECT secure_all_tenant_tables()`);
        expect(await unsecuredTables(tx)).toEqual([]);
        expect(await publishedTables(tx)).toContain('later_things');
        const [identity] = await tx.query(`SELECT relreplident FROM pg_class WHERE relname = 'later_things'`);
        expect(identity).toEqual({ relreplident: 'f' });
      });
    });

    it('is idempotent: running secure_all_tenant_tables() again changes no policy, privilege or publication', async () => {
      const snapshot = (tx: Tx) =>
        tx.query(
          `SELECT c.relname, c.relacl::text, c.relrowsecurity, c.relforcerowsecurity, c.relreplident, c.reloptions,
                  (SELECT array_agg(p.polname || ' ' || coalesce(pg_get_expr(p.polqual, p.polrelid), '')
                                    || ' ' || coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '') ORDER BY p.polname)
                     FROM pg_policy p WHERE p.polrelid = c.oid) AS policies,
                  EXISTS (SELECT 1 FROM pg_publication_tables t WHERE t.pubname = 'outpost_sync'
                           AND t.tablename = c.relname) AS published
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'S') ORDER BY 1`,
        );
      await asOwnerRolledBack(async (tx) => {
        const before = await snapshot(tx);
        await tx.query(`SELECT secure_all_tenant_tables()`);
        await tx.query(`SELECT secure_all_tenant_tables()`);
        expect(await snapshot(tx)).toEqual(before);
      });
    });

    it('classifies every table in public: tenant table, tenants, reference or internal', async () => {
      const registry = await rows<{ name: string; access: string }>(
        `SELECT table_name AS name, access FROM outpost_security.table_access_rules`,
      );
      const listed = new Set(registry.map((r) => r.name));
      expect(internalTables.filter((t) => !listed.has(t))).toEqual([]);
      expect(referenceTables).toEqual(expect.arrayContaining(REQUIRED_REFERENCE));
    });

    it('makes every view security_invoker, so a view never reads past its table policies', async () => {
      const result = await rows<{ name: string; options: string[] | null }>(
        `SELECT c.relname AS name, c.reloptions AS options FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind = 'v' ORDER BY 1`,
      );
      expect(result.length).toBeGreaterThan(10);
      expect(result.filter((v) => !v.options?.includes('security_invoker=true')).map((v) => v.name)).toEqual(
        [],
      );
    });
  });

  describe('row-level security: tenant isolation as outpost_app', () => {
    it('has fixture rows of all five tenants in every tenant table', () => {
      const missing = topTables.flatMap(({ name }) =>
        TEST_TENANTS.filter((t) => !counts.get(name)?.get(t.key)).map((t) => `${name}: no ${t.key} row`),
      );
      expect(missing).toEqual([]);
    });

    for (const [key, visible] of Object.entries(VISIBLE) as [TenantKey, TenantKey[]][]) {
      it(`shows ${key} exactly the rows of ${visible.join(', ')} (and global rows) in every tenant table and view`, async () => {
        expect(await asApp(tenantId(key), (tx) => visibilityProblems(tx, visible))).toEqual([]);
      });
    }

    const refusals: [TenantKey, TenantKey][] = [
      ['A', 'B'],
      ['B', 'A'],
      ['H', 'A'],
      ['S1', 'H'],
      ['S1', 'S2'],
    ];
    for (const [actor, victim] of refusals) {
      it(`refuses ${actor} every INSERT, UPDATE and DELETE of ${victim}'s rows`, async () => {
        expect(await asApp(tenantId(actor), (tx) => writeProblems(tx, victim))).toEqual([]);
      });
    }

    it('refuses moving an own row to another tenant', async () => {
      await asApp(tenantId('A'), async (tx) => {
        const moved = await tx.attempt(`UPDATE workspaces SET tenant_id = $1 WHERE tenant_id = $2`, [
          tenantId('B'),
          tenantId('A'),
        ]);
        expect(moved.code).toBe(PERMISSION_DENIED);
      });
      await asApp(tenantId('S1'), async (tx) => {
        const moved = await tx.attempt(`UPDATE dashboards SET tenant_id = $1 WHERE tenant_id = $2`, [
          tenantId('H'),
          tenantId('S1'),
        ]);
        expect(moved.code).toBe(PERMISSION_DENIED);
      });
    });

    it('lets a tenant write its own rows', async () => {
      await asApp(tenantId('A'), async (tx) => {
        const inserted = await tx.attempt(
          `INSERT INTO workspaces (tenant_id, name) VALUES ($1, 'mine') RETURNING id`,
          [tenantId('A')],
        );
        expect(inserted).toMatchObject({ rowCount: 1 });
        const updated = await tx.attempt(`UPDATE work_items SET title = 'renamed' WHERE tenant_id = $1`, [
          tenantId('A'),
        ]);
        expect(updated).toMatchObject({ rowCount: 1 });
        const deleted = await tx.attempt(`DELETE FROM dashboards WHERE tenant_id = $1`, [tenantId('A')]);
        expect(deleted).toMatchObject({ rowCount: 1 });
      });
    });

    it("lets a holding write its subsidiaries' rows, and decide their approvals", async () => {
      await asApp(tenantId('H'), async (tx) => {
        const inserted = await tx.attempt(
          `INSERT INTO workspaces (tenant_id, name) VALUES ($1, 'by the holding')`,
          [tenantId('S1')],
        );
        expect(inserted).toMatchObject({ rowCount: 1 });
        const updated = await tx.attempt(
          `UPDATE work_items SET title = 'edited by the holding' WHERE tenant_id = $1`,
          [tenantId('S2')],
        );
        expect(updated).toMatchObject({ rowCount: 1 });
        const [holdingUser] = await tx.query<{ id: string }>(
          `SELECT id FROM users WHERE tenant_id = $1 LIMIT 1`,
          [tenantId('H')],
        );
        const approved = await tx.attempt(
          `UPDATE approvals SET status = 'approved', approved_by = $1 WHERE tenant_id = $2 RETURNING status`,
          [holdingUser?.id, tenantId('S1')],
        );
        expect(approved).toMatchObject({ rowCount: 1, rows: [{ status: 'approved' }] });
      });
    });

    it('refuses a subsidiary any write to its holding or a sibling', async () => {
      await asApp(tenantId('S1'), async (tx) => {
        for (const other of ['H', 'S2'] as const) {
          const inserted = await tx.attempt(
            `INSERT INTO workspaces (tenant_id, name) VALUES ($1, 'upwards')`,
            [tenantId(other)],
          );
          expect(inserted.code).toBe(PERMISSION_DENIED);
          const updated = await tx.attempt(`UPDATE work_items SET title = 'x' WHERE tenant_id = $1`, [
            tenantId(other),
          ]);
          expect(updated).toMatchObject({ rowCount: 0 });
        }
      });
    });

    it('lets a tenant rename itself but not change its plan, type, parent, or create and delete tenants', async () => {
      await asApp(tenantId('A'), async (tx) => {
        expect(
          await tx.attempt(`UPDATE tenants SET name = 'A renamed' WHERE id = $1`, [tenantId('A')]),
        ).toMatchObject({
          rowCount: 1,
        });
        expect(
          await tx.attempt(`UPDATE tenants SET name = 'B renamed' WHERE id = $1`, [tenantId('B')]),
        ).toMatchObject({
          rowCount: 0,
        });
        for (const sql of [
          `UPDATE tenants SET plan = 'pro'`,
          `UPDATE tenants SET tenant_type = 'holding'`,
          `UPDATE tenants SET parent_tenant_id = NULL`,
          `UPDATE tenants SET api_key = 'x'`,
          `INSERT INTO tenants (name, slug) VALUES ('new', 'new-tenant')`,
          `DELETE FROM tenants`,
        ]) {
          expect((await tx.attempt(sql)).code, sql).toBe(PERMISSION_DENIED);
        }
      });
      await asApp(tenantId('H'), async (tx) => {
        expect(
          await tx.attempt(`UPDATE tenants SET name = 'S1 renamed' WHERE id = $1`, [tenantId('S1')]),
        ).toMatchObject({ rowCount: 1 });
      });
    });
  });

  describe('row-level security: no valid tenant context means no access', () => {
    it('shows nothing when app.tenant_id was never set in the session', async () => {
      const fresh = new pg.Client({ connectionString: testDb.url });
      await fresh.connect();
      try {
        expect(await asApp(undefined, (tx) => visibilityProblems(tx, []), fresh)).toEqual([]);
      } finally {
        await fresh.end();
      }
    });

    it('does not carry a tenant over from an earlier transaction', async () => {
      await asApp(tenantId('A'), async (tx) => {
        expect((await tx.query(`SELECT id FROM tenants`)).length).toBe(1);
      });
      expect(await asApp(undefined, (tx) => visibilityProblems(tx, []))).toEqual([]);
    });

    for (const [label, setting] of Object.entries(NOT_A_TENANT)) {
      it(`shows nothing and refuses every insert for a setting that is not a tenant: ${label}`, async () => {
        const problems = await asApp(setting, async (tx) => {
          const found = await visibilityProblems(tx, []);
          for (const { name } of topTables) {
            const insert = await copyOfRow(name, 'A');
            const outcome = await tx.attempt(insert.sql, insert.params);
            const expectedCode = REFUSED_BY_TRIGGER_FIRST[name] ?? PERMISSION_DENIED;
            if (outcome.code !== expectedCode) {
              found.push(`${name}: INSERT gave ${outcome.code ?? `${outcome.rowCount} rows`}`);
            }
          }
          return found;
        });
        expect(problems).toEqual([]);
      });
    }
  });

  describe('reference and internal tables', () => {
    it('lets outpost_app read every reference table without a tenant, and write none', async () => {
      await asApp(undefined, async (tx) => {
        for (const table of referenceTables) {
          const [row] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${ident(table)}`);
          expect(row?.n, table).toBeGreaterThan(0);
          for (const sql of [
            `INSERT INTO ${ident(table)} DEFAULT VALUES`,
            `UPDATE ${ident(table)} SET ${ident((await insertableColumns(table))[0] ?? '')} = NULL`,
            `DELETE FROM ${ident(table)}`,
            `TRUNCATE ${ident(table)}`,
          ]) {
            expect((await tx.attempt(sql)).code, sql).toBe(PERMISSION_DENIED);
          }
        }
      });
    });

    it('lets everyone read global rows of tables with a nullable tenant_id, and no tenant write them', async () => {
      const nullable = topTables.filter((t) => t.nullable).map((t) => t.name);
      expect(nullable).toEqual(
        expect.arrayContaining(['policies', 'role_permissions', 'roles', 'system_prompt_templates']),
      );
      for (const setting of [undefined, tenantId('A'), tenantId('H')]) {
        await asApp(setting, async (tx) => {
          for (const table of nullable) {
            const [row] = await tx.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM ${ident(table)} WHERE tenant_id IS NULL`,
            );
            expect(row?.n, table).toBe(counts.get(table)?.get(''));
            expect(row?.n, table).toBeGreaterThan(0);
            const updated = await tx.attempt(
              `UPDATE ${ident(table)} SET tenant_id = NULL WHERE tenant_id IS NULL`,
            );
            expect(updated, table).toMatchObject({ rowCount: 0 });
            const deleted = await tx.attempt(`DELETE FROM ${ident(table)} WHERE tenant_id IS NULL`);
            expect(deleted, table).toMatchObject({ rowCount: 0 });
          }
          const inserted = await tx.attempt(
            `INSERT INTO roles (tenant_id, name) VALUES (NULL, 'sneaky system role')`,
          );
          expect(inserted.code).toBe(PERMISSION_DENIED);
        });
      }
    });

    it('gives outpost_app no access to internal tables or the security registry', async () => {
      expect(internalTables).toEqual(
        expect.arrayContaining(['audit_log_integrity', 'schema_migrations', 'verification_tokens']),
      );
      await asApp(tenantId('A'), async (tx) => {
        for (const table of [...internalTables.map(ident), 'outpost_security.table_access_rules']) {
          expect((await tx.attempt(`SELECT * FROM ${table}`)).code, table).toBe(PERMISSION_DENIED);
        }
      });
    });

    it('keeps the administrative functions out of outpost_app reach', async () => {
      await asApp(tenantId('A'), async (tx) => {
        for (const call of [
          'secure_all_tenant_tables()',
          'refresh_sync_publication()',
          'ensure_audit_partitions(1)',
          'record_audit_checkpoints()',
        ]) {
          expect((await tx.attempt(`SELECT ${call}`)).code, call).toBe(PERMISSION_DENIED);
        }
      });
    });
  });

  describe('audit log as outpost_app', () => {
    it('appends an audit row for its own tenant through the chain trigger, and the chain verifies', async () => {
      await asApp(tenantId('A'), async (tx) => {
        const [row] = await tx.query<{ chain_seq: string; ok: boolean }>(
          `INSERT INTO audit_logs (tenant_id, actor_type, action, entity_type) VALUES ($1, 'user', 'test.append', 'work_item')
           RETURNING chain_seq::text`,
          [tenantId('A')],
        );
        expect(row?.chain_seq).toBe('2');
        const [verdict] = await tx.query(`SELECT ok, checked::int FROM verify_audit_chain($1)`, [
          tenantId('A'),
        ]);
        expect(verdict).toEqual({ ok: true, checked: 2 });
        const heads = await tx.query<{ tenant: string; last_seq: string }>(
          `SELECT tenant_id::text AS tenant, last_seq::text FROM audit_chain_heads`,
        );
        expect(heads).toEqual([{ tenant: tenantId('A'), last_seq: '2' }]);
      });
    });

    it("lets a holding append to a subsidiary's chain, and refuses another tenant's", async () => {
      await asApp(tenantId('H'), async (tx) => {
        const ok = await tx.attempt(
          `INSERT INTO audit_logs (tenant_id, actor_type, action, entity_type) VALUES ($1, 'user', 'test.append', 'work_item')`,
          [tenantId('S1')],
        );
        expect(ok).toMatchObject({ rowCount: 1 });
        const refused = await tx.attempt(
          `INSERT INTO audit_logs (tenant_id, actor_type, action, entity_type) VALUES ($1, 'user', 'test.append', 'work_item')`,
          [tenantId('A')],
        );
        expect(refused.code).toBe(PERMISSION_DENIED);
      });
    });

    it('cannot UPDATE, DELETE or TRUNCATE audit_logs (or a partition) even for its own tenant', async () => {
      const partitions = tenantTables.filter((t) => t.partition).map((t) => t.name);
      expect(partitions.length).toBeGreaterThan(1);
      await asApp(tenantId('A'), async (tx) => {
        const statements = [
          `UPDATE audit_logs SET action = 'rewritten' WHERE tenant_id = '${tenantId('A')}'`,
          `DELETE FROM audit_logs WHERE tenant_id = '${tenantId('A')}'`,
          `TRUNCATE audit_logs`,
          ...partitions.flatMap((p) => [
            `SELECT * FROM ${ident(p)}`,
            `UPDATE ${ident(p)} SET action = 'rewritten'`,
            `DELETE FROM ${ident(p)}`,
            `TRUNCATE ${ident(p)}`,
          ]),
          `INSERT INTO audit_chain_heads (tenant_id) VALUES ('${tenantId('A')}')`,
          `UPDATE audit_chain_heads SET last_seq = 0`,
          `DELETE FROM audit_chain_heads`,
        ];
        for (const sql of statements) {
          expect((await tx.attempt(sql)).code, sql).toBe(PERMISSION_DENIED);
        }
      });
    });
  });

  describe('replication', () => {
    it('has one publication outpost_sync, via the partition root, listing exactly the synced tables', async () => {
      const [publication] = await rows(
        `SELECT puballtables, pubviaroot, pubinsert, pubupdate, pubdelete FROM pg_publication WHERE pubname = 'outpost_sync'`,
      );
      expect(publication).toEqual({
        puballtables: false,
        pubviaroot: true,
        pubinsert: true,
        pubupdate: true,
        pubdelete: true,
      });
      const expected = [...new Set(['tenants', ...topTables.map((t) => t.name), ...referenceTables])].sort();
      expect(await asOwnerRolledBack((tx) => publishedTables(tx))).toEqual(expected);
    });

    it('has REPLICA IDENTITY FULL on every tenant table (partitions too), tenants and every reference table', async () => {
      const names = ['tenants', ...tenantTables.map((t) => t.name), ...referenceTables];
      const result = await rows<{ name: string; identity: string }>(
        `SELECT relname AS name, relreplident AS identity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND relname = ANY ($1::text[])`,
        [names],
      );
      expect(result.length).toBe(new Set(names).size);
      expect(result.filter((r) => r.identity !== 'f').map((r) => r.name)).toEqual([]);
    });

    it('keeps tables the sync server published on demand when the publication is refreshed, but drops internal ones', async () => {
      await asOwnerRolledBack(async (tx) => {
        await tx.query(`CREATE TABLE on_demand_things (id int PRIMARY KEY)`);
        await tx.query(`ALTER PUBLICATION outpost_sync ADD TABLE on_demand_things, schema_migrations`);
        await tx.query(`SELECT refresh_sync_publication()`);
        const published = await publishedTables(tx);
        expect(published).toContain('on_demand_things');
        expect(published).not.toContain('schema_migrations');
      });
    });

    it('secures audit partitions that ensure_audit_partitions creates later, as the others', async () => {
      await asOwnerRolledBack(async (tx) => {
        const before = new Set(tenantTables.filter((t) => t.partition).map((t) => t.name));
        const [created] = await tx.query<{ n: number }>(`SELECT ensure_audit_partitions(9) AS n`);
        expect(created?.n).toBeGreaterThan(0);
        const fresh = await tx.query<{
          name: string;
          identity: string;
          acl: string | null;
          truncate: boolean;
        }>(
          `SELECT c.relname AS name, c.relreplident AS identity, c.relacl::text AS acl,
                  EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = 'audit_logs_no_truncate') AS truncate
             FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'audit_logs'::regclass AND NOT (c.relname = ANY ($1::text[]))`,
          [[...before]],
        );
        expect(fresh.length).toBe(created?.n);
        for (const partition of fresh) {
          expect(partition.identity, partition.name).toBe('f');
          expect(partition.acl ?? '', partition.name).not.toContain('outpost_app');
          expect(partition.truncate, partition.name).toBe(true);
        }
        expect(await unsecuredTables(tx)).toEqual([]);
        expect(await publishedTables(tx)).toContain('audit_logs');
      });
    });
  });
});
