/**
 * core/audit/verify-subscription.ts: the `audit.verify` subscription (common/rpc/contract.ts): walks a
 * tenant's audit hash chain in the device's database (common/audit/chain-verification.ts) and emits
 * its progress, then the outcome.
 *
 *   audit.verify { tenantId } ─► audit:read? tenant visible? ─► running {checked, total} per page …
 *                              ─► intact {first, last} | broken {the first broken row}
 *
 * Guarantees: only a reader holding audit:read (the permission that syncs audit_logs at all) verifies,
 * and only a tenant among the session's visible tenants (else `forbidden` / `not_found`, before any
 * row is read). Disposing the subscription stops the walk at the next page; nothing is emitted after.
 * Verification reads only: it never writes the database.
 */
import { OutpostError } from '../../common/errors.ts';
import { verifyAuditChain, type ChainDatabase } from '../../common/audit/chain-verification.ts';
import type { QueryReader } from '../../common/queries/query.ts';
import type { AuditVerificationEvent } from '../../common/rpc/contract.ts';

/** Starts the walk; returns the function that stops it. */
export function startAuditVerification(
  db: ChainDatabase,
  reader: QueryReader,
  tenantId: string,
  emit: (event: AuditVerificationEvent) => void,
  fail: (error: unknown) => void,
): () => void {
  if (!reader.permissions.has('audit:read'))
    throw new OutpostError('forbidden', 'Verifying the audit chain needs the permission audit:read.', {
      permission: 'audit:read',
    });
  if (!reader.visibleTenantIds.includes(tenantId))
    throw new OutpostError('not_found', 'This tenant is not one you can see.');
  let stopped = false;
  verifyAuditChain(db, tenantId, {
    cancelled: () => stopped,
    onProgress: ({ checked, total }) => {
      if (!stopped) emit({ state: 'running', checked, total });
    },
  })
    .then((verdict) => {
      if (stopped || !verdict) return;
      if (verdict.ok)
        emit({ state: 'intact', checked: verdict.checked, first: verdict.first, last: verdict.last });
      else emit({ state: 'broken', checked: verdict.checked, broken: verdict.broken });
    })
    .catch((error: unknown) => {
      if (!stopped) fail(error);
    });
  return () => {
    stopped = true;
  };
}
