/**
 * sync-server/mutations/idempotency.ts: the write API's idempotency ledger
 * (`outpost_writes.applied_mutations`, migrations/server/0103_mutations.sql).
 *
 *   claim(ids)    pg_advisory_xact_lock per (tenant, user, mutation id), in sorted order: two requests
 *                 carrying the same id run one after the other, so the second finds the first's row
 *   find(ids)     the recorded rows of this user's ids (row-level security shows no one else's)
 *   record(rows)  appended in the batch's transaction: committed with its writes or not at all
 *
 * Guarantees: an id is applied at most once per (tenant, user); a replay gets the recorded result and
 * txid; a replay whose request differs from the original (another request hash) is refused by the
 * caller instead of being answered with an unrelated result. Runs only inside a tenant transaction as
 * outpost_app with app.tenant_id and app.user_id set.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Mutation } from '../../common/mutations/protocol.ts';
import { toPgArrayLiteral } from '../../common/sync/pg-array-literal.ts';

export interface RecordedMutation {
  readonly mutationId: string;
  readonly requestHash: string;
  readonly txid: number;
  readonly result: Record<string, unknown>;
}

/** JSON with object keys sorted at every level: equal requests give equal text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function requestHash(mutation: Mutation): string {
  return createHash('sha256').update(canonicalJson(mutation)).digest('hex');
}

export async function claim(
  client: pg.ClientBase,
  tenantId: string,
  userId: string,
  ids: readonly string[],
): Promise<void> {
  const keys = ids.map((id) => `${tenantId}/${userId}/${id}`).sort();
  await client.query(
    `SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest($1::text[]) WITH ORDINALITY AS u(k, n) ORDER BY n`,
    [toPgArrayLiteral(keys)],
  );
}

export async function find(
  client: pg.ClientBase,
  tenantId: string,
  userId: string,
  ids: readonly string[],
): Promise<Map<string, RecordedMutation>> {
  const { rows } = await client.query<{
    id: string;
    request_hash: string;
    txid: string;
    result: Record<string, unknown>;
  }>(
    `SELECT mutation_id::text AS id, request_hash, txid::text AS txid, result
       FROM outpost_writes.applied_mutations
      WHERE tenant_id = $1 AND user_id = $2 AND mutation_id = ANY ($3::uuid[])`,
    [tenantId, userId, toPgArrayLiteral(ids)],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      { mutationId: r.id, requestHash: r.request_hash, txid: Number(r.txid), result: r.result },
    ]),
  );
}

export async function record(
  client: pg.ClientBase,
  tenantId: string,
  userId: string,
  rows: readonly RecordedMutation[],
): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO outpost_writes.applied_mutations (tenant_id, user_id, mutation_id, request_hash, txid, result)
     SELECT $1, $2, r.mutation_id, r.request_hash, r.txid, r.result
       FROM jsonb_to_recordset($3::jsonb) AS r(mutation_id uuid, request_hash text, txid bigint, result jsonb)`,
    [
      tenantId,
      userId,
      JSON.stringify(
        rows.map((r) => ({
          mutation_id: r.mutationId,
          request_hash: r.requestHash,
          txid: r.txid,
          result: r.result,
        })),
      ),
    ],
  );
}
