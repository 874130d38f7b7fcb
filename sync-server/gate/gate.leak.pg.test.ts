/**
 * The gate's two promises, as properties over the seeded demo database:
 *   - leak property: for every synced table and every seeded password user, the rows a shape delivers,
 *     for generated `where` clauses (narrowing ones, and ones aimed at other tenants), are exactly the
 *     rows that user can SELECT under row-level security with the same condition; no server-only
 *     column ever appears; a table the user lacks the permission for is a 403.
 *   - attack suite: thousands of generated hostile values for table, where, params, columns, handle and
 *     offset: no 500, every rejection a 4xx with a JSON code, and no row of another tenant in any 200.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC_RULES } from '../../common/sync/rules.ts';
import { readShape, signIn, TEST_AUTH_SECRET, type SignedIn } from '../../scripts/testing/gated.ts';
import { createSeededTestDatabase, type SeededTestDatabase } from '../../scripts/testing/seeded.ts';
import { startTestSyncServer, type TestSyncServer } from '../../scripts/testing/sync-server.ts';

interface Column {
  name: string;
  type: string;
}

interface Delivered {
  status: number;
  keys: Set<string>;
  columns: Set<string>;
  tenants: Set<unknown>;
  code?: string;
}

/** Reads a shape to up-to-date (readShape); keys are the primary key values joined by '|'. */
async function deliver(
  shapeUrl: string,
  token: string,
  params: Record<string, string>,
  primaryKey: readonly string[],
): Promise<Delivered> {
  const read = await readShape(shapeUrl, token, params);
  const rows = [...read.rows.values()];
  return {
    status: read.status,
    keys: new Set(read.status === 200 ? rows.map((r) => primaryKey.map((c) => String(r[c])).join('|')) : []),
    columns: read.columns,
    tenants: new Set(read.status === 200 ? rows.map((r) => r['tenant_id']) : []),
    ...(read.error ? { code: read.error.code } : {}),
  };
}

