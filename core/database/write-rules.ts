/**
 * core/database/write-rules.ts: keeps the local database's copy of the write rules (outbox.write_rules,
 * compiled into each overlay's INSTEAD OF function) equal to common/sync/rules.ts.
 *
 *   expectedWriteRules(catalog)   for every table with a local overlay: the operations, the columns a
 *                                 plain insert may set and a plain update may change, as the write path
 *                                 resolves them (common/mutations/catalog.ts); tables only named
 *                                 operations write get no operation and no column
 *   applyWriteRules(db)           compares them with outbox.write_rules and, for each difference,
 *                                 calls outbox.set_write_rule (migrations/client/0205), all in one
 *                                 transaction; returns the tables it changed
 *
 * Guarantees: after it, a plain write through a view is refused or accepted locally exactly as the
 * server's write path decides it (the same rule), so rules.ts is the only place a rule is edited; no
 * migration copies it. A table that once had an overlay keeps it (its rule may become "none"): server
 * state of an overlaid table lives in synced.<t>, and the applier follows the database
 * (core/sync/targets.ts). Run once per open; it changes nothing when the rules did not change.
 */
import type { PGliteInterface } from '@electric-sql/pglite';
import { loadWriteCatalog, type WriteCatalog } from '../../common/mutations/catalog.ts';
import { NAMED_MUTATIONS } from '../../common/mutations/named.ts';

export interface LocalWriteRule {
  readonly table: string;
  readonly operations: readonly string[];
  readonly insertColumns: readonly string[];
  readonly updateColumns: readonly string[];
}

interface StoredRule {
  table_name: string;
  operations: string[];
  columns: string[];
  update_columns: string[];
}

/** Every table a named operation writes: it needs an overlay even without a plain write rule. */
const NAMED_WRITES: ReadonlySet<string> = new Set([...NAMED_MUTATIONS.values()].flatMap((op) => op.writes));

/** The rules the local database should hold for `tables` (its overlaid tables plus any that need one). */
export function expectedWriteRules(catalog: WriteCatalog, overlaid: Iterable<string>): LocalWriteRule[] {
  const tables = new Set(overlaid);
  for (const info of catalog.tables.values()) if (info.rule.write) tables.add(info.name);
  for (const table of NAMED_WRITES) tables.add(table);
  const rules: LocalWriteRule[] = [];
  for (const table of [...tables].sort()) {
    const info = catalog.table(table);
    if (!info) continue;
    const write = info.rule.write;
    const order = [...info.columns.keys()];
    const inOrder = (set: ReadonlySet<string>) => order.filter((c) => set.has(c));
    rules.push({
      table,
      operations: write ? [...write.operations] : [],
      insertColumns: write?.operations.includes('insert') ? inOrder(info.insertColumns) : [],
      updateColumns: write?.operations.includes('update') ? inOrder(info.updateColumns) : [],
    });
  }
  return rules;
}

/** The same columns, in any order. */
function same(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const sorted = [...b].sort();
  return [...a].sort().every((x, i) => x === sorted[i]);
}

/** Brings outbox.write_rules (and the overlays' functions) to the rules of rules.ts; see the header. */
export async function applyWriteRules(db: Pick<PGliteInterface, 'query' | 'transaction'>): Promise<string[]> {
  const catalog = await loadWriteCatalog(db);
  const { rows } = await db.query<StoredRule>(
    `SELECT table_name, operations, columns, update_columns FROM outbox.write_rules`,
  );
  const stored = new Map(rows.map((r) => [r.table_name, r]));
  const changed = expectedWriteRules(catalog, stored.keys()).filter((rule) => {
    const current = stored.get(rule.table);
    return (
      !current ||
      !same(current.operations, rule.operations) ||
      !same(current.columns, rule.insertColumns) ||
      !same(current.update_columns, rule.updateColumns)
    );
  });
  if (changed.length === 0) return [];
  await db.transaction(async (tx) => {
    for (const rule of changed)
      await tx.query(`SELECT outbox.set_write_rule($1, $2::text[], $3::text[], $4::text[])`, [
        rule.table,
        rule.operations,
        rule.insertColumns,
        rule.updateColumns,
      ]);
  });
  return changed.map((r) => r.table);
}
