/**
 * sync-server/mutations/mutation-service.ts: the write API behind `POST /v1/mutations` (the HTTP layer
 * has already authenticated the token, rate-limited the session and read the JSON body within its size
 * limit). docs/protocol.md ("Write API") is the contract; common/mutations holds the operations.
 *
 *   body ─► parseMutationRequest: shape, batch size (413), every envelope (400 naming it)
 *        ─► one transaction: BEGIN; SET LOCAL ROLE outpost_app; app.tenant_id / app.user_id from the token
 *             claim the mutation ids (advisory locks) ─► find the ones already applied (replays)
 *             prepare every other mutation (rules, permissions, arguments); any refusal: ROLLBACK, 4xx
 *             run them in order; the first failure: ROLLBACK, 4xx naming it, nothing applied
 *             txid = pg_current_xact_id()::xid ─► audit events (hash chain) ─► idempotency rows
 *           COMMIT ─► 200 { txid, results }
 *        deadlock / serialization failure: the whole batch is retried (a few times), then 409.
 *
 * Guarantees:
 *   - All or nothing: a batch commits entirely or leaves no trace (writes, audit rows and ledger rows
 *     share the transaction). Every applied mutation has its audit events in the same commit.
 *   - Tenant, user and permissions come from the Principal (the verified token) only. Row-level
 *     security and the database's rules decide on top of the operations' own checks.
 *   - Expected failures are 4xx with a stable code per mutation (validation 400, forbidden 403,
 *     not_found 404, conflict / invalid_transition 409, payload_too_large 413). A database error that
 *     database-errors.ts does not recognise is a bug: it is thrown, and the HTTP layer answers 500.
 *   - `txid` is the 32-bit xid the replication stream (and so every shape message's `txids`) carries
 *     for this transaction; a batch made only of replays answers with the original txid.
 */
import type pg from 'pg';
import { httpStatusOf, isOutpostError, OutpostError, type ErrorCode } from '../../common/errors.ts';
import { loadWriteCatalog, type WriteCatalog } from '../../common/mutations/catalog.ts';
import { mapDatabaseError, RETRYABLE_SQLSTATES, sqlStateOf } from '../../common/mutations/database-errors.ts';
import { prepareMutation } from '../../common/mutations/mutation.ts';
import type { MutationContext, PreparedMutation } from '../../common/mutations/types.ts';
import {
  DEFAULT_MAX_MUTATIONS_PER_BATCH,
  mutationLabel,
  parseMutationRequest,
  type Mutation,
  type MutationErrorResponse,
  type MutationOutcome,
  type MutationResponse,
} from '../../common/mutations/protocol.ts';
import type { Principal } from '../auth/auth-service.ts';
import { inTenantTransaction } from '../db/tenant-transaction.ts';
import type { MutationHandler } from './mutation-handler.ts';
import { writeAuditEvents, type AuditedChange } from './audit.ts';
import { claim, find, record, requestHash, type RecordedMutation } from './idempotency.ts';

export interface MutationServiceOptions {
  /** Mutations per request; more is a 413. Default DEFAULT_MAX_MUTATIONS_PER_BATCH (100). */
  readonly maxMutationsPerBatch?: number;
  /** How long a write waits for a row another transaction holds before giving up (409). Default 5 s. */
  readonly lockTimeoutMs?: number;
  /** Attempts of a batch that hit a deadlock or serialization failure. Default 3. */
  readonly maxAttempts?: number;
}

const statusOf = (code: ErrorCode): number => httpStatusOf(code);

type Reply = {
  status: number;
  body: MutationResponse | MutationErrorResponse | { code: ErrorCode; message: string };
};

/** A refused batch: thrown inside the transaction so that it rolls back, then answered as is. */
class BatchRefused extends Error {
  constructor(readonly reply: Reply) {
    super('batch refused');
  }
}

interface Pending {
  readonly index: number;
  readonly mutation: Mutation;
  readonly hash: string;
}

function refusal(outcomes: MutationOutcome[], labels: ReadonlyMap<number, string>): Reply {
  const rejected = outcomes.filter((o) => o.status === 'rejected');
  const first = rejected[0];
  if (!first) throw new Error('refusal without a rejected mutation');
  const label = labels.get(first.index);
  const more = rejected.length > 1 ? ` (${rejected.length} mutations were rejected; see results)` : '';
  return {
    status: statusOf(first.code),
    body: {
      code: first.code,
      message: `Nothing was applied. Mutation ${first.index}${label ? ` (${label})` : ''}: ${first.message}${more}`,
      results: outcomes,
    },
  };
}

function rejected(index: number, id: string | null, error: OutpostError): MutationOutcome {
  return { index, id, status: 'rejected', code: error.code, message: error.message };
}

async function currentTxid(client: pg.ClientBase): Promise<number> {
  const { rows } = await client.query<{ txid: string }>(`SELECT pg_current_xact_id()::xid::text AS txid`);
  return Number(rows[0]?.txid);
}

