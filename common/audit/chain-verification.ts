/**
 * common/audit/chain-verification.ts: verifies one tenant's audit hash chain over the rows a database
 * holds (the device's PGlite, or central PostgreSQL in tests), with the checks of the server's
 * verify_audit_chain (migrations/shared/0051_audit_chain.sql), in the same order:
 *
 *   rows by chain_seq, a page at a time ─► per row n (1, 2, …):
 *     chain_seq ≠ n                            ─► 'missing' (rows removed before it) or 'reordered'
 *     previous_hash ≠ the row before's hash    ─► 'reordered' (a row moved or removed)
 *     integrity_hash ≠ sha256(previous_hash ‖ canonical(row)) ─► 'altered'
 *   after the last row: audit_chain_heads says last_seq = n and last_hash = the last row's hash,
 *     else 'missing_at_end' (or 'head_mismatch')
 *
 * Every row's own hash depends only on its own previous_hash and content, so a page's hashes are
 * computed concurrently (WebCrypto) and then checked in order: the first broken row reported is the
 * first in chain order, as the server's sequential walk would find it; the next page is read while a
 * page's digests run. Progress is reported after every page; `cancelled` stops the walk between pages
 * (the result is then null).
 *
 * The head check also compares the head's hash (the server compares only its sequence): an edit of the
 * last row that recomputed its hash is caught. On a device, audit_chain_heads and audit_logs arrive
 * by sync separately, so a head ahead of the rows can also mean rows not yet synced (said in the
 * finding's text).
 */
import { auditRowHash, GENESIS_HASH, utcMicrosText, type AuditChainRow } from './canonical.ts';

