/**
 * The device's audit chain verification against the server's: audit rows with every value type the
 * schema holds (nulls, unicode and control characters, timestamps written with other offsets, bigint
 * ids, JSON with numerics of every scale, nesting, escapes) are inserted in a real PostgreSQL, whose
 * trigger hashes them (0051). The TypeScript canonical text and WebCrypto hash must equal the stored
 * ones row by row, on central PostgreSQL and on a device's PGlite holding copies of the rows; then
 * tampering (an altered, a deleted, a reordered row) must be found at the row the server names.
 */
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalPGlite, createMigratedTestDatabase } from '../../scripts/testing/migrated.ts';
import type { TestDatabase } from '../../scripts/testing/postgres.ts';
import { auditCanonicalText, auditRowHash, type AuditChainRow } from './canonical.ts';
import { verifyAuditChain, type ChainDatabase } from './chain-verification.ts';

const JSONS = [
  `{"amount": 1.50, "tiny": 0.000001, "big": 123456789012345678901234567890.123, "neg": -0.0, "exp": 1e3}`,
  `{"nested": {"b": [1, "two", null, true, {"z": "ü"}], "a": {}}, "": "empty key", "aa": []}`,
  `{"quote": "he said \\"hi\\"", "slash": "a\\\\b", "ctl": "tab\\tnl\\nbell\\u0007", "emoji": "🧾✓", "rtl": "שלום"}`,
  `[1, 2.10, "x"]`,
  `"just a string"`,
  `42`,
  `null`,
];

/** Rows covering every column's value types (each inserted through the chain trigger). */
function sampleInserts(tenant: string): { sql: string; params: unknown[] }[] {
  const insert = `INSERT INTO audit_logs (tenant_id, created_at, actor_type, actor_id, category, action,
      entity_type, entity_id, before_state, after_state, changes, metadata, status, correlation_id, ip_address)
    VALUES ($1, $2::timestamptz, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11::jsonb, $12::jsonb, $13, $14, $15)`;
  const rows: unknown[][] = [
    [
      '2026-03-01 10:00:00+00',
      'system',
      null,
      null,
      'created',
      'job',
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
    ],
    [
      '2026-03-01 12:34:56.789012+05:30',
      'user',
      '8f0c2b8e-1c3a-4b7e-9d2f-000000000001',
      'Änderung',
      'updated',
      'work_item',
      'WI-7 «ünïcødé» 日本',
      JSONS[0],
      JSONS[1],
      JSONS[2],
      JSONS[3],
      'success',
      'corr-"quoted"\\back',
      '192.168.0.1',
    ],
    [
      '1999-12-31 23:59:59.999999-08',
      'assistant',
      null,
      'ctl\u0001\u001f\u007f',
      'x\ty\nz',
      'policy',
      'line\rreturn',
      JSONS[4],
      JSONS[5],
      JSONS[6],
      '{}',
      'error',
      '',
      '::1',
    ],
    [
      '2026-07-15 00:00:00.000001+14',
      'service_account',
      null,
      null,
      'denied.action',
      'entity',
      '',
      '{"k": "\u2028\u2029"}',
      '{"α": 1, "β": 2, "aa": 3, "b": 4}',
      null,
      null,
      'denied',
      null,
      null,
    ],
  ];
  return rows.map((values) => ({ sql: insert, params: [tenant, ...values] }));
}

const ROWS_SQL = `SELECT id::text AS id, chain_seq::text AS chain_seq,
       (extract(epoch FROM created_at) * 1000000)::bigint::text AS created_us, tenant_id::text AS tenant_id,
       actor_type, actor_id::text AS actor_id, category, action, entity_type, entity_id,
       before_state::text AS before_state, after_state::text AS after_state, changes::text AS changes,
       metadata::text AS metadata, status, correlation_id, ip_address, previous_hash, integrity_hash,
       audit_log_canonical(a) AS server_canonical
  FROM audit_logs a WHERE a.tenant_id = $1 ORDER BY a.chain_seq`;

