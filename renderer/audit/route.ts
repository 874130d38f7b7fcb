/**
 * renderer/audit/route.ts: the audit view's address: `#/audit` and `#/audit/<event id>` (an event
 * selected). Its own module so components link to it without importing the view.
 *
 * Guarantee: the segment is accepted only as decimal digits (an audit_logs id); anything else opens
 * the view with nothing selected.
 */
import type { ViewAddress } from '../shell/contribution.ts';

export interface AuditParams {
  readonly event: string | null;
}

export const auditAddress: ViewAddress<AuditParams> = {
  id: 'audit',
  route: {
    path: 'audit',
    parse: ([event]) => ({ event: event !== undefined && /^\d{1,19}$/.test(event) ? event : null }),
    format: ({ event }) => (event ? [event] : []),
    examples: [{ event: null }, { event: '42' }],
  },
};