/** The slice of a PostgreSQL client (pg, PGlite) the walk needs. */
export interface ChainDatabase {
  query<T>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

export type ChainBreakKind = 'altered' | 'missing' | 'reordered' | 'missing_at_end' | 'head_mismatch';

/** A link of the chain, as results name it. */
export interface ChainLink {
  readonly id: string;
  readonly chainSeq: number;
  readonly createdAt: string;
  readonly hash: string;
}

export interface ChainBreak {
  readonly kind: ChainBreakKind;
  /** The row where the chain breaks (null when rows are missing after the last one). */
  readonly id: string | null;
  readonly createdAt: string | null;
  /** Its place in the walk (1 = the first row read). */
  readonly position: number;
  readonly chainSeq: number | null;
  readonly expected: string;
  readonly found: string;
  /** One sentence saying what is wrong. */
  readonly message: string;
}

export type ChainVerification =
  | {
      readonly ok: true;
      readonly checked: number;
      readonly first: ChainLink | null;
      readonly last: ChainLink | null;
    }
  | { readonly ok: false; readonly checked: number; readonly broken: ChainBreak };

export interface ChainProgress {
  readonly checked: number;
  readonly total: number;
}

export interface VerifyOptions {
  readonly pageSize?: number;
  readonly onProgress?: (progress: ChainProgress) => void;
  /** Checked between pages: true stops the walk (the result is then `null`). */
  readonly cancelled?: () => boolean;
}

const ROW_COLUMNS = `a.id::text AS id, a.chain_seq::text AS chain_seq,
       (extract(epoch FROM a.created_at) * 1000000)::bigint::text AS created_us,
       a.tenant_id::text AS tenant_id, a.actor_type, a.actor_id::text AS actor_id, a.category, a.action,
       a.entity_type, a.entity_id, a.before_state::text AS before_state, a.after_state::text AS after_state,
       a.changes::text AS changes, a.metadata::text AS metadata, a.status, a.correlation_id, a.ip_address,
       a.previous_hash, a.integrity_hash`;

/**
 * A page of the tenant's chain: chain_seq in ($2, $3], by (chain_seq, id). Pages are ranges of the
 * sequence, so rows sharing a chain_seq (a tampered chain) land in one page and none is skipped, and
 * each page is an index range scan (audit_logs_tenant_chain_seq) merged across partitions. The ORDER BY
 * names the table's columns (a.): the output columns of the same names are text and would sort 1, 10, 2.
 */
const PAGE_SQL = `SELECT ${ROW_COLUMNS} FROM audit_logs a
  WHERE a.tenant_id = $1::uuid AND a.chain_seq > $2::bigint AND a.chain_seq <= $3::bigint
  ORDER BY a.chain_seq, a.id`;

const EXTENT_SQL = `SELECT count(*)::int AS n, (min(chain_seq) - 1)::text AS before_first,
  max(chain_seq)::text AS last FROM audit_logs WHERE tenant_id = $1::uuid`;
/** The first sequence number after a gap (a tampered chain can skip far ahead). */
const NEXT_SQL = `SELECT (min(chain_seq) - 1)::text AS before FROM audit_logs WHERE tenant_id = $1::uuid AND chain_seq > $2::bigint`;
const HEAD_SQL = `SELECT last_seq::text AS last_seq, last_hash FROM audit_chain_heads WHERE tenant_id = $1::uuid`;

const linkOf = (row: AuditChainRow): ChainLink => ({
  id: row.id,
  chainSeq: Number(row.chain_seq),
  createdAt: utcMicrosText(row.created_us),
  hash: row.integrity_hash,
});

function breakAt(
  row: AuditChainRow,
  position: number,
  kind: ChainBreakKind,
  expected: string,
  found: string,
  message: string,
): ChainBreak {
  const link = linkOf(row);
  return {
    kind,
    id: link.id,
    createdAt: link.createdAt,
    position,
    chainSeq: link.chainSeq,
    expected,
    found,
    message,
  };
}

/** The first problem with `row` at `position` after a row whose hash is `previous` (null: fine). */
function check(row: AuditChainRow, position: number, previous: string, computed: string): ChainBreak | null {
  const seq = BigInt(row.chain_seq);
  if (seq !== BigInt(position)) {
    const removed = seq > BigInt(position);
    return breakAt(
      row,
      position,
      removed ? 'missing' : 'reordered',
      `sequence ${position}`,
      `sequence ${row.chain_seq}`,
      removed
        ? `Event ${row.chain_seq} follows event ${position - 1}: ${String(seq - BigInt(position))} event(s) before it were removed.`
        : `Event ${row.chain_seq} appears again at position ${position}: events were duplicated or reordered.`,
    );
  }
  if (row.previous_hash !== previous)
    return breakAt(
      row,
      position,
      'reordered',
      previous,
      row.previous_hash,
      `Event ${row.chain_seq} does not link to the event before it: events were removed or reordered.`,
    );
  if (row.integrity_hash !== computed)
    return breakAt(
      row,
      position,
      'altered',
      computed,
      row.integrity_hash,
      `Event ${row.chain_seq} was altered: its content no longer matches its hash.`,
    );
  return null;
}

/** Verifies tenant `tenantId`'s chain in `db` (see the module header). Null when cancelled. */
export async function verifyAuditChain(
  db: ChainDatabase,
  tenantId: string,
  options: VerifyOptions = {},
): Promise<ChainVerification | null> {
  const pageSize = BigInt(options.pageSize ?? 5000);
  const extent = (
    await db.query<{ n: number; before_first: string | null; last: string | null }>(EXTENT_SQL, [tenantId])
  ).rows[0];
  const total = extent?.n ?? 0;
  let previous = GENESIS_HASH;
  let position = 0;
  let first: AuditChainRow | null = null;
  let last: AuditChainRow | null = null;
  let lower = BigInt(extent?.before_first ?? '0');
  const end = BigInt(extent?.last ?? '0');
  options.onProgress?.({ checked: 0, total });
  const page = (from: bigint) =>
    db.query<AuditChainRow>(PAGE_SQL, [tenantId, String(from), String(from + pageSize)]);
  let next = total > 0 && lower < end ? page(lower) : null;
  while (next) {
    const { rows } = await next;
    next = null;
    if (options.cancelled?.()) return null;
    const upper = lower + pageSize;
    if (rows.length === 0) {
      const after = (await db.query<{ before: string | null }>(NEXT_SQL, [tenantId, String(upper)])).rows[0]
        ?.before;
      if (after === null || after === undefined) break;
      lower = BigInt(after);
      next = page(lower);
      continue;
    }
    // The page's digests run on WebCrypto's threads while the next page is read.
    const hashing = Promise.all(rows.map((row) => auditRowHash(row.previous_hash, row)));
    lower = upper;
    if (lower < end) next = page(lower);
    const computed = await hashing;
    for (const [i, row] of rows.entries()) {
      position++;
      const broken = check(row, position, previous, computed[i] ?? '');
      if (broken) {
        await next?.catch(() => undefined);
        return { ok: false, checked: position, broken };
      }
      previous = row.integrity_hash;
      first ??= row;
      last = row;
    }
    options.onProgress?.({ checked: position, total: Math.max(total, position) });
  }
  const head = (await db.query<{ last_seq: string; last_hash: string }>(HEAD_SQL, [tenantId])).rows[0];
  const headSeq = head?.last_seq ?? '0';
  if (BigInt(headSeq) !== BigInt(position)) {
    const message = `The chain's head is at event ${headSeq} but ${position} event(s) are here: events after the last one are missing (or not yet synced).`;
    return {
      ok: false,
      checked: position,
      broken: {
        kind: 'missing_at_end',
        id: null,
        createdAt: null,
        position: position + 1,
        chainSeq: position + 1,
        expected: `${headSeq} events`,
        found: `${position} events`,
        message,
      },
    };
  }
  if (last && head && head.last_hash !== last.integrity_hash)
    return {
      ok: false,
      checked: position,
      broken: breakAt(
        last,
        position,
        'head_mismatch',
        head.last_hash,
        last.integrity_hash,
        `The last event's hash is not the one the chain's head recorded: the last event was altered.`,
      ),
    };
  return { ok: true, checked: position, first: first && linkOf(first), last: last && linkOf(last) };
}
