/**
 * renderer/records/edit.ts: a field's value as the text its editor holds, and that text back as the
 * value a write sends, for every presentation (common/records/presentation.ts). Pure; tested beside.
 *
 * Guarantees: a text that does not parse for its field is an error naming the field (by its label) and
 * what was expected, never a silently changed value; empty means null where the column allows it.
 * Times are edited in local time (`datetime-local`) and sent as UTC instants with an offset, so the
 * server never reads a wall-clock time in its own zone.
 */
import type { ColumnInfo } from '../../common/rpc/contract.ts';
import { textOf } from '../../common/mutations/sql.ts';

export type ParsedEdit =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** `YYYY-MM-DDTHH:mm` in the runtime's time zone, for a `datetime-local` input. */
export function localDateTimeText(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The text an editor starts with for a value. */
export function editText(value: unknown, column: ColumnInfo): string {
  if (value === null || value === undefined) return '';
  switch (column.presentation.format) {
    case 'datetime': {
      const at = typeof value === 'string' ? Date.parse(value) : Number.NaN;
      return Number.isFinite(at) ? localDateTimeText(at) : textOf(value);
    }
    case 'date':
      return textOf(value).slice(0, 10);
    case 'json':
    case 'array':
    case 'references':
      return JSON.stringify(value, null, 2);
    case 'boolean':
      return value === true ? 'true' : value === false ? 'false' : '';
    case 'money':
    case 'number':
    case 'percent': {
      // numeric(10,4) arrives as "1234.5000": edited as the number it is.
      const n = typeof value === 'number' ? value : Number(textOf(value));
      return Number.isFinite(n) ? String(n) : textOf(value);
    }
    default:
      return typeof value === 'object' ? JSON.stringify(value, null, 2) : textOf(value);
  }
}

/** Parses an editor's text for its column (see the module header). */
export function parseEdit(text: string, column: ColumnInfo): ParsedEdit {
  const p = column.presentation;
  const label = p.label;
  const trimmed = text.trim();
  const textual = p.format === 'text' || p.format === 'long_text' || p.format === 'code';
  if (trimmed === '' && !(textual && text !== '')) {
    return column.nullable ? { ok: true, value: null } : { ok: false, error: `${label} is required.` };
  }
  switch (p.format) {
    case 'number':
    case 'money':
    case 'percent': {
      const n = Number(trimmed.replace(/[\s,_]/g, ''));
      if (!Number.isFinite(n)) return { ok: false, error: `${label} must be a number, not “${trimmed}”.` };
      if (/^(smallint|integer|bigint)/.test(column.type) && !Number.isInteger(n))
        return { ok: false, error: `${label} must be a whole number.` };
      return { ok: true, value: n };
    }
    case 'boolean':
      return trimmed === 'true' || trimmed === 'false'
        ? { ok: true, value: trimmed === 'true' }
        : { ok: false, error: `${label} must be yes or no.` };
    case 'json':
    case 'array':
    case 'references': {
      let value: unknown;
      try {
        value = JSON.parse(trimmed);
      } catch (error) {
        return { ok: false, error: `${label} is not valid JSON: ${(error as Error).message}` };
      }
      if (p.format !== 'json' && !Array.isArray(value))
        return { ok: false, error: `${label} must be a list, e.g. ["a", "b"].` };
      return { ok: true, value };
    }
    case 'uuid':
    case 'reference':
      return UUID.test(trimmed)
        ? { ok: true, value: trimmed.toLowerCase() }
        : { ok: false, error: `${label} must name a record.` };
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(trimmed) && Number.isFinite(Date.parse(`${trimmed}T00:00:00Z`))
        ? { ok: true, value: trimmed }
        : { ok: false, error: `${label} must be a date like 2026-11-23.` };
    case 'datetime': {
      const at = Date.parse(trimmed);
      return Number.isFinite(at)
        ? { ok: true, value: new Date(at).toISOString() }
        : { ok: false, error: `${label} must be a date and time.` };
    }
    case 'choice':
    case 'lifecycle':
      return p.choices?.includes(trimmed)
        ? { ok: true, value: trimmed }
        : { ok: false, error: `${label} must be one of the listed choices.` };
    case 'vector':
      return { ok: false, error: `${label} is an embedding and cannot be edited by hand.` };
    case 'code':
    case 'long_text':
    case 'text':
      return { ok: true, value: text };
  }
}
