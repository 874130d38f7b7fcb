/**
 * common/audit/canonical.ts: the audit hash chain's canonical form and hash, in TypeScript, exactly as
 * the databases compute them (migrations/shared/0051_audit_chain.sql):
 *
 *   canonical(row)      = jsonb_build_object('id', …, 'ip_address', …)::text
 *   integrity_hash(row) = hex(sha256(utf8(previous_hash || canonical(row))))
 *
 * What `jsonb::text` does, and this module reproduces:
 *   - object keys ordered by byte length, then bytewise (jsonb's key order, not insertion order);
 *   - `{"k": v, "k2": v2}`: a space after every `:` and `,`;
 *   - strings escaped as PostgreSQL's escape_json does: `"` `\` and \b \f \n \r \t by name, the other
 *     control characters below U+0020 as `\u00xx` (lower-case hex), everything else (non-ASCII,
 *     U+007F, U+2028) as itself;
 *   - bigint values as their decimal digits; uuids as their lower-case text;
 *   - created_at as `YYYY-MM-DDTHH:MM:SS.ffffffZ` in UTC (to_char with microseconds), from the
 *     timestamp's microseconds since the epoch, so neither side's TimeZone matters (years 1–9999).
 *   - the jsonb columns (before_state, after_state, changes, metadata) as their own `::text`: the row
 *     reader selects them as text from a PostgreSQL or PGlite database, whose jsonb output is already
 *     this canonical form (key order, spacing, numerics with their scale, such as 1.50), so they are
 *     embedded as given and never parsed into JavaScript numbers.
 *
 * The hash is WebCrypto's SHA-256 (`crypto.subtle`: Node 20, browsers and workers alike). The test
 * audit/chain-verification.pg.test.ts proves the two sides agree on rows with every value type.
 */

/** One audit row as the chain reader selects it: every value as text (see the header). */
export interface AuditChainRow {
  readonly id: string;
  readonly chain_seq: string;
  /** created_at as microseconds since 1970-01-01 UTC (decimal digits, maybe negative). */
  readonly created_us: string;
  readonly tenant_id: string;
  readonly actor_type: string;
  readonly actor_id: string | null;
  readonly category: string | null;
  readonly action: string;
  readonly entity_type: string;
  readonly entity_id: string | null;
  /** jsonb columns: their `::text`. */
  readonly before_state: string | null;
  readonly after_state: string | null;
  readonly changes: string | null;
  readonly metadata: string | null;
  readonly status: string | null;
  readonly correlation_id: string | null;
  readonly ip_address: string | null;
  readonly previous_hash: string;
  readonly integrity_hash: string;
}

type Kind = 'number' | 'string' | 'json';

/** The canonical object's members and how each value is written, in jsonb key order. */
const MEMBERS: readonly (readonly [keyof AuditChainRow | 'created_at', Kind])[] = (
  [
    ['id', 'number'],
    ['chain_seq', 'number'],
    ['created_at', 'string'],
    ['tenant_id', 'string'],
    ['actor_type', 'string'],
    ['actor_id', 'string'],
    ['category', 'string'],
    ['action', 'string'],
    ['entity_type', 'string'],
    ['entity_id', 'string'],
    ['before_state', 'json'],
    ['after_state', 'json'],
    ['changes', 'json'],
    ['metadata', 'json'],
    ['status', 'string'],
    ['correlation_id', 'string'],
    ['ip_address', 'string'],
  ] as const
).toSorted(([a], [b]) => jsonbKeyOrder(a, b));

/** jsonb's order of object keys: shorter first, then bytewise (the keys here are ASCII). */
export function jsonbKeyOrder(a: string, b: string): number {
  const la = new TextEncoder().encode(a);
  const lb = new TextEncoder().encode(b);
  if (la.length !== lb.length) return la.length - lb.length;
  for (let i = 0; i < la.length; i++) if (la[i] !== lb[i]) return (la[i] ?? 0) - (lb[i] ?? 0);
  return 0;
}

const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '"': '\\"',
  '\\': '\\\\',
};

/** A JSON string literal as PostgreSQL's escape_json writes it. */
export function pgJsonString(text: string): string {
  // eslint-disable-next-line no-control-regex -- the control characters are what is escaped
  const escaped = text.replace(/[\u0000-\u001f"\\]/g, (c) => {
    const named = NAMED_ESCAPES[c];
    return named ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return `"${escaped}"`;
}

/** Microseconds since the epoch → `YYYY-MM-DDTHH:MM:SS.ffffffZ` (to_char … 'US"Z"' in UTC). */
export function utcMicrosText(micros: string): string {
  const us = BigInt(micros);
  let ms = us / 1000n;
  let rest = us % 1000n;
  if (rest < 0n) {
    rest += 1000n;
    ms -= 1n;
  }
  const base = new Date(Number(ms)).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const msOfSecond = ((ms % 1000n) + 1000n) % 1000n;
  const fraction = String(msOfSecond * 1000n + rest);
  return `${base.slice(0, 19)}.${fraction.padStart(6, '0')}Z`;
}

/** The canonical text of a row (audit_log_canonical). */
export function auditCanonicalText(row: AuditChainRow): string {
  const parts = MEMBERS.map(([key, kind]) => {
    const value = key === 'created_at' ? utcMicrosText(row.created_us) : row[key];
    let written: string;
    if (value === null) written = 'null';
    else if (kind === 'string') written = pgJsonString(value);
    else written = value;
    return `"${key}": ${written}`;
  });
  return `{${parts.join(', ')}}`;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const encoder = new TextEncoder();

/** Lower-case hex SHA-256 of a text's UTF-8 bytes, by WebCrypto. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
  let hex = '';
  for (const byte of digest) hex += HEX[byte] ?? '';
  return hex;
}

/** integrity_hash of a row after `previousHash` (audit_log_hash). */
export function auditRowHash(previousHash: string, row: AuditChainRow): Promise<string> {
  return sha256Hex(previousHash + auditCanonicalText(row));
}

/** The previous_hash of a tenant's first row. */
export const GENESIS_HASH = '0'.repeat(64);
