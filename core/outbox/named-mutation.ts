/**
 * core/outbox/named-mutation.ts: the hook that runs a named mutation (common/mutations: approval.decide,
 * changeset.submit, ...) optimistically against the local database.
 *
 *   runNamedMutation(db, { id, name, key, values }, run)
 *     one local transaction:
 *       outbox.begin_named ─► the mutation is queued (one outbox entry, uploaded as {id, name, key, values})
 *       run(sql)           ─► the operation's own SQL through the public views, with the same rules as
 *                             the server (lifecycle triggers, CHECKs); every row it changes is recorded as
 *                             an effect of this mutation, not as a table write of its own
 *       outbox.end_named
 *       holdMs           ─► send_after = now() + holdMs: an undo window (migrations/client/0310)
 *     run throws ─► the transaction rolls back: nothing is queued and no local row changed.
 *
 * Guarantees: the queued mutation and its local changes commit together or not at all; a rejection by
 * the server later undoes exactly this mutation's changes (outbox.reject). Inside `run` the operation
 * sees the local state (server state plus earlier pending writes), as the server will see its own.
 */
import type { PGliteInterface, Transaction } from '@electric-sql/pglite';
import type { SqlQueryable } from '../../common/mutations/sql.ts';

export interface NamedMutationCall {
  /** The client-generated mutation id (a uuid); generated here when omitted. */
  readonly id?: string;
  readonly name: string;
  readonly key?: Readonly<Record<string, unknown>>;
  readonly values?: Readonly<Record<string, unknown>>;
  /** Not sent before this many milliseconds from now (outbox.mutations.send_after); absent: at once. */
  readonly holdMs?: number;
}

export interface NamedMutationOutcome<T> {
  readonly id: string;
  readonly result: T;
}

export async function runNamedMutation<T>(
  db: Pick<PGliteInterface, 'transaction'>,
  call: NamedMutationCall,
  run: (sql: SqlQueryable & Transaction) => Promise<T>,
): Promise<NamedMutationOutcome<T>> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string }>(
      `SELECT outbox.begin_named($1::uuid, $2, $3, $4)::text AS id`,
      [call.id ?? null, call.name, call.key ?? null, call.values ?? null],
    );
    const id = rows[0]?.id;
    if (!id) throw new Error('outbox.begin_named returned no id');
    const result = await run(tx);
    await tx.query(`SELECT outbox.end_named()`);
    if (call.holdMs !== undefined && call.holdMs > 0)
      await tx.query(
        `UPDATE outbox.mutations SET send_after = now() + $2::int * interval '1 millisecond' WHERE id = $1::uuid`,
        [id, Math.round(call.holdMs)],
      );
    return { id, result };
  });
}
