/**
 * sync-server/shapes/where/values.ts: typed values for `where` evaluation, parsed from PostgreSQL's
 * text forms, and comparison with PostgreSQL's semantics.
 *
 * Rows reach the shape engine as text, formatted with the session settings Electric uses
 * (DateStyle ISO, TimeZone UTC, extra_float_digits 1). Literals and parameters are parsed with the
 * same rules, so a value compares equal here exactly when it does in PostgreSQL:
 *   int / numeric   exact decimals (as normalised strings), NaN above every number
 *   float           IEEE doubles, NaN above every number (PostgreSQL's ordering)
 *   text            code point order (COLLATE "C"; the SQL compiler adds it too)
 *   uuid            canonical lower-case form
 *   date/timestamp  microseconds since 1970-01-01 as bigint, UTC
 * Unparseable literals are rejected with the message PostgreSQL would give, before any SQL runs.
 * Comparison allocates nothing (it runs for every candidate shape of every live change); equal
 * normalised values have equal text, which gives equality its fast path (where/index.ts keys on it).
 */
import type { ScalarType } from './ast.ts';

export type Value =
  | { t: 'bool'; v: boolean }
  | { t: 'num'; v: string } // normalised exact decimal, or 'NaN' / 'Infinity' / '-Infinity'
  | { t: 'float'; v: number }
  | { t: 'text'; v: string }
  | { t: 'uuid'; v: string }
  | { t: 'time'; v: bigint; infinite: -1 | 0 | 1 };

export class ValueSyntaxError extends Error {}

const BOOL_TRUE = new Set(['t', 'true', 'y', 'yes', 'on', '1']);
const BOOL_FALSE = new Set(['f', 'false', 'n', 'no', 'off', '0']);

