/**
 * common/mutations/mutation.ts: the one entry point of the write operations, the same on the sync
 * server (inside the API's RLS transaction) and on the local PGlite (optimistic execution).
 *
 *   Mutation ─► prepareMutation(mutation, context)   checks that need no database: the table's rule or
 *               │                                     the named operation's permission, argument schema,
 *               │                                     columns, tenant (OutpostError otherwise)
 *               ▼
 *        PreparedMutation.run(sql)                    the SQL, in the caller's transaction: reads with
 *                                                     FOR UPDATE, business checks, writes; returns the
 *                                                     result for the client and the entity changes
 *
 * Guarantees: `prepareMutation` and `run` fail only with OutpostErrors for anything the request or the
 * data decides (a database error is left for database-errors.ts to map); they never commit, roll back
 * or change session settings: the caller owns the transaction. The caller records `changes` (the
 * server in the audit chain).
 */
import { OutpostError } from '../errors.ts';
import { NAMED_MUTATIONS } from './named.ts';
import { isNamedMutation, type Mutation } from './protocol.ts';
import { prepareTableMutation } from './table-mutation.ts';
import type { MutationContext, PreparedMutation } from './types.ts';

/** Checks a mutation against the rules and the actor; returns what runs it. Throws OutpostError. */
export function prepareMutation(mutation: Mutation, context: MutationContext): PreparedMutation {
  if (!isNamedMutation(mutation)) return prepareTableMutation(mutation, context);
  const operation = NAMED_MUTATIONS.get(mutation.name);
  if (!operation)
    throw new OutpostError(
      'validation',
      `There is no named mutation ${JSON.stringify(mutation.name.slice(0, 100))}; known: ${[...NAMED_MUTATIONS.keys()].join(', ')}.`,
    );
  return operation.prepare(mutation, context);
}
