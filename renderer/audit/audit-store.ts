/**
 * renderer/audit/audit-store.ts: what the audit view holds across renders in this window: the tenant
 * shown, the filters, how many events are listed, the active event, and the last verification of each
 * tenant's chain. The keyboard commands of renderer/audit/view.tsx act on it.
 */
import { create } from 'zustand';
import type { AuditVerificationEvent } from '../../common/rpc/contract.ts';
import { NO_AUDIT_FILTERS, type AuditFilters } from './audit-model.ts';

export const PAGE = 200;
export const MAX_LISTED = 5000;

export interface AuditState {
  readonly tenantId: string | null;
  readonly filters: AuditFilters;
  readonly limit: number;
  readonly active: string | null;
  /** The ids listed now, in order (for j / k). */
  readonly ids: readonly string[];
  /** The entity type of each listed event, parallel to `ids` (Enter opens its table). */
  readonly entityTypes: readonly string[];
  readonly verification: AuditVerificationEvent | null;
  readonly verifying: boolean;
}

export const useAudit = create<AuditState>()(() => ({
  tenantId: null,
  filters: NO_AUDIT_FILTERS,
  limit: PAGE,
  active: null,
  ids: [],
  entityTypes: [],
  verification: null,
  verifying: false,
}));

export function setAuditFilter(change: Partial<AuditFilters>): void {
  useAudit.setState((s) => ({ filters: { ...s.filters, ...change }, limit: PAGE }));
}

/** Moves the active event by `delta` rows (j / k, ↓ / ↑), listing more at the end. */
export function moveActive(delta: number): void {
  const { ids, active, limit } = useAudit.getState();
  if (ids.length === 0) return;
  const at = active === null ? -1 : ids.indexOf(active);
  const next = Math.max(0, Math.min(ids.length - 1, at + delta));
  useAudit.setState({ active: ids[next] ?? null });
  if (next >= ids.length - 5 && ids.length >= limit) showMore();
}

export function showMore(): void {
  useAudit.setState((s) => ({ limit: Math.min(MAX_LISTED, s.limit + PAGE) }));
}

export function focusAuditList(): void {
  document.getElementById('audit-list')?.focus();
}
