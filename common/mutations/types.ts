/**
 * common/mutations/types.ts: the types every write operation shares: who writes (MutationActor), what
 * an operation runs with (MutationContext), and what it returns (AppliedMutation with its
 * EntityChanges for the audit log, PreparedMutation). A leaf module: it imports nothing of the
 * operations, so mutation.ts (the entry point), named.ts (the registry) and the operations themselves
 * import it without a cycle.
 */
import type { WriteCatalog } from './catalog.ts';
import type { SqlQueryable } from './sql.ts';

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