/** Runs the well-formed batch in the open tenant transaction; throws BatchRefused to roll back. */
async function runBatch(
  client: pg.ClientBase,
  principal: Principal,
  context: MutationContext,
  pending: readonly Pending[],
  lockTimeoutMs: number,
): Promise<Reply> {
  await client.query(`SELECT set_config('lock_timeout', $1, true)`, [`${lockTimeoutMs}ms`]);
  const ids = pending.map((p) => p.mutation.id);
  await claim(client, principal.tenantId, principal.userId, ids);
  const recorded = await find(client, principal.tenantId, principal.userId, ids);

  const outcomes: MutationOutcome[] = [];
  const labels = new Map<number, string>();
  const toRun: { pending: Pending; prepared: PreparedMutation }[] = [];
  for (const p of pending) {
    labels.set(p.index, mutationLabel(p.mutation));
    const previous = recorded.get(p.mutation.id);
    if (previous) {
      outcomes.push(
        previous.requestHash === p.hash
          ? {
              index: p.index,
              id: p.mutation.id,
              status: 'replayed',
              txid: previous.txid,
              result: previous.result,
            }
          : rejected(
              p.index,
              p.mutation.id,
              new OutpostError(
                'conflict',
                `Mutation id ${p.mutation.id} was already applied to a different request; give every new mutation a new id.`,
              ),
            ),
      );
      continue;
    }
    try {
      const prepared = prepareMutation(p.mutation, context);
      toRun.push({ pending: p, prepared });
      outcomes.push({ index: p.index, id: p.mutation.id, status: 'not_applied' });
    } catch (error) {
      if (!isOutpostError(error)) throw error;
      outcomes.push(rejected(p.index, p.mutation.id, error));
    }
  }
  if (outcomes.some((o) => o.status === 'rejected')) throw new BatchRefused(refusal(outcomes, labels));

  const applied: { pending: Pending; result: Record<string, unknown> }[] = [];
  const audited: AuditedChange[] = [];
  for (const { pending: p, prepared } of toRun) {
    try {
      const done = await prepared.run(client);
      applied.push({ pending: p, result: done.result });
      for (const change of done.changes)
        audited.push({ mutationId: p.mutation.id, mutation: prepared.label, change });
    } catch (error) {
      const state = sqlStateOf(error);
      if (state && RETRYABLE_SQLSTATES.has(state)) throw error;
      const known = isOutpostError(error) ? error : mapDatabaseError(error, context.catalog.constraint);
      if (!known) throw error;
      const at = outcomes.findIndex((o) => o.index === p.index);
      outcomes[at] = rejected(p.index, p.mutation.id, known);
      throw new BatchRefused(refusal(outcomes, labels));
    }
  }

  const first = outcomes[0];
  if (applied.length === 0) {
    // Only replays: nothing to write; answer with the original transaction's txid.
    return { status: 200, body: { txid: first && 'txid' in first ? first.txid : 0, results: outcomes } };
  }
  const txid = await currentTxid(client);
  await writeAuditEvents(client, principal.userId, audited);
  const rows: RecordedMutation[] = applied.map(({ pending: p, result }) => ({
    mutationId: p.mutation.id,
    requestHash: p.hash,
    txid,
    result,
  }));
  await record(client, principal.tenantId, principal.userId, rows);
  for (const { pending: p, result } of applied) {
    const at = outcomes.findIndex((o) => o.index === p.index);
    outcomes[at] = { index: p.index, id: p.mutation.id, status: 'applied', txid, result };
  }
  return { status: 200, body: { txid, results: outcomes } };
}

/** The write API handler (AuthConfig.mutations). */
export function createMutationService(pool: pg.Pool, options: MutationServiceOptions = {}): MutationHandler {
  const maxMutations = options.maxMutationsPerBatch ?? DEFAULT_MAX_MUTATIONS_PER_BATCH;
  const lockTimeoutMs = options.lockTimeoutMs ?? 5_000;
  const maxAttempts = options.maxAttempts ?? 3;
  let catalog: Promise<WriteCatalog> | null = null;
  const catalogOnce = (): Promise<WriteCatalog> =>
    (catalog ??= inTenantTransaction(pool, { tenantId: null, userId: null }, (c) => loadWriteCatalog(c), {
      readOnly: true,
    }).catch((error: unknown) => {
      catalog = null;
      throw error;
    }));

  return async (body, principal) => {
    let envelopes;
    try {
      envelopes = parseMutationRequest(body, maxMutations);
    } catch (error) {
      if (!isOutpostError(error)) throw error;
      return { status: statusOf(error.code), body: { code: error.code, message: error.message } };
    }
    const malformed = envelopes.filter((e) => !e.ok);
    if (malformed.length > 0) {
      const outcomes = envelopes.map((e): MutationOutcome =>
        e.ok
          ? { index: e.index, id: e.mutation.id, status: 'not_applied' }
          : rejected(e.index, e.id, e.error),
      );
      return refusal(outcomes, new Map());
    }
    const pending: Pending[] = envelopes.flatMap((e) =>
      e.ok ? [{ index: e.index, mutation: e.mutation, hash: requestHash(e.mutation) }] : [],
    );
    const context: MutationContext = { actor: principal, catalog: await catalogOnce() };
    for (let attempt = 1; ; attempt++) {
      try {
        return await inTenantTransaction(
          pool,
          { tenantId: principal.tenantId, userId: principal.userId },
          (client) => runBatch(client, principal, context, pending, lockTimeoutMs),
        );
      } catch (error) {
        if (error instanceof BatchRefused) return error.reply;
        const state = sqlStateOf(error);
        if (state && RETRYABLE_SQLSTATES.has(state) && attempt < maxAttempts) continue;
        const known = mapDatabaseError(error);
        if (known && state && RETRYABLE_SQLSTATES.has(state))
          return { status: statusOf(known.code), body: { code: known.code, message: known.message } };
        throw error;
      }
    }
  };
}