describe('audit chain: the device computes what the server computes', () => {
  let testDb: TestDatabase;
  let client: pg.Client;
  let device: PGlite;
  const central: ChainDatabase = {
    query: async <T>(text: string, params?: unknown[]) => ({
      rows: (await client.query(text, params)).rows as T[],
    }),
  };

  async function newTenant(slug: string): Promise<string> {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO tenants (name, slug) VALUES ($1, $1 || '-' || md5(random()::text)) RETURNING id::text AS id`,
      [slug],
    );
    const tenant = rows[0]!.id;
    for (const { sql, params } of sampleInserts(tenant)) await client.query(sql, params);
    return tenant;
  }

  /** As a superuser without triggers: what only a tamperer could do (0051 refuses it otherwise). */
  async function tamper(sql: string, params: unknown[]): Promise<void> {
    await client.query('BEGIN');
    await client.query('SET LOCAL session_replication_role = replica');
    await client.query(sql, params);
    await client.query('COMMIT');
  }

  async function serverVerdict(tenant: string) {
    const { rows } = await client.query<{ ok: boolean; broken_id: string | null; broken_seq: string | null }>(
      `SELECT ok, broken_id::text AS broken_id, broken_seq::text AS broken_seq FROM verify_audit_chain($1)`,
      [tenant],
    );
    return rows[0]!;
  }

  beforeAll(async () => {
    testDb = await createMigratedTestDatabase('audit_chain');
    client = new pg.Client({ connectionString: testDb.url });
    await client.connect();
    device = await createLocalPGlite();
  }, 120_000);
  afterAll(async () => {
    await client?.end();
    await testDb?.drop();
    await device?.close();
  });

  it('gives the stored canonical text and hash for rows with every value type', async () => {
    const tenant = await newTenant('types');
    const { rows } = await client.query<AuditChainRow & { server_canonical: string }>(ROWS_SQL, [tenant]);
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      expect(auditCanonicalText(row)).toBe(row.server_canonical);
      expect(await auditRowHash(row.previous_hash, row)).toBe(row.integrity_hash);
    }
    const verdict = await verifyAuditChain(central, tenant);
    expect(verdict).toMatchObject({
      ok: true,
      checked: 4,
      first: { id: rows[0]!.id },
      last: { id: rows[3]!.id },
    });
    expect((await serverVerdict(tenant)).ok).toBe(true);
  });

  it('verifies the same rows held in a device PGlite (as the sync applier stores them)', async () => {
    const tenant = await newTenant('device');
    const { rows } = await client.query<Record<string, string | null>>(
      `SELECT id::text, created_at::text, tenant_id::text, actor_type, actor_id::text, category, action, entity_type,
              entity_id, before_state::text, after_state::text, changes::text, metadata::text, status, correlation_id,
              ip_address, previous_hash, integrity_hash, chain_seq::text
         FROM audit_logs a WHERE a.tenant_id = $1 ORDER BY a.chain_seq`,
      [tenant],
    );
    const head = (
      await client.query(`SELECT last_seq, last_hash FROM audit_chain_heads WHERE tenant_id = $1`, [tenant])
    ).rows[0] as { last_seq: string; last_hash: string };
    await device.transaction(async (tx) => {
      await tx.exec(`SET LOCAL session_replication_role = replica`);
      await tx.query(`INSERT INTO tenants (id, name, slug) VALUES ($1, 'Device', $2)`, [
        tenant,
        `device-${tenant}`,
      ]);
      for (const r of rows) {
        const columns = Object.keys(r);
        await tx.query(
          `INSERT INTO audit_logs (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
          Object.values(r),
        );
      }
      await tx.query(`INSERT INTO audit_chain_heads (tenant_id, last_seq, last_hash) VALUES ($1, $2, $3)`, [
        tenant,
        head.last_seq,
        head.last_hash,
      ]);
    });
    const local: ChainDatabase = { query: (text, params) => device.query(text, params) };
    const onDevice = await verifyAuditChain(local, tenant);
    expect(onDevice).toEqual(await verifyAuditChain(central, tenant));
    expect(onDevice?.ok).toBe(true);
  });

  const cases = [
    {
      name: 'an altered row',
      kind: 'altered',
      sql: `UPDATE audit_logs SET after_state = '{"amount": 1.5}' WHERE tenant_id = $1 AND chain_seq = 2`,
      brokenSeq: 2,
    },
    {
      name: 'a deleted row',
      kind: 'missing',
      sql: `DELETE FROM audit_logs WHERE tenant_id = $1 AND chain_seq = 2`,
      brokenSeq: 3,
    },
    {
      name: 'reordered rows',
      kind: 'reordered',
      sql: `UPDATE audit_logs SET chain_seq = CASE chain_seq WHEN 2 THEN 3 ELSE 2 END WHERE tenant_id = $1 AND chain_seq IN (2, 3)`,
      brokenSeq: 2,
    },
    {
      name: 'a removed last row',
      kind: 'missing_at_end',
      sql: `DELETE FROM audit_logs WHERE tenant_id = $1 AND chain_seq = 4`,
      brokenSeq: 4,
    },
  ] as const;

  for (const c of cases)
    it(`points at the row the server names after ${c.name}`, async () => {
      const tenant = await newTenant(c.kind);
      await tamper(c.sql, [tenant]);
      const server = await serverVerdict(tenant);
      const verdict = await verifyAuditChain(central, tenant, { pageSize: 2 });
      expect(server.ok).toBe(false);
      expect(verdict?.ok).toBe(false);
      if (!verdict || verdict.ok) return;
      expect(verdict.broken.kind).toBe(c.kind);
      expect(verdict.broken.chainSeq).toBe(c.brokenSeq);
      expect(verdict.broken.id).toBe(server.broken_id);
      expect(String(verdict.broken.chainSeq)).toBe(server.broken_seq);
      expect(verdict.broken.message).toMatch(/\w/);
    });

  it('reports progress page by page up to the total', async () => {
    const tenant = await newTenant('progress');
    // 12 events: more than nine, so an order by text (1, 10, 11, 12, 2) would break the walk.
    await client.query(
      `INSERT INTO audit_logs (tenant_id, actor_type, action, entity_type, metadata)
       SELECT $1, 'system', 'tick', 'job', jsonb_build_object('n', g) FROM generate_series(1, 8) g`,
      [tenant],
    );
    const seen: number[] = [];
    const verdict = await verifyAuditChain(central, tenant, {
      pageSize: 5,
      onProgress: (p) => {
        seen.push(p.checked);
        expect(p.total).toBe(12);
      },
    });
    expect(verdict).toMatchObject({ ok: true, checked: 12, last: { chainSeq: 12 } });
    expect(seen).toEqual([0, 5, 10, 12]);
    expect(await verifyAuditChain(central, tenant, { cancelled: () => true })).toBeNull();
  });
});
