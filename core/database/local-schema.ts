/**
 * core/database/local-schema.ts: the names of the local schema (migrations/client, docs/local-schema.md)
 * as the rest of the core needs them: where the sync applier writes each table, and which tables a
 * client writes through the outbox.
 *
 *   writable table t (a `write` rule):  synced.t (server state, the applier's)  ─►  local.t_state (what
 *                                        the app sees)  ◄─  public.t (view; INSTEAD OF ─► outbox)
 *   any other synced table t:           public.t (server state, the applier's only)
 *
 * Guarantees: derived from common/sync/rules.ts only, so it names the same tables as the client
 * migrations (core/database/local-schema.pglite.test.ts checks the installed schema against it).
 */
import { NAMED_MUTATIONS } from '../../common/mutations/named.ts';
import { SYNC_RULES, type TableRule } from '../../common/sync/rules.ts';

/** Server state of the writable tables (pglite-sync writes here). */
export const SERVER_STATE_SCHEMA = 'synced';
/** What the app sees of the writable tables (`local.<t>_state`): server state plus pending local writes. */
export const LOCAL_STATE_SCHEMA = 'local';
/** The write path: mutations, effects, rejections, and the machinery functions. */
export const OUTBOX_SCHEMA = 'outbox';
/** Column of every synced.<t>: the txid of the last shape message that wrote the row. */
export const SYNCED_TXID_COLUMN = '_synced_txid';

/** The rules of the tables a client writes through the outbox, by table name. */
export const WRITABLE_RULES: ReadonlyMap<string, TableRule> = new Map(
  [...SYNC_RULES.values()].filter((rule) => rule.write !== null).map((rule) => [rule.table, rule]),
);

/**
 * Tables only named mutations write (no `write` rule; `delegation.create` writes approval_delegations):
 * they have an overlay too (migrations/client/0203), whose write rule allows no plain write.
 */
export const NAMED_ONLY_TABLES: ReadonlySet<string> = new Set(
  [...NAMED_MUTATIONS.values()].flatMap((op) => op.writes).filter((table) => !WRITABLE_RULES.has(table)),
);

/** Whether `table` is a view over local.<t>_state with its server state in synced.<t>. */
export function hasLocalOverlay(table: string): boolean {
  return WRITABLE_RULES.has(table) || NAMED_ONLY_TABLES.has(table);
}

/**
 * The name of a writable table's local state in LOCAL_STATE_SCHEMA. Not the table's own name: PGlite's
 * live queries follow view dependencies by relation name, and would recurse forever from the view
 * `public.t` into a table also called `t`.
 */
export function localStateTableOf(table: string): string {
  return `${table}_state`;
}

export function isWritableTable(table: string): boolean {
  return WRITABLE_RULES.has(table);
}

/** The schema the sync applier writes `table` into. */
export function applierSchemaOf(table: string): typeof SERVER_STATE_SCHEMA | 'public' {
  return hasLocalOverlay(table) ? SERVER_STATE_SCHEMA : 'public';
}
