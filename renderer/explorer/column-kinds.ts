/**
 * renderer/explorer/column-kinds.ts: the explorer's layout and filter decisions per column, from its
 * presentation (common/records/presentation.ts): how wide a grid column is, and what type a typed
 * filter value gets. Pure; tested beside. How values read and parse lives in renderer/records.
 */
import type { ColumnInfo } from '../../common/rpc/contract.ts';

/** Column width in pixels for the grid. */
export function columnWidth(column: ColumnInfo): number {
  switch (column.presentation.format) {
    case 'boolean':
      return 90;
    case 'number':
    case 'percent':
      return 110;
    case 'money':
      return 130;
    case 'date':
      return 130;
    case 'datetime':
      return 190;
    case 'uuid':
      return 150;
    case 'reference':
      return 210;
    case 'lifecycle':
    case 'choice':
      return 150;
    case 'json':
    case 'array':
    case 'references':
    case 'long_text':
    case 'code':
      return 260;
    default:
      return column.name === 'name' || column.name === 'title' ? 260 : 200;
  }
}

/** A filter value typed for its column (numbers and booleans as such, the rest as text). */
export function filterValue(text: string, column: ColumnInfo): string | number | boolean {
  const format = column.presentation.format;
  const numeric = format === 'number' || format === 'money' || format === 'percent';
  if (numeric && text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
  if (format === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}
