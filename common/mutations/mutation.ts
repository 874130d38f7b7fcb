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
import type { WriteCatalog } from './catalog.ts';
import { NAMED_MUTATIONS } from './named.ts';
import { isNamedMutation, type Mutation } from './protocol.ts';
import type { SqlQueryable } from './sql.ts';
import { prepareTableMutation } from './table-mutation.ts';

/** Who is writing: from the verified token on the server, from the signed-in session locally. */
export interface MutationActor {
  readonly userId: string;
  /** The tenant of the session (`app.tenant_id`). */
  readonly tenantId: string;
  readonly permissions: ReadonlySet<string>;
  /** Tenants whose rows the actor may write (own tenant; plus subsidiaries for a holding). */
  readonly visibleTenantIds: readonly string[];
}

export interface MutationContext {
  readonly actor: MutationActor;
  readonly catalog: WriteCatalog;
}

/** One row an operation created, changed or removed: what the audit log records. */
export interface EntityChange {
  /** The tenant of the row (the chain its audit event goes into). */
  readonly tenantId: string;
  /** e.g. `workspaces.insert`, `approval.approved`. */
  readonly action: string;
  /** Audit category (the rule's domain). */
  readonly category: string;
  readonly entityType: string;
  readonly entityId: string;
  /** Without server-only columns (WriteCatalog.publicState). */
  readonly before: Record<string, unknown> | null;
  readonly after: Record<string, unknown> | null;
  readonly metadata?: Record<string, unknown>;
}

export interface AppliedMutation {
  /** What the client gets back (and a replay returns): small, no secrets. */
  readonly result: Record<string, unknown>;
  readonly changes: readonly EntityChange[];
}

export interface PreparedMutation {
  /** `table.op` or the operation's name, for messages and logs. */
  readonly label: string;
  run(sql: SqlQueryable): Promise<AppliedMutation>;
}

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
