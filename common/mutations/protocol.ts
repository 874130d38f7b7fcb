/**
 * common/mutations/protocol.ts: the wire format of the write API (`POST /v1/mutations`), shared by the
 * sync server, which serves it, and the client's outbox, which sends it. docs/protocol.md ("Write API")
 * is the prose version.
 *
 *   request   { mutations: [ { id, table, op, key?, values? } | { id, name, key?, values? } ] }
 *   200       { txid, results: [ { index, id, status: 'applied' | 'replayed', txid, result } ] }
 *   4xx       { code, message, results: [ { index, id, status: 'rejected', code, message }
 *                                       | { index, id, status: 'not_applied' | 'replayed', ... } ] }
 *
 * Guarantees: parsing never throws anything but an OutpostError (`validation`, or `payload_too_large`
 * for an over-long batch); every string in an envelope is bounded; `id` is a canonical uuid,
 * lower-cased (the idempotency key); exactly one of `table` and `name` is given.
 */
import { z } from 'zod';
import { OutpostError, type ErrorCode } from '../errors.ts';
import type { WriteOperation } from '../sync/rules.ts';
import { UUID_PATTERN } from './sql.ts';

export const WRITE_OPERATIONS = ['insert', 'update', 'delete'] as const satisfies readonly WriteOperation[];

/** Mutations one request may carry unless the server is configured otherwise. */
export const DEFAULT_MAX_MUTATIONS_PER_BATCH = 100;

/** Field names: what a column or argument name can look like (anything else is refused before any lookup). */
const FIELD_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

const fields = z
  .record(
    z.string().regex(FIELD_NAME, 'a column or argument name (lower-case letters, digits, _)'),
    z.unknown(),
  )
  .refine((r) => Object.keys(r).length <= 200, 'at most 200 fields');

const mutationId = z
  .string()
  .regex(UUID_PATTERN, 'a uuid (the client-generated mutation id)')
  .transform((s) => s.toLowerCase());

const tableMutation = z.strictObject({
  id: mutationId,
  table: z.string().min(1).max(63),
  op: z.enum(WRITE_OPERATIONS),
  key: fields.optional(),
  values: fields.optional(),
});

const namedMutation = z.strictObject({
  id: mutationId,
  name: z.string().min(1).max(100),
  key: fields.optional(),
  values: fields.optional(),
});

export type TableMutation = z.infer<typeof tableMutation>;
export type NamedMutation = z.infer<typeof namedMutation>;
export type Mutation = TableMutation | NamedMutation;

export function isNamedMutation(m: Mutation): m is NamedMutation {
  return 'name' in m;
}

/** `table.op` or the name, for messages (clipped: it is the client's text). */
export function mutationLabel(m: Mutation): string {
  return (isNamedMutation(m) ? m.name : `${m.table}.${m.op}`).slice(0, 100);
}

/** What one mutation of a batch came to. */
export type MutationOutcome =
  | {
      readonly index: number;
      readonly id: string;
      readonly status: 'applied' | 'replayed';
      readonly txid: number;
      readonly result: Readonly<Record<string, unknown>>;
    }
  | {
      readonly index: number;
      readonly id: string | null;
      readonly status: 'rejected';
      readonly code: ErrorCode;
      readonly message: string;
    }
  | { readonly index: number; readonly id: string; readonly status: 'not_applied' };

export interface MutationResponse {
  /** The 32-bit xid of the transaction that applied the batch (what shape messages carry in `txids`). */
  readonly txid: number;
  readonly results: readonly MutationOutcome[];
}

export interface MutationErrorResponse {
  readonly code: ErrorCode;
  readonly message: string;
  readonly results: readonly MutationOutcome[];
}

/** One envelope of a batch: parsed, or the reason it is not a mutation. */
export type ParsedEnvelope =
  | { readonly ok: true; readonly index: number; readonly mutation: Mutation }
  | { readonly ok: false; readonly index: number; readonly id: string | null; readonly error: OutpostError };

/** Zod issues as one readable sentence naming the fields. */
export function describeIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join('.') || 'body'}: ${i.message}`)
    .join('; ');
}

const requestShape = z.strictObject({ mutations: z.array(z.unknown()) });

/**
 * The envelopes of a request body. Throws for a body that is not a batch at all (400) or too long
 * (413); a malformed single envelope is reported in its own slot, so the response can name it.
 */
export function parseMutationRequest(
  body: unknown,
  maxMutations = DEFAULT_MAX_MUTATIONS_PER_BATCH,
): ParsedEnvelope[] {
  const parsed = requestShape.safeParse(body);
  if (!parsed.success)
    throw new OutpostError(
      'validation',
      `The body must be {"mutations": [...]}: ${describeIssues(parsed.error)}.`,
    );
  const list = parsed.data.mutations;
  if (list.length === 0)
    throw new OutpostError('validation', 'The batch is empty: send at least one mutation.');
  if (list.length > maxMutations)
    throw new OutpostError(
      'payload_too_large',
      `A batch holds at most ${maxMutations} mutations; this one has ${list.length}. Split it into smaller batches.`,
      { limit: maxMutations, count: list.length },
    );
  const seen = new Set<string>();
  return list.map((raw, index): ParsedEnvelope => {
    const rawId = idOf(raw);
    const named = typeof raw === 'object' && raw !== null && 'name' in raw;
    const hasTable = typeof raw === 'object' && raw !== null && 'table' in raw;
    if (named && hasTable)
      return failed(index, rawId, 'A mutation has either a `table` (with `op`) or a `name`, not both.');
    if (!named && !hasTable)
      return failed(
        index,
        rawId,
        'A mutation needs a `table` and an `op`, or the `name` of a named mutation.',
      );
    const result = (named ? namedMutation : tableMutation).safeParse(raw);
    if (!result.success) return failed(index, rawId, `Invalid mutation: ${describeIssues(result.error)}.`);
    if (seen.has(result.data.id))
      return failed(index, result.data.id, `The mutation id ${result.data.id} appears twice in this batch.`);
    seen.add(result.data.id);
    return { ok: true, index, mutation: result.data };
  });
}

function idOf(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null || !('id' in raw)) return null;
  const id = raw.id;
  return typeof id === 'string' && UUID_PATTERN.test(id) ? id.toLowerCase() : null;
}

function failed(index: number, id: string | null, message: string): ParsedEnvelope {
  return { ok: false, index, id, error: new OutpostError('validation', message) };
}
