/**
 * renderer/audit/audit-model.ts: how an audit event reads in the timeline (pure, tested): the fields it
 * changed as "before → after" in words (never raw JSON), the table an entity type names (so the event
 * links to the explorer), and the filters as named-query params.
 *
 * Changes come from the event's `changes` when it lists them ({field: [before, after]} or
 * {field: {old|from|before, new|to|after}}), else from the difference of before_state and
 * after_state (updated_at left out); a created record lists its after state, a deleted one its before.
 */
import type { AuditEventRow } from '../../common/queries/audit.ts';
import { fieldLabel } from '../../common/records/fields.ts';
import { ruleFor } from '../../common/sync/rules.ts';
import { formatDateTime, shortId } from '../records/format.ts';

export interface FieldChange {
  readonly field: string;
  readonly label: string;
  /** Null when the field had no value on that side (created, deleted). */
  readonly before: string | null;
  readonly after: string | null;
}

const MAX_VALUE = 160;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$/;

/**
 * A value in words: text as is, ids shortened, instants as local dates, yes/no, numbers, lists joined,
 * objects as `key: value` pairs.
 */
export function valueText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') {
    if (value === '') return '(empty)';
    if (UUID.test(value)) return shortId(value);
    if (ISO_INSTANT.test(value)) return formatDateTime(value)?.text ?? value;
    return clip(value);
  }
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return clip(value.map(valueText).join(', ') || '(none)');
  if (typeof value === 'object')
    return clip(
      Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => `${fieldLabel(k)}: ${valueText(v)}`)
        .join('; ') || '(none)',
    );
  return typeof value === 'bigint' ? value.toString() : '';
}

function clip(text: string): string {
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

const BEFORE_KEYS = ['old', 'from', 'before'];
const AFTER_KEYS = ['new', 'to', 'after'];

function pairOf(value: unknown): [unknown, unknown] | null {
  if (Array.isArray(value) && value.length === 2) return [value[0], value[1]];
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const b = BEFORE_KEYS.find((k) => k in o);
    const a = AFTER_KEYS.find((k) => k in o);
    if (b !== undefined || a !== undefined) return [b ? o[b] : undefined, a ? o[a] : undefined];
  }
  return null;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The fields an event changed, before → after (see the module header). */
export function fieldChanges(
  row: Pick<AuditEventRow, 'changes' | 'before_state' | 'after_state'>,
): FieldChange[] {
  const change = (field: string, before: unknown, after: unknown): FieldChange => ({
    field,
    label: fieldLabel(field),
    before: before === undefined ? null : valueText(before),
    after: after === undefined ? null : valueText(after),
  });
  if (row.changes && typeof row.changes === 'object' && !Array.isArray(row.changes)) {
    const pairs = Object.entries(row.changes).map(([k, v]) => [k, pairOf(v)] as const);
    if (pairs.length > 0 && pairs.every(([, p]) => p !== null))
      return pairs.map(([k, p]) => change(k, p?.[0], p?.[1]));
  }
  const before = row.before_state ?? {};
  const after = row.after_state ?? {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (k) => k !== 'updated_at',
  );
  return keys
    .filter((k) => !same(before[k], after[k]))
    .map((k) => change(k, row.before_state ? before[k] : undefined, row.after_state ? after[k] : undefined));
}

/** The table an entity type names (`work_item` → `work_items`), or null when no table has a rule. */
export function entityTable(entityType: string): string | null {
  const candidates = [entityType, `${entityType}s`, `${entityType.replace(/y$/, '')}ies`, `${entityType}es`];
  return candidates.find((t) => ruleFor(t) !== undefined) ?? null;
}

/** `work_item.updated` → "work item updated" style words for the action column. */
export function actionWords(action: string): string {
  return action.replace(/[._]/g, ' ');
}

export interface AuditFilters {
  readonly actorId: string | null;
  readonly action: string | null;
  readonly entityType: string | null;
  /** Local dates `YYYY-MM-DD` (inclusive both ends), as the date inputs give them. */
  readonly from: string | null;
  readonly to: string | null;
}

export const NO_AUDIT_FILTERS: AuditFilters = {
  actorId: null,
  action: null,
  entityType: null,
  from: null,
  to: null,
};

/** A local calendar day's start as an ISO instant (`to` days are inclusive: the next day's start). */
export function localDayStart(day: string, plusDays = 0): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const at = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

/** The timeline query's params for a tenant, the filters and a page size. */
export function timelineParams(tenantId: string, filters: AuditFilters, limit: number) {
  return {
    tenantId,
    actorId: filters.actorId,
    action: filters.action,
    entityType: filters.entityType,
    from: filters.from ? localDayStart(filters.from) : null,
    to: filters.to ? localDayStart(filters.to, 1) : null,
    limit,
  };
}
