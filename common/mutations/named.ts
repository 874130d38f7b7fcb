/**
 * common/mutations/named.ts: the registry of named mutations, the business operations that need more
 * than a table's rule and the database's constraints (who may decide, what state a row must be in,
 * several rows changed together).
 *
 *   approval.decide     approve or reject a pending approval, as one of its approvers or their delegate
 *   delegation.create   delegate one's approval authority to a user of the same tenant for a period
 *   delegation.revoke   the delegator takes a delegation back (is_active false)
 *   changeset.submit    draft ──► pending_review (needs at least one patch)
 *   changeset.review    pending_review ──► approved | rejected (a rejection needs a reason)
 *   changeset.revise    rejected ──► draft
 *   changeset.withdraw  pending_review | approved ──► draft (the author)
 *   changeset.apply     approved ──► applied, writing its patches into the workspace's files
 *   workspace_run.request  a queued run of record (sdf_validate, jest_test, suiteql_assertion)
 *   <machine>.transition  a person's move of any other lifecycle (work_item.transition { event:
 *                       'cancel' }, alert.transition { event: 'mute' }, ...; transitions.ts)
 *
 * Guarantees: each operation names one permission, checked before anything else; its arguments
 * (`key` and `values` of the envelope) are parsed by a strict zod schema, so an unknown or malformed
 * argument is a `validation` error naming it. Lifecycle moves are decided by common/lifecycles (the
 * same tables the database triggers enforce).
 *
 * Types: `OperationName` is the union of the names, `OperationInput<N>` what a caller sends for one
 * (the schemas' input types) and `OperationResult<N>` what it answers, so a caller naming an operation
 * is checked against that operation's arguments at compile time; the RPC contract's `mutation.run`
 * validates the same schemas at run time (common/rpc/contract.ts).
 */
import type { z } from 'zod';
import { APPROVAL_OPERATIONS } from './approvals.ts';
import { CHANGESET_OPERATIONS } from './changesets.ts';
import { TRANSITION_OPERATIONS } from './transitions.ts';
import { WORKSPACE_RUN_OPERATIONS } from './workspace-runs.ts';
import type { NamedOperation } from './named-operation.ts';

const OPERATIONS = [
  ...APPROVAL_OPERATIONS,
  ...CHANGESET_OPERATIONS,
  ...WORKSPACE_RUN_OPERATIONS,
  ...TRANSITION_OPERATIONS,
] as const;

type AnyOperation = (typeof OPERATIONS)[number];
export type OperationName = AnyOperation['name'];
/** The operation(s) whose name type covers `N` (a transition's name is `<machine>.transition`). */
type OperationOf<N extends OperationName> = AnyOperation extends infer O
  ? O extends { readonly name: infer Name }
    ? N extends Name
      ? O
      : never
    : never
  : never;

/** What a caller sends for operation `N`: its `key` and `values`, as the schemas accept them. */
export type OperationInput<N extends OperationName> = {
  readonly key: z.input<OperationOf<N>['key']>;
  readonly values: z.input<OperationOf<N>['values']>;
};

/** What operation `N` answers (locally, and from the server unless the state moved meanwhile). */
export type OperationResult<N extends OperationName> =
  OperationOf<N> extends NamedOperation<string, z.ZodType, z.ZodType, infer R> ? R : never;

export const NAMED_MUTATIONS: ReadonlyMap<string, NamedOperation> = new Map(
  OPERATIONS.map((op) => [op.name, op as unknown as NamedOperation]),
);

/** Every operation, typed: for schemas built from the registry (the RPC contract). */
export const NAMED_OPERATION_LIST: readonly AnyOperation[] = OPERATIONS;
