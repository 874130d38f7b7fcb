/**
 * core/outbox/upload.ts: one upload step of the outbox: the oldest pending mutations, in order and
 * with their ids, to `POST /v1/mutations` (through a `send` function the caller provides), and the
 * server's answer applied to the outbox.
 *
 *   pendingMutations(batch) ─► markUploading ─► send({ mutations }) ─┬─ 200: every result applied or
 *                                                                    │  replayed ─► acknowledge(txid)
 *                                                                    ├─ 4xx with results: rejected ─►
 *                                                                    │  reject (rolled back, for the
 *                                                                    │  UI); not_applied ─► pending
 *                                                                    └─ thrown, 5xx, 429, 4xx without
 *                                                                       results ─► pending (retry later)
 *
 * Guarantees: a mutation leaves the outbox only on the server's word about that mutation (applied,
 * replayed or rejected); anything else puts it back, and a resend is harmless because the server
 * deduplicates by id. The step commits `uploading` before sending, so a crash mid-request leaves the
 * batch pending-or-uploading, which `pendingMutations` lists again. Retry timing is the caller's
 * (`retryDelayMs`).
 */
import type { PGliteInterface } from '@electric-sql/pglite';
import type { Mutation, MutationErrorResponse, MutationResponse } from '../../common/mutations/protocol.ts';
import {
  acknowledgeMutation,
  markPending,
  markUploading,
  pendingMutations,
  rejectMutation,
  toWireMutation,
  type LocalQueryable,
} from './outbox.ts';

export interface SendReply {
  readonly status: number;
  readonly body: unknown;
}

/** Sends one batch; throws when the request did not get an HTTP answer (offline, timeout). */
export type SendMutations = (request: { mutations: Mutation[] }) => Promise<SendReply>;

export interface UploadReport {
  readonly sent: number;
  readonly acknowledged: number;
  readonly rejected: number;
  /** Mutations put back for a later attempt. */
  readonly retried: number;
  /** Why the batch (or part of it) must be retried, if it must. */
  readonly retryReason: string | null;
  /** The HTTP status, if the request got one. */
  readonly status: number | null;
}

function hasResults(body: unknown): body is MutationResponse | MutationErrorResponse {
  return typeof body === 'object' && body !== null && Array.isArray((body as { results?: unknown }).results);
}

/** Sends the oldest pending mutations (at most `batchSize`) and applies the answer to the outbox. */
/** A local database that can also run a transaction (a PGlite instance). */
export type LocalTransactional = LocalQueryable & Pick<PGliteInterface, 'transaction'>;

export async function uploadOnce(
  db: LocalTransactional,
  send: SendMutations,
  batchSize = 100,
): Promise<UploadReport> {
  const listed = await pendingMutations(db, batchSize);
  const empty = { sent: 0, acknowledged: 0, rejected: 0, retried: 0, retryReason: null, status: null };
  if (listed.length === 0) return empty;
  // A mutation withdrawn between the two statements is not marked, and not sent.
  const marked = await markUploading(
    db,
    listed.map((m) => m.id),
  );
  const batch = listed.filter((m) => marked.has(m.id));
  if (batch.length === 0) return empty;
  const ids = batch.map((m) => m.id);

  let reply: SendReply;
  try {
    reply = await send({ mutations: batch.map(toWireMutation) });
  } catch (error) {
    const reason = `not sent: ${(error as Error).message}`;
    await markPending(db, ids, reason);
    return { ...empty, sent: batch.length, retried: batch.length, retryReason: reason };
  }

  const { status, body } = reply;
  if (status >= 500 || status === 429 || !hasResults(body)) {
    const message =
      typeof body === 'object' && body !== null && 'message' in body
        ? String(body.message)
        : `HTTP ${status}`;
    const reason = `HTTP ${status}: ${message}`;
    await markPending(db, ids, reason);
    return { ...empty, sent: batch.length, retried: batch.length, retryReason: reason, status };
  }

  const response = body;
  let acknowledged = 0;
  let rejected = 0;
  const answered = new Set<string>();
  // One local transaction for the whole answer: live queries refresh once per batch, not per mutation.
  await db.transaction(async (tx) => {
    for (const outcome of response.results) {
      const id = outcome.id ?? batch[outcome.index]?.id;
      if (!id) continue;
      if (outcome.status === 'applied' || outcome.status === 'replayed') {
        await acknowledgeMutation(tx, id, { txid: outcome.txid });
        acknowledged++;
        answered.add(id);
      } else if (outcome.status === 'rejected') {
        await rejectMutation(tx, id, { code: outcome.code, message: outcome.message });
        rejected++;
        answered.add(id);
      }
    }
  });
  const unanswered = ids.filter((id) => !answered.has(id));
  const reason =
    unanswered.length === 0
      ? null
      : status < 300
        ? 'the server did not answer for every mutation'
        : `not applied: ${'message' in response ? response.message : `HTTP ${status}`}`;
  if (unanswered.length > 0) await markPending(db, unanswered, reason ?? undefined);
  return {
    sent: batch.length,
    acknowledged,
    rejected,
    retried: unanswered.length,
    retryReason: reason,
    status,
  };
}

/**
 * How long to wait before attempt `attempt` (1-based) after transient failures: exponential from
 * `baseMs`, capped at `maxMs`, with ±20 % jitter so that many clients do not retry in step.
 */
export function retryDelayMs(attempt: number, baseMs = 500, maxMs = 60_000, random = Math.random): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (0.8 + 0.4 * random()));
}
