/**
 * common/lifecycles/tenant.ts: the tenant lifecycle (001's ACTIVE / SUSPENDED / ARCHIVED).
 *
 *   active ──suspend──► suspended ──archive──► archived
 *     ▲ │                  │  ▲                   │
 *     │ └─────archive──────┼──┼──────────────────►│
 *     └──────reactivate────┘  └──────restore──────┘
 *
 * Nothing is final: an archived tenant (kept for retention, invisible to its users) can be restored,
 * and comes back suspended, so that going live again is a separate, deliberate `reactivate`.
 * `tenants.is_active` must follow (`CHECK (is_active = (status = 'active'))`): whoever moves the
 * status sets both in the same UPDATE.
 */
import { REFUSED, type Lifecycle } from './state-machine.ts';

export const TENANT_STATES = ['active', 'suspended', 'archived'] as const;
export const TENANT_EVENTS = ['suspend', 'reactivate', 'archive', 'restore'] as const;
export type TenantState = (typeof TENANT_STATES)[number];
export type TenantEvent = (typeof TENANT_EVENTS)[number];

const R = REFUSED;

export const tenantLifecycle: Lifecycle<TenantState, TenantEvent> = {
  name: 'tenant',
  states: TENANT_STATES,
  events: TENANT_EVENTS,
  table: {
    active: { suspend: 'suspended', reactivate: R, archive: 'archived', restore: R },
    suspended: { suspend: R, reactivate: 'active', archive: 'archived', restore: R },
    archived: { suspend: R, reactivate: R, archive: R, restore: 'suspended' },
  },
};