export function normaliseDecimal(text: string): string | null {
  const s = text.trim();
  if (/^[+-]?(nan)$/i.test(s)) return 'NaN';
  if (/^[+]?inf(inity)?$/i.test(s)) return 'Infinity';
  if (/^-inf(inity)?$/i.test(s)) return '-Infinity';
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(s);
  if (!m || ((m[2] ?? '') === '' && (m[3] ?? '') === '')) return null;
  const negative = m[1] === '-';
  let digits = (m[2] ?? '') + (m[3] ?? '');
  let point = (m[2] ?? '').length + Number(m[4] ?? '0');
  if (Math.abs(point) > 100_000) return null;
  const firstNonZero = digits.search(/[1-9]/);
  if (firstNonZero < 0) return '0';
  digits = digits.slice(firstNonZero);
  point -= firstNonZero;
  digits = digits.replace(/0+$/, '');
  let int: string;
  let frac: string;
  if (point <= 0) {
    int = '0';
    frac = '0'.repeat(-point) + digits;
  } else if (point >= digits.length) {
    int = digits + '0'.repeat(point - digits.length);
    frac = '';
  } else {
    int = digits.slice(0, point);
    frac = digits.slice(point);
  }
  return `${negative ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

function decimalRank(x: string): number {
  return x === 'NaN' ? 3 : x === 'Infinity' ? 2 : x === '-Infinity' ? -2 : 0;
}

/** Orders two normalised decimals (normaliseDecimal's output) without allocating. */
function compareDecimal(a: string, b: string): number {
  if (a === b) return 0; // normalised: equal values have equal text
  const ra = decimalRank(a);
  const rb = decimalRank(b);
  if (ra !== 0 || rb !== 0) return Math.sign(ra - rb);
  const na = a.charCodeAt(0) === 45; // '-'
  const nb = b.charCodeAt(0) === 45;
  if (na !== nb) return na ? -1 : 1;
  const sign = na ? -1 : 1;
  const sa = na ? 1 : 0;
  const sb = nb ? 1 : 0;
  let pa = a.indexOf('.', sa);
  if (pa < 0) pa = a.length;
  let pb = b.indexOf('.', sb);
  if (pb < 0) pb = b.length;
  // No leading zeros (but "0"): the longer integer part is the larger magnitude.
  if (pa - sa !== pb - sb) return sign * (pa - sa < pb - sb ? -1 : 1);
  for (let i = 0; i < pa - sa; i++) {
    const ca = a.charCodeAt(sa + i);
    const cb = b.charCodeAt(sb + i);
    if (ca !== cb) return sign * (ca < cb ? -1 : 1);
  }
  const fa = a.length - Math.min(a.length, pa + 1);
  const fb = b.length - Math.min(b.length, pb + 1);
  const len = Math.max(fa, fb);
  for (let i = 0; i < len; i++) {
    const ca = i < fa ? a.charCodeAt(pa + 1 + i) : 48;
    const cb = i < fb ? b.charCodeAt(pb + 1 + i) : 48;
    if (ca !== cb) return sign * (ca < cb ? -1 : 1);
  }
  return 0;
}

/** PostgreSQL's own output for an integer: optional '-', then "0" or digits without a leading zero. */
function isCanonicalInt(text: string): boolean {
  const start = text.charCodeAt(0) === 45 ? 1 : 0;
  const n = text.length;
  if (n === start) return false;
  const first = text.charCodeAt(start);
  if (first === 48) return n === 1; // "0" (not "-0", not "01")
  for (let i = start; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function compareFloat(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a === b ? 0 : a < b ? -1 : 1;
}

export function compareCodePoints(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.codePointAt(i) as number;
    const cb = b.codePointAt(j) as number;
    if (ca !== cb) return ca < cb ? -1 : 1;
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  if (i < a.length) return 1;
  if (j < b.length) return -1;
  return 0;
}

const DATE_TIME =
  /^(\d{4,})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?)?\s*(Z|UTC|[+-]\d{1,2}(?::?\d{2})?)?(\s+BC)?$/i;

function daysFromCivil(y: number, m: number, d: number): number {
  // Howard Hinnant's algorithm: days since 1970-01-01 in the proleptic Gregorian calendar.
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(y: number, m: number): number {
  return (
    [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][
      m - 1
    ] ?? 0
  );
}

/** Microseconds since the epoch (UTC) for date, timestamp and timestamptz text. */
export function parseTime(text: string, type: 'date' | 'timestamp' | 'timestamptz'): Value {
  const s = text.trim();
  if (/^infinity$/i.test(s) || /^\+infinity$/i.test(s)) return { t: 'time', v: 0n, infinite: 1 };
  if (/^-infinity$/i.test(s)) return { t: 'time', v: 0n, infinite: -1 };
  const m = DATE_TIME.exec(s);
  if (!m)
    throw new ValueSyntaxError(
      `invalid input syntax for type ${type}: "${text}" (use ISO 8601, e.g. 2026-01-31 or 2026-01-31T12:00:00Z)`,
    );
  let year = Number(m[1]);
  if (m[9]) year = 1 - year;
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4] ?? 0);
  const minute = Number(m[5] ?? 0);
  const second = Number(m[6] ?? 0);
  const micros = Number((m[7] ?? '').padEnd(6, '0') || 0);
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 24 ||
    minute > 59 ||
    second > 60
  ) {
    throw new ValueSyntaxError(`date/time field value out of range: "${text}"`);
  }
  if (type === 'date' && m[4] !== undefined)
    throw new ValueSyntaxError(`invalid input syntax for type date: "${text}"`);
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone && type === 'timestamptz' && !/^(Z|UTC)$/i.test(zone)) {
    const z = /^([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(zone);
    if (!z) throw new ValueSyntaxError(`invalid time zone in "${text}"`);
    offsetMinutes = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3] ?? 0));
  }
  const days = BigInt(daysFromCivil(year, month, day));
  const secondsOfDay = BigInt(hour * 3600 + minute * 60 + second - offsetMinutes * 60);
  return { t: 'time', v: (days * 86400n + secondsOfDay) * 1_000_000n + BigInt(micros), infinite: 0 };
}

const UUID = /^\{?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})\}?$/i;

/** Parses PostgreSQL text into a comparable value of `type`; throws ValueSyntaxError like PG would. */
export function parseValue(text: string, type: ScalarType): Value {
  switch (type) {
    case 'bool': {
      const s = text.trim().toLowerCase();
      if (BOOL_TRUE.has(s)) return { t: 'bool', v: true };
      if (BOOL_FALSE.has(s)) return { t: 'bool', v: false };
      throw new ValueSyntaxError(`invalid input syntax for type boolean: "${text}"`);
    }
    case 'int': {
      if (isCanonicalInt(text)) return { t: 'num', v: text }; // normaliseDecimal would return it as is
      if (!/^\s*[+-]?[0-9]+\s*$/.test(text))
        throw new ValueSyntaxError(`invalid input syntax for type integer: "${text}"`);
      return { t: 'num', v: normaliseDecimal(text) ?? '0' };
    }
    case 'numeric': {
      const v = normaliseDecimal(text);
      if (v === null) throw new ValueSyntaxError(`invalid input syntax for type numeric: "${text}"`);
      return { t: 'num', v };
    }
    case 'float': {
      const s = text.trim();
      const v = /^[+-]?nan$/i.test(s)
        ? NaN
        : /^[+]?inf(inity)?$/i.test(s)
          ? Infinity
          : /^-inf(inity)?$/i.test(s)
            ? -Infinity
            : Number(s);
      if (s === '' || (Number.isNaN(v) && !/nan/i.test(s)))
        throw new ValueSyntaxError(`invalid input syntax for type double precision: "${text}"`);
      return { t: 'float', v };
    }
    case 'text':
      return { t: 'text', v: text };
    case 'uuid': {
      const m = UUID.exec(text.trim());
      if (!m) throw new ValueSyntaxError(`invalid input syntax for type uuid: "${text}"`);
      return { t: 'uuid', v: `${m[1]}-${m[2]}-${m[3]}-${m[4]}-${m[5]}`.toLowerCase() };
    }
    case 'date':
    case 'timestamp':
    case 'timestamptz':
      return parseTime(text, type);
  }
}

function asFloat(x: Value): number {
  return x.t === 'float' ? x.v : x.t === 'num' ? Number(x.v) : NaN;
}

/** Orders two values of one comparison family; PostgreSQL's casts decide mixed numeric types. */
export function compareValues(a: Value, b: Value): number {
  if (a.t === 'num' && b.t === 'num') return compareDecimal(a.v, b.v);
  if ((a.t === 'text' && b.t === 'text') || (a.t === 'uuid' && b.t === 'uuid'))
    return a.v === b.v ? 0 : compareCodePoints(a.v, b.v);
  if (a.t === 'float' || b.t === 'float') return compareFloat(asFloat(a), asFloat(b));
  if (a.t === 'time' && b.t === 'time') {
    if (a.infinite !== 0 || b.infinite !== 0) return Math.sign(a.infinite - b.infinite);
    return a.v === b.v ? 0 : a.v < b.v ? -1 : 1;
  }
  if (a.t === 'bool' && b.t === 'bool') return a.v === b.v ? 0 : a.v ? 1 : -1;
  throw new Error(`internal: cannot compare ${a.t} with ${b.t}`);
}