describe('gate properties', () => {
  let seeded: SeededTestDatabase;
  let sync: TestSyncServer;
  let shapeUrl: string;
  const users: SignedIn[] = [];
  const columnsOf = new Map<string, Column[]>();
  const primaryKeyOf = new Map<string, string[]>();
  const serverOnly = new Map<string, Set<string>>();
  let tenantIds: string[] = [];

  beforeAll(async () => {
    seeded = await createSeededTestDatabase('gateleak', { scale: 1 });
    sync = await startTestSyncServer(seeded.db.url, {
      auth: { secret: TEST_AUTH_SECRET, throttle: { addressLimit: 100_000, accountLimit: 1000 } },
    });
    shapeUrl = `${sync.server.url}/v1/shape`;
    for (const tenant of ['acme', 'northwind', 'northwind-retail'])
      for (const kind of ['admin', 'approver', 'viewer'])
        users.push(await signIn(sync.server.url, `${kind}@${tenant}.test`, tenant));
    const c = seeded.client;
    const cols = await c.query<{ table_name: string; column_name: string; data_type: string }>(
      `SELECT table_name, column_name, data_type FROM information_schema.columns
        WHERE table_schema = 'public' AND is_generated = 'NEVER' ORDER BY table_name, ordinal_position`,
    );
    for (const r of cols.rows) {
      let list = columnsOf.get(r.table_name);
      if (!list) columnsOf.set(r.table_name, (list = []));
      list.push({ name: r.column_name, type: r.data_type });
    }
    const pks = await c.query<{ table_name: string; cols: string[] }>(
      `SELECT tc.relname AS table_name, array_agg(a.attname::text ORDER BY k.ord) AS cols
         FROM pg_index i JOIN pg_class tc ON tc.oid = i.indrelid
         JOIN pg_namespace n ON n.oid = tc.relnamespace AND n.nspname = 'public'
         , unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
         JOIN pg_attribute a ON a.attnum = k.attnum
        WHERE i.indisprimary AND a.attrelid = tc.oid GROUP BY tc.relname`,
    );
    for (const r of pks.rows) primaryKeyOf.set(r.table_name, r.cols);
    for (const r of (
      await c.query<{ table_name: string; column_name: string }>(`SELECT * FROM server_only_columns`)
    ).rows) {
      let set = serverOnly.get(r.table_name);
      if (!set) serverOnly.set(r.table_name, (set = new Set()));
      set.add(r.column_name);
    }
    tenantIds = (await c.query<{ id: string }>(`SELECT id FROM tenants ORDER BY id`)).rows.map((r) => r.id);
  }, 180_000);

  afterAll(async () => {
    await sync?.stop();
    await seeded?.client.end();
    await seeded?.db.drop();
  });

  /** Primary keys of the rows a user's tenant context sees under RLS with a trusted SQL condition. */
  async function underRls(user: SignedIn, table: string, condition: string | null): Promise<Set<string>> {
    const c = seeded.client;
    const pk = primaryKeyOf.get(table) ?? [];
    await c.query('BEGIN');
    try {
      await c.query('SET LOCAL ROLE outpost_app');
      await c.query(`SELECT set_config('app.tenant_id', $1, true), set_config('app.user_id', $2, true)`, [
        user.tenant.id,
        user.user.id,
      ]);
      // The same display settings the sync server uses, so keys print alike.
      await c.query(
        `SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, DMY'; SET LOCAL extra_float_digits = 1`,
      );
      const { rows } = await c.query<{ k: string }>(
        `SELECT concat_ws('|', ${pk.map((col) => `"${col}"::text`).join(', ')}) AS k FROM "${table}"${condition ? ` WHERE ${condition}` : ''}`,
      );
      return new Set(rows.map((r) => r.k));
    } finally {
      await c.query('ROLLBACK');
    }
  }

  /** A few where clauses for a table: one on a real value, one aimed at another tenant, one always true. */
  async function clausesFor(table: string, user: SignedIn): Promise<(string | null)[]> {
    const cols = (columnsOf.get(table) ?? []).filter(
      (c) =>
        !serverOnly.get(table)?.has(c.name) &&
        ['text', 'character varying', 'integer', 'bigint', 'uuid', 'boolean'].includes(c.type),
    );
    const clauses: (string | null)[] = [null];
    const col = cols.find((c) => c.name !== 'tenant_id' && c.name !== 'id') ?? cols[0];
    if (col) {
      const { rows } = await seeded.client.query<{ v: string | null }>(
        `SELECT "${col.name}"::text AS v FROM "${table}" WHERE "${col.name}" IS NOT NULL LIMIT 1`,
      );
      const v = rows[0]?.v;
      if (v !== undefined && v !== null) clauses.push(`"${col.name}" = '${v.replace(/'/g, "''")}'`);
      clauses.push(`"${col.name}" IS NULL OR "${col.name}" IS NOT NULL`);
    }
    if ((columnsOf.get(table) ?? []).some((c) => c.name === 'tenant_id')) {
      const other = tenantIds.find((t) => !user.tenant.visible_tenant_ids.includes(t));
      if (other) clauses.push(`tenant_id = '${other}' OR tenant_id IS NOT NULL`);
    }
    return clauses;
  }

  it('delivers exactly the rows RLS lets each user select, for every synced table and generated where', async () => {
    let compared = 0;
    let denied = 0;
    for (const rule of SYNC_RULES.values()) {
      const pk = primaryKeyOf.get(rule.table);
      if (!pk) continue;
      for (const user of users) {
        for (const where of await clausesFor(rule.table, user)) {
          const got = await deliver(
            shapeUrl,
            user.token,
            { table: rule.table, ...(where ? { where } : {}) },
            pk,
          );
          const allowed = rule.read === null || user.user.permissions.includes(rule.read);
          if (!allowed) {
            expect(got.status, `${user.user.email} ${rule.table}`).toBe(403);
            denied++;
            break;
          }
          expect(got.status, `${user.user.email} ${rule.table} ${where ?? ''} ${got.code ?? ''}`).toBe(200);
          const expected = await underRls(user, rule.table, where);
          expect(got.keys, `${user.user.email} ${rule.table} ${where ?? ''}`).toEqual(expected);
          for (const secret of serverOnly.get(rule.table) ?? []) expect(got.columns.has(secret)).toBe(false);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(1000);
    expect(denied).toBeGreaterThan(10);
  }, 600_000);

  it('answers thousands of hostile requests with 4xx codes, no 500 and no foreign rows', async () => {
    const user = users[0] as SignedIn;
    const mine = new Set(user.tenant.visible_tenant_ids);
    const fragments = [
      `'`,
      `''`,
      `"`,
      `;`,
      `--`,
      `/*`,
      `*/`,
      `)`,
      `(`,
      `1=1) OR (1=1`,
      `' OR '1'='1`,
      `; DROP TABLE orders; --`,
      `(SELECT 1)`,
      `EXISTS (SELECT 1 FROM users)`,
      `pg_sleep(1)`,
      `current_setting('app.tenant_id')`,
      `set_config('app.tenant_id', '${tenantIds[0] ?? ''}', false)`,
      `tenant_id`,
      `id`,
      `$1`,
      `$99999`,
      `::text`,
      `\u0000`,
      `é`,
      `\u202e`,
      `😀`,
      `OR`,
      `AND`,
      `NOT`,
      `IS NULL`,
      `LIKE '%'`,
      `IN (1,2)`,
      `x`.repeat(5000),
      `true`,
      `null`,
      `E'\\x'`,
      `$$x$$`,
      `"tenant_id"`,
      `hashed_password`,
      `users.id`,
    ];
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
    const hostile = () =>
      Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(fragments)).join(' ');
    const tables = ['orders', 'users', 'tenants', 'audit_logs', 'roles', 'permissions'];
    const statuses = new Map<number, number>();
    for (let i = 0; i < 2000; i++) {
      const params: Record<string, string> = { table: pick(tables), offset: '-1' };
      switch (i % 6) {
        case 0:
          params['table'] = hostile();
          break;
        case 1:
          params['where'] = hostile();
          break;
        case 2:
          params['where'] = `id = $1 OR ${pick(['tenant_id', 'id'])} = $2`;
          params['params[1]'] = hostile();
          params['params[2]'] = hostile();
          break;
        case 3:
          params['columns'] = hostile();
          break;
        case 4:
          params['handle'] = hostile();
          params['offset'] = pick(['0_0', '-1', hostile()]);
          break;
        case 5:
          params['offset'] = hostile();
          break;
      }
      const url = new URL(shapeUrl);
      for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
      const response = await fetch(url, { headers: { authorization: `Bearer ${user.token}` } });
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const text = await response.text();
      expect(response.status, `${JSON.stringify(params).slice(0, 300)} → ${text.slice(0, 300)}`).not.toBe(
        500,
      );
      if (response.status >= 400) {
        expect([400, 403, 409]).toContain(response.status);
        if (response.status !== 409) expect((JSON.parse(text) as { code: string }).code).toMatch(/^[a-z_]+$/);
      } else {
        for (const m of JSON.parse(text) as { value?: Record<string, unknown> }[]) {
          const tenant = m.value?.['tenant_id'];
          if (typeof tenant === 'string') expect(mine.has(tenant)).toBe(true);
          if (params['table'] === 'tenants' && typeof m.value?.['id'] === 'string')
            expect(mine.has(m.value['id'])).toBe(true);
          for (const secret of ['hashed_password', 'mfa_secret', 'api_key'])
            expect(m.value?.[secret]).toBeUndefined();
        }
      }
    }
    expect(statuses.get(500)).toBeUndefined();
  }, 600_000);
});
