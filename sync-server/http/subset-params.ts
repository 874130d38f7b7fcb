/**
 * sync-server/http/subset-params.ts: reads a subset snapshot request, as @electric-sql/client 1.5
 * sends it, into a typed `Subset` (shapes/subset.ts).
 *
 *   GET   subset__where, subset__params (a JSON object {"1": value, ...}), subset__order_by,
 *         subset__limit, subset__offset                     (fetchSnapshot / requestSnapshot)
 *   POST  a JSON body {where, params, order_by, limit, offset} or {subset: {...}}; its members
 *         override the query string's (Electric's ServeShapePlug merges them the same way)
 *
 * `subset__where_expr` / `subset__order_by_expr` (and `where_expr` / `order_by_expr` in a body) are
 * the client's structured copies of the same clauses: ignored, the compiled strings are what count.
 * Parameter values may be strings or numbers (a bigint arrives as a string); all are kept as text,
 * like `params[n]` of a shape. Every problem is a 400 naming the parameter (`subset__<name>`).
 *
 * Security: nothing here grants anything. The where and order_by are only parsed text; the gate
 * checks their columns and the engine ANDs the where with the shape's own (tenant-scoped) where.
 */
import type { Subset } from '../shapes/subset.ts';
import { ParamError } from './param-error.ts';

const SUBSET_KEYS = ['where', 'params', 'order_by', 'limit', 'offset'] as const;
type SubsetKey = (typeof SUBSET_KEYS)[number];
const IGNORED_KEYS = new Set(['where_expr', 'order_by_expr']);
const MAX_TEXT = 16_384;
const MAX_PARAMS = 1_000;

function text(key: SubsetKey, value: unknown): string {
  if (typeof value !== 'string')
    throw new ParamError(`subset__${key}`, `Invalid subset ${key}: expected a string.`);
  if (value.length > MAX_TEXT)
    throw new ParamError(`subset__${key}`, `Invalid subset ${key}: longer than ${MAX_TEXT} characters.`);
  return value;
}

function count(key: 'limit' | 'offset', value: unknown, min: number): number {
  const n = typeof value === 'string' && /^[0-9]{1,15}$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min)
    throw new ParamError(
      `subset__${key}`,
      `Invalid subset ${key}: expected an integer ${min === 0 ? 'of 0 or more' : 'greater than 0'}.`,
    );
  return n;
}

function params(value: unknown): Record<string, string> {
  let object = value;
  if (typeof value === 'string') {
    try {
      object = JSON.parse(value) as unknown;
    } catch {
      throw new ParamError('subset__params', 'Invalid subset params: expected a JSON object.');
    }
  }
  if (typeof object !== 'object' || object === null || Array.isArray(object))
    throw new ParamError('subset__params', 'Invalid subset params: expected an object {"1": value, ...}.');
  const out: Record<string, string> = {};
  const entries = Object.entries(object);
  if (entries.length > MAX_PARAMS)
    throw new ParamError('subset__params', `Invalid subset params: more than ${MAX_PARAMS} values.`);
  for (const [n, v] of entries) {
    if (!/^[1-9][0-9]{0,3}$/.test(n))
      throw new ParamError('subset__params', `Invalid subset params: ${JSON.stringify(n)} is not 1, 2, ...`);
    if (typeof v === 'string') out[n] = v;
    else if (typeof v === 'number' && Number.isFinite(v)) out[n] = String(v);
    else if (typeof v === 'boolean') out[n] = v ? 'true' : 'false';
    else throw new ParamError('subset__params', `Invalid subset params: $${n} must be a string or a number.`);
  }
  return out;
}

/** Builds the request from raw members (query string values or body members); null if none. */
function fromMembers(members: ReadonlyMap<SubsetKey, unknown>): Subset | null {
  if (members.size === 0) return null;
  const where = members.has('where') ? text('where', members.get('where')) : null;
  const orderBy = members.has('order_by') ? text('order_by', members.get('order_by')) : null;
  const limit = members.has('limit') ? count('limit', members.get('limit'), 1) : null;
  const offset = members.has('offset') ? count('offset', members.get('offset'), 0) : null;
  if ((limit !== null || offset !== null) && (orderBy === null || orderBy.trim() === ''))
    throw new ParamError('subset__order_by', 'subset order_by is required when limit or offset is present.');
  return {
    where: where === null || where.trim() === '' ? null : where,
    params: members.has('params') ? params(members.get('params')) : {},
    orderBy: orderBy === null || orderBy.trim() === '' ? null : orderBy,
    limit,
    offset,
  };
}

function isSubsetKey(key: string): key is SubsetKey {
  return (SUBSET_KEYS as readonly string[]).includes(key);
}

/** The members of a subset from the query string (`subset__<name>`). */
function queryMembers(query: URLSearchParams): Map<SubsetKey, unknown> {
  const members = new Map<SubsetKey, unknown>();
  for (const [key, value] of query) {
    if (!key.startsWith('subset__')) continue;
    const name = key.slice('subset__'.length);
    if (isSubsetKey(name)) members.set(name, value);
    else if (!IGNORED_KEYS.has(name))
      throw new ParamError(key, `Unknown subset parameter ${key.slice(0, 64)}.`);
  }
  return members;
}

/** The members of a subset from a POST body: top-level subset keys, or a nested `subset` object. */
function bodyMembers(body: unknown): Map<SubsetKey, unknown> {
  const members = new Map<SubsetKey, unknown>();
  if (body === undefined || body === null) return members;
  if (typeof body !== 'object' || Array.isArray(body))
    throw new ParamError('body', 'The request body must be a JSON object.');
  const record = body as Record<string, unknown>;
  const nested = record['subset'];
  const source =
    typeof nested === 'object' && nested !== null && !Array.isArray(nested)
      ? (nested as Record<string, unknown>)
      : record;
  for (const [key, value] of Object.entries(source)) {
    if (isSubsetKey(key)) members.set(key, value);
  }
  return members;
}

/** The subset a request asks for (query string, overridden by a POST body), or null for none. */
export function parseSubset(query: URLSearchParams, body?: unknown): Subset | null {
  const members = queryMembers(query);
  for (const [key, value] of bodyMembers(body)) members.set(key, value);
  return fromMembers(members);
}
