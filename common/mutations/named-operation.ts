/**
 * common/mutations/named-operation.ts: how a named mutation is declared: its permission, the strict
 * zod schemas of its `key` and `values`, database-free checks, and the SQL it runs.
 *
 * Guarantees: the permission is checked before anything else; arguments are parsed by the schemas
 * (an unknown or malformed argument is a `validation` error naming it) before `check` and `run` see
 * them; `run` gets only the parsed arguments, never the raw envelope.
 *
 * One implementation, two databases: `run` is the same SQL on the central PostgreSQL and on a client's
 * PGlite (core/outbox/local-operation.ts runs it optimistically). Locally the tables are simple views
 * over `local.<t>_state`, so `SELECT ... FOR UPDATE` locks the underlying rows and INSERT/UPDATE/DELETE
 * ... RETURNING go through the views' INSTEAD OF triggers; `writes` names every table `run` may change,
 * and each of them needs a local overlay (docs/local-schema.md), even one no plain write may touch.
 */
import { z } from 'zod';
import { OutpostError } from '../errors.ts';
import { toPgArrayLiteral } from '../sync/pg-array-literal.ts';
import type { AppliedMutation, MutationContext, PreparedMutation } from './types.ts';
import { describeIssues, type NamedMutation } from './protocol.ts';
import { queryRows, quoteIdent, UUID_PATTERN, type SqlQueryable } from './sql.ts';

/**
 * A declared named mutation. The type parameters keep what the caller may send (`Key`,
 * `Values`: the argument schemas, whose input types a caller sends) and what the operation answers (`Result`), so a typed caller
 * (common/mutations/named.ts `OperationInput`, the renderer's `runOperation`) is checked per name.
 */
export interface NamedOperation<
  Name extends string = string,
  Key extends z.ZodType = z.ZodType,
  Values extends z.ZodType = z.ZodType,
  Result extends Record<string, unknown> = Record<string, unknown>,
> {
  readonly name: Name;
  readonly permission: string;
  /** The tables `run` may insert, update or delete rows of. */
  readonly writes: readonly string[];
  /** The argument schemas (their input types are what a caller sends). */
  readonly key: Key;
  readonly values: Values;
  prepare(mutation: NamedMutation, context: MutationContext): PreparedMutation;
  /** Type only: what the operation answers (never set at run time). */
  readonly resultType?: Result;
}

/** What an operation's `run` returns: its typed result and the rows it changed. */
export interface OperationOutcome<Result extends Record<string, unknown>> extends AppliedMutation {
  readonly result: Result;
}

export interface NamedOperationSpec<
  Name extends string,
  Key extends z.ZodType,
  Values extends z.ZodType,
  Result extends Record<string, unknown>,
> {
  readonly name: Name;
  readonly permission: string;
  /** The tables `run` may insert, update or delete rows of (each needs a local overlay). */
  readonly writes: readonly string[];
  readonly key: Key;
  readonly values: Values;
  /** Checks that need the actor but no database (throw OutpostError). */
  readonly check?: (args: { key: z.output<Key>; values: z.output<Values> }, context: MutationContext) => void;
  /**
   * The operation's SQL. `mutationId` is the envelope's id (lower-case), the same on the client and the
   * server: rows an operation creates without an id from the request get one derived from it
   * (`derivedIdSql`), so the optimistic local row and the server's row are the same row.
   */
  readonly run: (
    args: { key: z.output<Key>; values: z.output<Values>; mutationId: string },
    context: MutationContext,
    sql: SqlQueryable,
  ) => Promise<OperationOutcome<Result>>;
}

/** One part of a named mutation (`key` or `values`) parsed by its schema, or a `validation` error naming it. */
export function parsePart<S extends z.ZodType>(
  schema: S,
  value: unknown,
  part: string,
  name: string,
): z.output<S> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success)
    throw new OutpostError(
      'validation',
      `Invalid ${part} for ${name}: ${describeIssues(parsed.error, part)}.`,
    );
  return parsed.data;
}

export function defineNamedOperation<
  const Name extends string,
  Key extends z.ZodType,
  Values extends z.ZodType,
  Result extends Record<string, unknown>,
>(spec: NamedOperationSpec<Name, Key, Values, Result>): NamedOperation<Name, Key, Values, Result> {
  return {
    name: spec.name,
    permission: spec.permission,
    writes: spec.writes,
    key: spec.key,
    values: spec.values,
    prepare(mutation, context) {
      if (!context.actor.permissions.has(spec.permission))
        throw new OutpostError('forbidden', `${spec.name} needs the permission ${spec.permission}.`, {
          permission: spec.permission,
        });
      const args = {
        key: parsePart(spec.key, mutation.key, 'key', spec.name),
        values: parsePart(spec.values, mutation.values, 'values', spec.name),
      };
      spec.check?.(args, context);
      const mutationId = mutation.id.toLowerCase();
      return { label: spec.name, run: (sql) => spec.run({ ...args, mutationId }, context, sql) };
    },
  };
}

/** Common argument schemas. */
export const uuidArg = z
  .string()
  .regex(UUID_PATTERN, 'a uuid')
  .transform((s) => s.toLowerCase());
export const byId = z.strictObject({ id: uuidArg });
export const noValues = z.strictObject({});
/** A lone UTF-16 surrogate: text that is not Unicode, which jsonb refuses. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Free text of an argument: bounded, and storable as text and inside jsonb (audit metadata). */
export const textArg = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine(
      (s) => !s.includes('\u0000') && !LONE_SURROGATE.test(s),
      'text must not contain NUL bytes or unpaired surrogates',
    );

export const reasonArg = textArg(2000).refine((s) => s.length > 0, 'a reason must not be blank');

export type Row = Record<string, unknown>;

/**
 * SQL for the id of a row an operation creates: a uuid derived (md5) from the mutation id and a part
 * that tells the rows of one mutation apart, both given as text expressions (bind parameters).
 * Deterministic, so a client running the operation optimistically creates the row the server will.
 */
export function derivedIdSql(mutationId: string, part: string): string {
  return `md5(${mutationId}::text || '/' || ${part}::text)::uuid`;
}

/**
 * One row of `table` by id among the actor's visible tenants, locked FOR UPDATE, with the extra
 * `columns` expressions (constant SQL over alias `t`); null when none is visible. Locally `table` is a
 * simple view, and the lock is taken on the row of `local.<t>_state` under it. The table's name is the
 * catalog's (an unknown table is a bug, not a request error); `tenants` rows are scoped by their id.
 */
export async function lockRow(
  sql: SqlQueryable,
  context: MutationContext,
  table: string,
  id: string,
  columns = '',
): Promise<(Row & { row: Row }) | null> {
  const name = context.catalog.require(table).name;
  const scope = name === 'tenants' ? 't.id' : 't.tenant_id';
  const [found] = await queryRows<Row & { row: Row }>(
    sql,
    `SELECT to_jsonb(t) AS row${columns ? `, ${columns}` : ''} FROM ${quoteIdent(name)} t
      WHERE t.id = $1 AND ${scope} = ANY ($2::uuid[]) FOR UPDATE`,
    [id, toPgArrayLiteral(context.actor.visibleTenantIds)],
  );
  return found ?? null;
}
