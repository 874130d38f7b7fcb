/**
 * Schema checks written once and run on both databases: every table a seed names resolves under
 * that name, with the kind the mapping says.
 */
import { expect, it } from 'vitest';
import type { SqlExecutor } from '../common/migrations/runner.ts';
import { readSeedMapping } from './seed-mapping.ts';

export function seedTablesContract(open: () => SqlExecutor): void {
  const mapping = readSeedMapping();

  it('maps tables of all five seeds', () => {
    expect(new Set(mapping.map((m) => m.seed))).toEqual(new Set(['000', '001', '002', '003', '004']));
    expect(mapping.length).toBeGreaterThan(100);
  });

  it('resolves every seed table name, and its mapped relation, with the documented kind', async () => {
    const db = open();
    const { rows } = await db.query<{ name: string; relkind: string }>(
      `SELECT c.relname AS name, c.relkind::text AS relkind
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v')`,
    );
    const kinds = new Map(rows.map((r) => [r.name, r.relkind === 'v' ? 'view' : 'table']));
    const problems: string[] = [];
    for (const m of mapping) {
      if (!kinds.has(m.seedTable)) problems.push(`${m.seed} ${m.seedTable}: no relation of that name`);
      const kind = kinds.get(m.relation);
      if (kind !== m.kind)
        problems.push(
          `${m.seed} ${m.seedTable}: ${m.relation} is ${kind ?? 'missing'}, mapping says ${m.kind}`,
        );
    }
    expect(problems).toEqual([]);
  });
}
