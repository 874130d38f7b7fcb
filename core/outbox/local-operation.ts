/**
 * core/outbox/local-operation.ts: runs a named mutation (approval.decide, delegation.create,
 * changeset.submit/review/revise/apply; common/mutations/named.ts) optimistically on the local PGlite
 * with the server's own code, and queues it for upload.
 *
 *   runLocalNamedMutation(db, actor, { id?, name, key?, values? })
 *     localWriteCatalog(db)          the WriteCatalog of the local schema (loaded once per database)
 *     prepareMutation(...)           the same checks as the server: known name, permission, argument
 *                                    schemas, database-free rules (OutpostError; nothing runs)
 *     runNamedMutation(db, call, …)  one local transaction: outbox.begin_named ─► the operation's SQL
 *                                    through the public views (row locks, lifecycle triggers, CHECKs,
 *                                    business checks) ─► outbox.end_named
 *     a database error               mapped like the server maps it (mapDatabaseError), else rethrown
 *
 * Guarantees:
 *   - Either the operation's local changes and exactly one named outbox mutation `{ id, name, key,
 *     values }` (the arguments as given, which the server parses again) commit together, or nothing
 *     does: a refusal leaves no row changed and nothing queued.
 *   - A refusal is the OutpostError the server would answer with for the same state (same code).
 *   - The mutation id is lower-cased as the server does; rows the operation creates get ids derived
 *     from it, so the server creates the same rows and sync settles the optimistic ones.
 *   - A later rejection by the server (rejectMutation) undoes exactly this mutation's changes.
 *
 * Security: the actor is the signed-in session's; the server checks everything again with the verified
 * token, so a local run decides nothing, it only predicts.
 */
import type { PGliteInterface } from '@electric-sql/pglite';
import { isOutpostError, OutpostError } from '../../common/errors.ts';
import { loadWriteCatalog, type WriteCatalog } from '../../common/mutations/catalog.ts';
import { mapDatabaseError } from '../../common/mutations/database-errors.ts';
import { prepareMutation } from '../../common/mutations/mutation.ts';
import type { MutationActor } from '../../common/mutations/types.ts';
import type { NamedMutation } from '../../common/mutations/protocol.ts';
import { UUID_PATTERN } from '../../common/mutations/sql.ts';
import { runNamedMutation, type NamedMutationCall } from './named-mutation.ts';

/** A PGlite instance (not a transaction: the operation runs in a transaction of its own). */
export type LocalOperationDatabase = Pick<PGliteInterface, 'query' | 'transaction'>;

export interface LocalNamedMutationCall {
  /** The client-generated mutation id (a uuid); generated when omitted. */
  readonly id?: string;
  readonly name: string;
  readonly key?: Record<string, unknown>;
  readonly values?: Record<string, unknown>;
  /** Keep it in the outbox this long before it may be sent (an undo window); 0 or absent: at once. */
  readonly holdMs?: number;
}

export interface LocalNamedMutationOutcome {
  /** The queued mutation's id (lower-case). */
  readonly id: string;
  /** What the operation returned locally (the server's answer will be the same unless state moved). */
  readonly result: Record<string, unknown>;
}

const catalogs = new WeakMap<LocalOperationDatabase, Promise<WriteCatalog>>();

/**
 * The WriteCatalog of the local database, loaded once per database object. The schema only changes
 * through migrations, which run before a database is handed out.
 */
export function localWriteCatalog(db: LocalOperationDatabase): Promise<WriteCatalog> {
  let catalog = catalogs.get(db);
  if (!catalog) {
    catalog = loadWriteCatalog(db);
    catalogs.set(db, catalog);
    // A failed load is not cached: the next call tries again.
    catalog.catch(() => catalogs.delete(db));
  }
  return catalog;
}

function mutationIdOf(call: LocalNamedMutationCall): string {
  const id = call.id ?? globalThis.crypto.randomUUID();
  if (!UUID_PATTERN.test(id))
    throw new OutpostError('validation', 'The mutation id must be a uuid.', { field: 'id' });
  return id.toLowerCase();
}

/** Runs named mutation `call` for `actor` optimistically and queues it (see the module header). */
export async function runLocalNamedMutation(
  db: LocalOperationDatabase,
  actor: MutationActor,
  call: LocalNamedMutationCall,
): Promise<LocalNamedMutationOutcome> {
  const catalog = await localWriteCatalog(db);
  const mutation: NamedMutationCall & NamedMutation = {
    id: mutationIdOf(call),
    name: call.name,
    ...(call.key ? { key: call.key } : {}),
    ...(call.values ? { values: call.values } : {}),
  };
  const prepared = prepareMutation(mutation, { actor, catalog });
  try {
    return await runNamedMutation(
      db,
      { ...mutation, ...(call.holdMs ? { holdMs: call.holdMs } : {}) },
      async (sql) => (await prepared.run(sql)).result,
    );
  } catch (error) {
    if (isOutpostError(error)) throw error;
    throw mapDatabaseError(error, catalog.constraint) ?? error;
  }
}
