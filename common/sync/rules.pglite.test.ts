/**
 * The sync rules against the real schema (a migrated PGlite has the same public schema as central):
 * every table is either ruled or deliberately unsynced, rules name real tables and columns, writes
 * never touch server-only or generated columns, and every permission exists in the catalogue.
 */
import type { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigratedPGlite } from '../../scripts/testing/migrated.ts';
import { DOMAINS, readableRules, SYNC_RULES, UNSYNCED_TABLES } from './rules.ts';

describe('sync rules', () => {
  let db: PGlite;
  const columns = new Map<string, { name: string; generated: boolean; nullable: boolean }[]>();
  const serverOnly = new Set<string>();
  let permissions = new Set<string>();

  beforeAll(async () => {
    db = await createMigratedPGlite();
    const { rows } = await db.query<{ t: string; c: string; generated: boolean; nullable: boolean }>(
      `SELECT c.relname AS t, a.attname AS c, a.attgenerated <> '' AS generated, NOT a.attnotnull AS nullable
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition`,
    );
    for (const r of rows) {
      let list = columns.get(r.t);
      if (!list) columns.set(r.t, (list = []));
      list.push({ name: r.c, generated: r.generated, nullable: r.nullable });
    }
    for (const r of (
      await db.query<{ k: string }>(`SELECT table_name || '.' || column_name AS k FROM server_only_columns`)
    ).rows)
      serverOnly.add(r.k);
    permissions = new Set(
      (await db.query<{ code: string }>(`SELECT code FROM permissions`)).rows.map((r) => r.code),
    );
  }, 60_000);

  afterAll(async () => {
    await db?.close();
  });

  it('classifies every table of the schema: a rule or a reason not to sync', () => {
    const unclassified = [...columns.keys()].filter((t) => !SYNC_RULES.has(t) && !(t in UNSYNCED_TABLES));
    expect(unclassified).toEqual([]);
    for (const t of Object.keys(UNSYNCED_TABLES)) expect(SYNC_RULES.has(t)).toBe(false);
  });

  it('names only existing tables, with the scope their tenant_id column implies', () => {
    for (const rule of SYNC_RULES.values()) {
      const cols = columns.get(rule.table);
      expect(cols, rule.table).toBeDefined();
      const tenant = cols?.find((c) => c.name === 'tenant_id');
      const expected =
        rule.table === 'tenants'
          ? 'tenant-root'
          : !tenant
            ? 'global'
            : tenant.nullable
              ? 'tenant-or-global'
              : 'tenant';
      expect(rule.scope, rule.table).toBe(expected);
    }
  });

  it('uses only permissions of the catalogue', () => {
    for (const rule of SYNC_RULES.values()) {
      if (rule.read !== null) expect(permissions, rule.table).toContain(rule.read);
      if (rule.write) expect(permissions, rule.table).toContain(rule.write.permission);
    }
    for (const d of DOMAINS) {
      if (d.read) expect(permissions).toContain(d.read);
      if (d.write) expect(permissions).toContain(d.write);
    }
  });

  it('never lets a write set a server-only or generated column, or a column that does not exist', () => {
    for (const rule of SYNC_RULES.values()) {
      if (!rule.write) continue;
      const cols = new Map((columns.get(rule.table) ?? []).map((c) => [c.name, c]));
      const named = [...rule.write.columns, ...rule.write.createOnly, ...Object.keys(rule.write.stamps)];
      for (const name of named) {
        expect(cols.has(name), `${rule.table}.${name}`).toBe(true);
        expect(cols.get(name)?.generated, `${rule.table}.${name}`).toBe(false);
        expect(serverOnly.has(`${rule.table}.${name}`), `${rule.table}.${name}`).toBe(false);
      }
    }
  });

  it('never lets a plain write set a system column: tenant, timestamps, lifecycle states', () => {
    const SYSTEM = ['tenant_id', 'created_at', 'updated_at', 'integrity_hash', 'previous_hash', 'chain_seq'];
    for (const rule of SYNC_RULES.values()) {
      if (!rule.write) continue;
      const named = [...rule.write.columns, ...rule.write.createOnly, ...Object.keys(rule.write.stamps)];
      for (const name of named) {
        expect(SYSTEM.includes(name), `${rule.table}.${name}`).toBe(false);
        expect(name === 'status' && rule.table !== 'lead_events', `${rule.table}.${name}`).toBe(false);
      }
      // A column is listed once: changeable, or set on insert only, or stamped.
      expect(new Set(named).size, rule.table).toBe(named.length);
    }
  });

  it('gives a viewer the non-admin, non-audit tables and an admin all of them', () => {
    const viewer = new Set(
      [...permissions].filter((p) => p.endsWith(':read') && !p.startsWith('admin:') && p !== 'audit:read'),
    );
    const tables = readableRules(viewer).map((r) => r.table);
    expect(tables).toContain('orders');
    expect(tables).toContain('tenants');
    expect(tables).not.toContain('audit_logs');
    expect(tables).not.toContain('api_keys');
    expect(readableRules(permissions)).toHaveLength(SYNC_RULES.size);
  });
});
