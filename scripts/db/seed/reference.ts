/**
 * scripts/db/seed/reference.ts: the fixed ids of the global reference rows that
 * migrations/shared/0060_reference_data.sql inserts (system roles, plans, assistant templates).
 * They must match that file; seed.pg.test.ts checks that the seed's user_roles resolve.
 */

export const NIL_UUID = '00000000-0000-0000-0000-000000000000';

export const SYSTEM_ROLE_IDS = {
  admin: '7e5c0001-0000-4000-8000-000000000001',
  approver: '7e5c0001-0000-4000-8000-000000000002',
  viewer: '7e5c0001-0000-4000-8000-000000000003',
} as const;

export const PLAN_IDS = {
  trial: '7e5c0002-0000-4000-8000-000000000001',
  pro: '7e5c0002-0000-4000-8000-000000000002',
} as const;

export const PLAN_PRICES = { trial: 0, pro: 499 } as const;

/** The system tenant that owns the shared documentation (000 doc_chunks). */
export const SYSTEM_TENANT_ID = NIL_UUID;

/** Custom-role permission codes seeded per tenant (002 customRoles, inline and as role_permissions). */
export const CUSTOM_ROLES = {
  finance: {
    description: 'Finance team: commerce and NetSuite data, exports, costs and KPIs',
    permissions: [
      'commerce:read',
      'commerce:export',
      'netsuite:read',
      'netsuite:write',
      'kpis:read',
      'costs:read',
      'billing:read',
      'approvals:read',
      'approvals:write',
    ],
  },
  operations: {
    description: 'Operations: connections, sync jobs, workflows, chat and knowledge',
    permissions: [
      'connections:read',
      'connections:write',
      'jobs:read',
      'jobs:write',
      'workflows:read',
      'workflows:write',
      'chat:read',
      'chat:write',
      'knowledge:read',
      'work_items:read',
      'work_items:write',
    ],
  },
} as const;
