/**
 * common/queries/query.ts: how a named read query is declared. A query is a name, the permission it
 * needs, a strict zod schema of its parameters, the SQL it runs on the local database (the client's
 * PGlite, where `public.<t>` holds the rows the server sent this user plus their pending local changes)
 * and the TypeScript type of its rows.
 *
 *   view ─► query.run / query.live { name, params } (common/rpc/contract.ts)
 *        ─► core/queries/query-service.ts: permission ─► params parsed ─► sql(params, reader) ─► rows
 *
 * Guarantees:
 *   - The permission is checked before anything else; params are parsed by the strict schema (an unknown
 *     or malformed parameter is a `validation` error naming it) before `sql` sees them.
 *   - `sql` returns constant text with bind parameters: no parameter value is ever printed into SQL.
 *   - Every query scopes rows to the reader's visible tenants (and to `tenantId` when a holding user
 *     narrowed the view), on top of what the local database holds, so a scope switch never shows rows
 *     of another tenant.
 *   - Rows are plain values (dates as ISO strings), so they cross the RPC port unchanged.
 *
 * Adding a query: one `defineQuery` in `common/queries/<domain>.ts` and one entry in registry.ts.
 */
import { z } from 'zod';
import { OutpostError } from '../errors.ts';
import { describeIssues } from '../mutations/protocol.ts';
import { UUID_PATTERN } from '../mutations/sql.ts';

/** Who reads: the signed-in session (the server decided what the local database holds). */
export interface QueryReader {
  readonly userId: string;
  readonly tenantId: string;
  readonly visibleTenantIds: readonly string[];
  readonly permissions: ReadonlySet<string>;
}

export interface QueryStatement {
  readonly text: string;
  readonly params: readonly (string | number | boolean | null)[];
}

/**
 * A declared query. `Params` is the parameter schema (its input type is what a caller sends), `Row`
 * the type of one row.
 */
export interface NamedQuery<
  Name extends string = string,
  Params extends z.ZodType = z.ZodType,
  Row = unknown,
> {
  readonly name: Name;
  /** The permission the query needs (null: any signed-in member of the tenant). */
  readonly permission: string | null;
  readonly params: Params;
  /** The relations it reads, for documentation and live-query reasoning. */
  readonly reads: readonly string[];
  /** Columns whose values are dates without a time (sent as `YYYY-MM-DD`). */
  readonly dateOnly?: readonly string[];
  /** The statement for parsed parameters. */
  statement(params: z.output<Params>, reader: QueryReader): QueryStatement;
  /** Type only: the row type (never set at run time). */
  readonly rowType?: Row;
}

export function defineQuery<Row>() {
  return <const Name extends string, Params extends z.ZodType>(
    spec: Omit<NamedQuery<Name, Params, Row>, 'rowType'>,
  ): NamedQuery<Name, Params, Row> => spec;
}

/** Checks the permission and parses the parameters (see the module header). */
export function prepareQuery<Q extends NamedQuery>(
  query: Q,
  params: unknown,
  reader: QueryReader,
): QueryStatement {
  if (query.permission !== null && !reader.permissions.has(query.permission))
    throw new OutpostError('forbidden', `${query.name} needs the permission ${query.permission}.`, {
      permission: query.permission,
    });
  const parsed = query.params.safeParse(params ?? {});
  if (!parsed.success)
    throw new OutpostError(
      'validation',
      `Invalid params for ${query.name}: ${describeIssues(parsed.error, 'params')}.`,
    );
  return query.statement(parsed.data, reader);
}

/** Common parameter schemas. */
export const uuidParam = z
  .string()
  .regex(UUID_PATTERN, 'a uuid')
  .transform((s) => s.toLowerCase());

/** A holding user's tenant scope: one of their visible tenants, or null for all of them. */
export const tenantScopeParam = uuidParam.nullable().default(null);

export const limitParam = (max: number, fallback: number) =>
  z.number().int().min(1).max(max).default(fallback);

/**
 * The tenant condition every query applies to alias `alias`: one of the reader's visible tenants, and
 * the scoped tenant when one is given (the scope must itself be visible, else nothing matches).
 * `$n` numbers are `first` and `first + 1`.
 */
export function tenantCondition(alias: string, first: number): string {
  return `${alias}.tenant_id = ANY ($${first}::uuid[]) AND ($${first + 1}::uuid IS NULL OR ${alias}.tenant_id = $${first + 1}::uuid)`;
}

/** A person's display name: full name, else email. */
export function personName(alias: string): string {
  return `coalesce(nullif(btrim(${alias}.full_name), ''), ${alias}.email)`;
}
