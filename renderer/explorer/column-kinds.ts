/**
 * renderer/explorer/column-kinds.ts: how the explorer shows, filters and edits a column, decided from
 * its Postgres type (format_type text from the catalog) and its value. Pure; tested beside.
 *
 * Guarantees: every value renders as text without throwing (cyclic or huge values are cut); an edit
 * that does not parse for its column's type is an error naming the column and what was expected,
 * never a silently changed value.
 */
import type { ColumnInfo } from '../../common/rpc/contract.ts';

export type ColumnKind =
  'text' | 'number' | 'boolean' | 'json' | 'array' | 'time' | 'date' | 'vector' | 'uuid';

export function columnKind(type: string): ColumnKind {
  const t = type.toLowerCase();
  if (t.endsWith('[]')) return 'array';
  if (t.startsWith('vector')) return 'vector';
  if (t === 'json' || t === 'jsonb') return 'json';
  if (t === 'boolean') return 'boolean';
  if (t === 'uuid') return 'uuid';
  if (t === 'date') return 'date';
  if (t.startsWith('timestamp') || t.startsWith('time')) return 'time';
  if (/^(smallint|integer|bigint|real|double precision|numeric|decimal)/.test(t)) return 'number';
  return 'text';
}

/** Column width in pixels for the grid. */
export function columnWidth(column: ColumnInfo): number {
  switch (columnKind(column.type)) {
    case 'boolean':
      return 90;
    case 'number':
      return 120;
    case 'date':
      return 120;
    case 'time':
      return 200;
    case 'uuid':
      return 150;
    case 'json':
    case 'array':
      return 240;
    default:
      return column.name === 'name' || column.name === 'title' ? 260 : 200;
  }
}

const MAX_CELL = 300;

/** One line of text for a grid cell. */
export function formatCell(value: unknown, kind: ColumnKind): string {
  if (value === null || value === undefined) return '';
  if (kind === 'vector') {
    const dims = Array.isArray(value)
      ? value.length
      : typeof value === 'string'
        ? value.split(',').length
        : 0;
    return `vector (${dims} dims)`;
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return value.length > MAX_CELL ? `${value.slice(0, MAX_CELL)}…` : value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  return json(value, MAX_CELL);
}

/** JSON text of a structured value, cut at `max` characters; a value JSON cannot show is named. */
function json(value: unknown, max: number, indent?: number): string {
  let text: string;
  try {
    text = JSON.stringify(value, null, indent) ?? '';
  } catch {
    return '(a value that cannot be shown)';
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** The full value for the row detail view (pretty JSON for structures). */
export function formatDetail(value: unknown, kind: ColumnKind): string {
  if (value === null || value === undefined) return '';
  if (kind === 'json' || kind === 'array' || (typeof value === 'object' && !(value instanceof Date)))
    return json(value, 100_000, 2);
  return formatCell(value, kind === 'vector' ? 'text' : kind);
}

/** The text an editor starts with for a value. */
export function editText(value: unknown, kind: ColumnKind): string {
  if (value === null || value === undefined) return '';
  if (kind === 'json' || kind === 'array' || typeof value === 'object') return json(value, 1_000_000, 2);
  return typeof value === 'string' ? value : formatCell(value, kind);
}

export type ParsedEdit =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

/** Parses an editor's text for its column; empty means null where the column allows it. */
export function parseEdit(text: string, column: ColumnInfo): ParsedEdit {
  const kind = columnKind(column.type);
  const trimmed = text.trim();
  if (trimmed === '' && kind !== 'text') {
    return column.nullable ? { ok: true, value: null } : { ok: false, error: `${column.name} is required.` };
  }
  switch (kind) {
    case 'number': {
      const n = Number(trimmed);
      if (!Number.isFinite(n))
        return { ok: false, error: `${column.name} must be a number, not "${trimmed}".` };
      if (/^(smallint|integer|bigint)/.test(column.type) && !Number.isInteger(n))
        return { ok: false, error: `${column.name} must be a whole number.` };
      return { ok: true, value: n };
    }
    case 'boolean':
      if (trimmed === 'true' || trimmed === 'false') return { ok: true, value: trimmed === 'true' };
      return { ok: false, error: `${column.name} must be true or false.` };
    case 'json':
    case 'array': {
      let value: unknown;
      try {
        value = JSON.parse(trimmed);
      } catch (error) {
        return { ok: false, error: `${column.name} is not valid JSON: ${(error as Error).message}` };
      }
      if (kind === 'array' && !Array.isArray(value))
        return { ok: false, error: `${column.name} must be a JSON array, e.g. ["a", "b"].` };
      return { ok: true, value };
    }
    case 'uuid':
      return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(trimmed)
        ? { ok: true, value: trimmed.toLowerCase() }
        : { ok: false, error: `${column.name} must be a UUID.` };
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(trimmed) && !Number.isNaN(Date.parse(trimmed))
        ? { ok: true, value: trimmed }
        : { ok: false, error: `${column.name} must be a date like 2026-11-23.` };
    case 'time':
      return Number.isNaN(Date.parse(trimmed))
        ? { ok: false, error: `${column.name} must be a date and time like 2026-11-23T10:00:00Z.` }
        : { ok: true, value: trimmed };
    case 'vector':
      return { ok: false, error: `${column.name} is an embedding and cannot be edited by hand.` };
    case 'text':
      if (text === '' && column.nullable) return { ok: true, value: null };
      return { ok: true, value: text };
  }
}

/** A filter value typed for its column (numbers and booleans as such, the rest as text). */
export function filterValue(text: string, column: ColumnInfo): string | number | boolean {
  const kind = columnKind(column.type);
  if (kind === 'number' && text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
  if (kind === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}
