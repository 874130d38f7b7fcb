/**
 * migrations/seed-mapping.ts: reads the seed-table mapping of migrations/README.md, the
 * machine-readable table with the header `| seed | seed table | relation | kind | notes |`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface SeedTableMapping {
  readonly seed: string;
  readonly seedTable: string;
  readonly relation: string;
  readonly kind: 'table' | 'view';
}

const HEADER = /^\|\s*seed\s*\|\s*seed table\s*\|\s*relation\s*\|\s*kind\s*\|\s*notes\s*\|$/;

export function readSeedMapping(file = path.join(import.meta.dirname, 'README.md')): SeedTableMapping[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((l) => HEADER.test(l.trim()));
  if (start < 0) throw new Error(`${file}: the seed mapping table header was not found`);
  const rows: SeedTableMapping[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.trim().startsWith('|')) break;
    const cells = line
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((c) => c.trim().replace(/`/g, ''));
    const [seed, seedTable, relation, kind] = cells;
    if (!seed || !seedTable || !relation || (kind !== 'table' && kind !== 'view')) {
      throw new Error(`${file}: malformed mapping row: ${line}`);
    }
    rows.push({ seed, seedTable, relation, kind });
  }
  return rows;
}
