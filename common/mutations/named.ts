/**
 * common/mutations/named.ts: the registry of named mutations, the business operations that need more
 * than a table's rule and the database's constraints (who may decide, what state a row must be in,
 * several rows changed together).
 *
 *   approval.decide     approve or reject a pending approval, as one of its approvers or their delegate
 *   delegation.create   delegate one's approval authority to a user of the same tenant for a period
 *   changeset.submit    draft ──► pending_review (needs at least one patch)
 *   changeset.review    pending_review ──► approved | rejected (a rejection needs a reason)
 *   changeset.revise    rejected ──► draft
 *   changeset.apply     approved ──► applied, writing its patches into the workspace's files
 *
 * Guarantees: each operation names one permission, checked before anything else; its arguments
 * (`key` and `values` of the envelope) are parsed by a strict zod schema, so an unknown or malformed
 * argument is a `validation` error naming it. Lifecycle moves are decided by common/lifecycles (the
 * same tables the database triggers enforce).
 */
import { APPROVAL_OPERATIONS } from './approvals.ts';
import { CHANGESET_OPERATIONS } from './changesets.ts';
import type { NamedOperation } from './named-operation.ts';

export const NAMED_MUTATIONS: ReadonlyMap<string, NamedOperation> = new Map(
  [...APPROVAL_OPERATIONS, ...CHANGESET_OPERATIONS].map((op) => [op.name, op]),
);
