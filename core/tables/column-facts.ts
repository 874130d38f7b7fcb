/**
 * core/tables/column-facts.ts: what the local catalog knows of a table's columns beyond their types,
 * for the shared presentation (common/records/presentation.ts) and for naming referenced rows:
 *
 *   references   a foreign key to another table's `id` (a composite key `(x_id, tenant_id)` counts for
 *                x_id), or a known id array / actor column (common/records/labels.ts EXTRA_REFERENCES)
 *   choices      the values a CHECK `col IN (...)` allows
 *   lifecycle    the machine of a lifecycle column (common/lifecycles/registry.ts)
 *
 * Derived from the constraints as the database holds them (WriteCatalog), so a view offers exactly
 * what the database would accept.
 */
import type { WriteCatalog } from '../../common/mutations/catalog.ts';
import { checkChoices } from '../../common/mutations/constraint-sentences.ts';
import { EXTRA_REFERENCES } from '../../common/records/labels.ts';
import type { ColumnFacts } from '../../common/records/presentation.ts';

export function columnFacts(
  catalog: WriteCatalog,
  table: string,
  columns: readonly string[],
  lifecycleOf: (table: string, column: string) => string | null,
): Map<string, ColumnFacts> {
  const facts = new Map<string, { references?: string; choices?: string[]; lifecycle?: string }>(
    columns.map((c) => [c, {}]),
  );
  for (const constraint of catalog.constraintsOf(table)) {
    if (constraint.kind === 'foreign_key' && constraint.references) {
      const referenced = constraint.referencedColumns ?? [];
      constraint.columns.forEach((column, i) => {
        const fact = facts.get(column);
        if (
          fact &&
          referenced[i] === 'id' &&
          !(column === 'tenant_id' && constraint.references !== 'tenants')
        )
          fact.references = constraint.references as string;
      });
    } else if (constraint.kind === 'check' && constraint.columns.length === 1) {
      const column = constraint.columns[0] ?? '';
      const choices = checkChoices(constraint.definition);
      const fact = facts.get(column);
      if (fact && choices) fact.choices = choices;
    }
  }
  for (const [key, referenced] of Object.entries(EXTRA_REFERENCES)) {
    const [t, column] = key.split('.');
    const fact = column ? facts.get(column) : undefined;
    if (t === table && fact) fact.references = referenced;
  }
  for (const [column, fact] of facts) {
    const machine = lifecycleOf(table, column);
    if (machine) fact.lifecycle = machine;
  }
  return facts;
}
