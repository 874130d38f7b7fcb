/**
 * core/sync/targets.ts: which tables this user syncs, where each one's server state lives in the
 * local database, and in what order (parents before children).
 *
 * Guarantees: the list is exactly the sync rules the user's permissions allow (common/sync/rules.ts,
 * the same function the server's gate applies), restricted to tables that exist locally; where and how
 * each is applied comes from applierTarget (synced.<t> with `_synced_txid` for writable tables,
 * docs/local-schema.md); the order is a topological order of the local foreign keys between them
 * (cycles, such as self-references, broken deterministically), so the applier can insert in that order.
 */
import type { PGliteInterface } from '@electric-sql/pglite';
import { readableRules } from '../../common/sync/rules.ts';
import { applierTarget } from './applier-target.ts';
import type { SyncTarget } from './sync-controller.ts';

export async function syncTargets(
  db: PGliteInterface,
  permissions: ReadonlySet<string>,
): Promise<SyncTarget[]> {
  const rules = readableRules(permissions);
  const { rows } = await db.query<{ name: string; schema: string; pk: string[] | null }>(
    `SELECT c.relname AS name, n.nspname AS schema,
            (SELECT array_agg(a.attname::text ORDER BY k.ord)
               FROM pg_index i, unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord), pg_attribute a
              WHERE i.indrelid = c.oid AND i.indisprimary AND a.attrelid = c.oid AND a.attnum = k.attnum) AS pk
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname IN ('synced', 'public') AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND c.relname = ANY($1)`,
    [rules.map((r) => r.table)],
  );
  const found = new Map<string, { schema: string; pk: string[] }>();
  for (const r of rows) {
    const existing = found.get(r.name);
    // synced.<t> wins over a public table of the same name.
    if (!existing || r.schema === 'synced') found.set(r.name, { schema: r.schema, pk: r.pk ?? [] });
  }
  const fks = await db.query<{ child: string; parent: string }>(
    `SELECT DISTINCT c.relname AS child, p.relname AS parent
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
      WHERE k.contype = 'f' AND c.relnamespace::regnamespace::text IN ('synced', 'public')`,
  );
  const parents = new Map<string, Set<string>>();
  for (const { child, parent } of fks.rows) {
    if (child === parent) continue;
    let set = parents.get(child);
    if (!set) parents.set(child, (set = new Set()));
    set.add(parent);
  }
  const ordered: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (table: string) => {
    if (state.get(table) !== undefined) return;
    state.set(table, 'visiting');
    for (const parent of [...(parents.get(table) ?? [])].sort()) if (found.has(parent)) visit(parent);
    state.set(table, 'done');
    ordered.push(table);
  };
  for (const rule of rules) if (found.has(rule.table)) visit(rule.table);
  return ordered.map((table) => {
    const where = found.get(table) as { schema: string; pk: string[] };
    const target = applierTarget(table);
    return {
      table,
      schema: target.schema,
      localTable: target.table,
      primaryKey: where.pk,
      mapColumns: target.mapColumns,
    };
  });
}
