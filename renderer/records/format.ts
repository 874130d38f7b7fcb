/**
 * renderer/records/format.ts: values as a person reads them, for every view: local date and time with
 * a relative hint ("6 Dec 2026, 14:05 · in 40 min"), calendar dates, amounts with their currency,
 * rates as percentages, choices and states in words, references by the referenced row's label, and a
 * one-line text of any value for grid cells (common/records/presentation.ts decides which form).
 *
 * Pure: the clock, the locale and the time zone are parameters (the app passes the user's; tests fix
 * them). Total: a value that does not parse for its form is shown as it is, never as "Invalid Date" or
 * NaN, and never throws.
 */
import type { FieldPresentation } from '../../common/records/presentation.ts';
import { choiceLabel } from '../../common/records/fields.ts';
import { textOf } from '../../common/mutations/sql.ts';

export interface FormatOptions {
  /** Default: the runtime's (the user's) locale. */
  readonly locale?: string;
  /** Default: the runtime's time zone. */
  readonly timeZone?: string;
  /** For relative hints; default: now. */
  readonly now?: number;
}

const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600_000],
  ['month', 30 * 24 * 3600_000],
  ['week', 7 * 24 * 3600_000],
  ['day', 24 * 3600_000],
  ['hour', 3600_000],
  ['minute', 60_000],
];

/**
 * One formatter per locale (and time zone): making an Intl formatter costs far more than using one,
 * and a list formats a time per row (the inbox's 2,000 rows spent 1.5 s making them; bench/inbox.ts).
 */
const formats = new Map<string, Intl.RelativeTimeFormat | Intl.DateTimeFormat>();

function cachedFormat<F extends Intl.RelativeTimeFormat | Intl.DateTimeFormat>(
  key: string,
  make: () => F,
): F {
  let format = formats.get(key) as F | undefined;
  if (!format) {
    format = make();
    formats.set(key, format);
  }
  return format;
}

const relativeFormat = (locale: string | undefined) =>
  cachedFormat(
    `relative|${locale ?? ''}`,
    () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'long' }),
  );

/** "in 40 minutes", "3 hours ago", "now": the distance from `now` in the largest whole unit. */
export function relativeTime(at: number, options: FormatOptions = {}): string {
  const diff = at - (options.now ?? Date.now());
  const format = relativeFormat(options.locale);
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms) return format.format(Math.trunc(diff / ms), unit);
  }
  return format.format(0, 'minute');
}

/** A timestamp in local time: the text, the relative hint and the exact instant (ISO) for a tooltip. */
export function formatDateTime(
  value: unknown,
  options: FormatOptions = {},
): { text: string; relative: string; iso: string } | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const at = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(at)) return null;
  const text = cachedFormat(
    `date-time|${options.locale ?? ''}|${options.timeZone ?? ''}`,
    () =>
      new Intl.DateTimeFormat(options.locale, {
        dateStyle: 'medium',
        timeStyle: 'short',
        ...(options.timeZone ? { timeZone: options.timeZone } : {}),
      }),
  ).format(at);
  return { text, relative: relativeTime(at, options), iso: new Date(at).toISOString() };
}

/** A calendar date (`YYYY-MM-DD`) in the user's form, without shifting it through a time zone. */
export function formatDate(value: unknown, options: FormatOptions = {}): string | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) return null;
  const at = Date.parse(`${value.slice(0, 10)}T00:00:00Z`);
  if (!Number.isFinite(at)) return null;
  return new Intl.DateTimeFormat(options.locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(at);
}

