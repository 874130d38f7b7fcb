/**
 * common/records/labels.ts: how a row is named for a person, one rule per table: a user by their name
 * (or email), a tenant, an assistant or a workflow by its name, a work item or an approval by its title,
 * a workspace file by its path, a chat message by the start of its text. Rules are derived from the
 * table's columns where one names the row; a few tables say it explicitly. A row with nothing to name it
 * reads as its kind and the start of its id ("Payout line 1f0c2a9b").
 *
 * The rule is SQL over an alias (`labelSql`), so the core can name referenced rows inside the same
 * statement that reads a page (core/tables/table-sql.ts). Guarantees: the SQL is built only from
 * catalog column names (quoted) and constants of this module; it contains no `%` and no `$` (PGlite's
 * live queries inline parameters with format()).
 *
 * References that are not foreign keys (arrays of user ids, actor columns without a constraint) are
 * listed in EXTRA_REFERENCES.
 */
import { quoteIdent } from '../mutations/sql.ts';
import { tableNoun } from './fields.ts';

/** Tables whose label the column rule below would get wrong. SQL over `x`. */
const EXPLICIT: Readonly<Record<string, (x: string) => string>> = {
  users: (x) => `coalesce(nullif(btrim(${x}."full_name"), ''), ${x}."email")`,
  end_users: (x) => `coalesce(nullif(btrim(${x}."name"), ''), ${x}."email", ${x}."external_id")`,
  chat_messages: (x) => `left(${x}."content", 80)`,
  knowledge_chunks: (x) => `left(${x}."content", 80)`,
  user_roles: (x) => `'Role assignment ' || left(${x}."id"::text, 8)`,
  payments: (x) => `coalesce(${x}."payment_id", ${x}."source_id")`,
  payouts: (x) => `coalesce(${x}."payout_id", ${x}."source_id")`,
  disputes: (x) => `coalesce(${x}."charge_id", ${x}."source_id")`,
  refunds: (x) => `'Refund of ' || coalesce(${x}."order_id", ${x}."source_id")`,
};

/** Columns that name a row, best first. Long text is cut to 80 characters. */
const NAMING_COLUMNS = [
  'full_name',
  'name',
  'title',
  'display_name',
  'label',
  'room_name',
  'client_name',
  'metric_name',
  'order_number',
  'file_name',
  'path',
  'file_path',
  'email',
  'slug',
  'step',
  'job_type',
  'event_type',
  'run_type',
  'source_field',
  'review_type',
  'description',
  'reason',
  'query',
] as const;

const LONG = new Set(['description', 'reason', 'query']);

/** References that are not foreign keys: `table.column` → the table its values are ids of. */
export const EXTRA_REFERENCES: Readonly<Record<string, string>> = {
  'approvals.approver_ids': 'users',
  'audit_logs.actor_id': 'users',
};

/** The label of a row of `table` (with these columns) as SQL over alias `x`. */
export function labelSql(table: string, columns: readonly string[], x: string): string {
  const explicit = EXPLICIT[table];
  if (explicit) return explicit(x);
  const has = new Set(columns);
  const naming = NAMING_COLUMNS.filter((c) => has.has(c)).map((c) =>
    LONG.has(c) ? `left(${x}.${quoteIdent(c)}::text, 80)` : `${x}.${quoteIdent(c)}::text`,
  );
  const noun = tableNoun(table).replace(/'/g, "''");
  const fallback = has.has('id')
    ? `'${noun.charAt(0).toUpperCase()}${noun.slice(1)} ' || left(${x}."id"::text, 8)`
    : `'${noun}'`;
  return naming.length > 0
    ? `coalesce(${[...naming.map((n) => `nullif(btrim(${n}), '')`), fallback].join(', ')})`
    : fallback;
}