function numeric(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** An amount with its currency ("$1,234.50", "€12.00"); an unknown currency code is written after it. */
export function formatMoney(
  value: unknown,
  currency: string | null,
  options: FormatOptions = {},
): string | null {
  const amount = numeric(value);
  if (amount === null) return null;
  const code = (currency ?? '').trim().toUpperCase();
  if (/^[A-Z]{3}$/.test(code)) {
    try {
      return new Intl.NumberFormat(options.locale, {
        style: 'currency',
        currency: code,
        maximumFractionDigits: Math.abs(amount) < 1 && amount !== 0 ? 4 : 2,
      }).format(amount);
    } catch {
      // An ISO-shaped code the runtime does not know: the number and the code.
    }
  }
  const number = new Intl.NumberFormat(options.locale, { maximumFractionDigits: 4 }).format(amount);
  return code ? `${number} ${code}` : number;
}

export function formatPercent(value: unknown, options: FormatOptions = {}): string | null {
  const rate = numeric(value);
  if (rate === null) return null;
  return new Intl.NumberFormat(options.locale, { style: 'percent', maximumFractionDigits: 1 }).format(rate);
}

export function formatNumber(value: unknown, options: FormatOptions = {}): string | null {
  const n = numeric(value);
  return n === null ? null : new Intl.NumberFormat(options.locale, { maximumFractionDigits: 6 }).format(n);
}

/** The currency of a money field in `row`. */
export function currencyOf(
  presentation: FieldPresentation,
  row: Readonly<Record<string, unknown>>,
): string | null {
  const currency = presentation.currency;
  if (!currency) return null;
  if ('code' in currency) return currency.code;
  const value = row[currency.column];
  return typeof value === 'string' ? value : null;
}

/** Labels of referenced rows, by column then id (TablePage.labels). */
export type ReferenceLabels = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** A short id for a reference whose row is not on this device ("a1b2c3d4…"). */
export function shortId(id: string): string {
  return id.length > 8 ? `${id.slice(0, 8)}…` : id;
}

const MAX_CELL = 300;

function clip(text: string, max = MAX_CELL): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function json(value: unknown, max = MAX_CELL): string {
  try {
    return clip(JSON.stringify(value) ?? '', max);
  } catch {
    return '(a value that cannot be shown)';
  }
}

/**
 * One line of text for a value of a field (grid cells, lists, titles): names for references, local
 * times, amounts, words for choices; empty for null.
 */
export function displayText(
  value: unknown,
  column: string,
  presentation: FieldPresentation,
  row: Readonly<Record<string, unknown>>,
  labels: ReferenceLabels = {},
  options: FormatOptions = {},
): string {
  if (value === null || value === undefined) return '';
  switch (presentation.format) {
    case 'reference': {
      const id = textOf(value);
      return labels[column]?.[id] ?? shortId(id);
    }
    case 'references':
      return Array.isArray(value)
        ? clip(value.map((v) => labels[column]?.[textOf(v)] ?? shortId(textOf(v))).join(', '))
        : json(value);
    case 'lifecycle':
    case 'choice':
      return typeof value === 'string' ? choiceLabel(value) : textOf(value);
    case 'money':
      return formatMoney(value, currencyOf(presentation, row), options) ?? textOf(value);
    case 'percent':
      return formatPercent(value, options) ?? textOf(value);
    case 'number':
      return formatNumber(value, options) ?? textOf(value);
    case 'datetime': {
      const at = formatDateTime(value, options);
      return at ? at.text : textOf(value);
    }
    case 'date':
      return formatDate(value, options) ?? textOf(value);
    case 'boolean':
      return value === true ? 'Yes' : value === false ? 'No' : textOf(value);
    case 'vector': {
      const dims = Array.isArray(value)
        ? value.length
        : typeof value === 'string'
          ? value.split(',').length
          : 0;
      return `Embedding (${dims} dimensions)`;
    }
    case 'json':
    case 'array':
      return typeof value === 'object' ? json(value) : clip(textOf(value));
    case 'code':
    case 'long_text':
      return clip(textOf(value).replace(/\s+/g, ' ').trim());
    case 'uuid':
    case 'text':
      return typeof value === 'object' ? json(value) : clip(textOf(value));
  }
}
