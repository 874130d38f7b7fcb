/**
 * scripts/db/seed/model.ts: the in-memory registry the seed keeps of rows it has written, so later
 * generators can reference them (ids, owners, times). Only ids and a few attributes are kept; the
 * high-volume rows (orders, messages, ...) are streamed and forgotten.
 */

export type TenantType = 'holding' | 'subsidiary' | 'standalone';
export type Provider =
  | 'netsuite'
  | 'shopify'
  | 'stripe'
  | 'xero'
  | 'myob'
  | 'hubspot'
  | 'pipedrive'
  | 'asana'
  | 'salesforce'
  | 'zendesk';

export interface TenantDefinition {
  readonly slug: string;
  readonly name: string;
  readonly type: TenantType;
  readonly parentSlug: string | null;
  readonly plan: 'trial' | 'pro';
  readonly industry: string;
  readonly currency: string;
  readonly country: string;
  readonly timezone: string;
  /** Sales tax / VAT / GST rate applied to orders. */
  readonly taxRate: number;
  /** Relative activity: multiplies the high-volume counts. */
  readonly weight: number;
  /** How long before the anchor the tenant signed up. */
  readonly ageDays: number;
  readonly providers: readonly Provider[];
  /** Product lines sold (orders, line descriptions). */
  readonly catalogue: readonly string[];
  readonly netsuiteAccount: string;
}

export interface TenantRef extends TenantDefinition {
  readonly id: string;
  readonly parentId: string | null;
  readonly createdAt: Date;
}

export type DemoUserKind = 'admin' | 'approver' | 'viewer' | 'ops' | 'finance' | 'bot';

export interface UserRef {
  readonly id: string;
  readonly tenantId: string;
  readonly kind: DemoUserKind;
  readonly email: string;
  readonly fullName: string;
  readonly createdAt: Date;
}

export type TenantUsers = Readonly<Record<DemoUserKind, UserRef>> & { readonly all: readonly UserRef[] };

export interface ConnectionRef {
  readonly id: string;
  readonly provider: Provider;
  readonly label: string;
  readonly status: string;
  readonly createdAt: Date;
}

export interface JobRef {
  readonly id: string;
  readonly jobType: string;
  readonly status: string;
  readonly connectionId: string | null;
  readonly createdAt: Date;
  readonly correlationId: string;
}

export interface AssistantRef {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly provider: 'openai' | 'anthropic';
  readonly model: string;
}

export interface WorkItemRef {
  readonly id: string;
  readonly assistantId: string;
  readonly title: string;
  readonly createdAt: Date;
}

export type SessionKind = 'dashboard' | 'workspace' | 'onboarding' | 'widget' | 'meeting';

export interface SessionRef {
  readonly id: string;
  readonly kind: SessionKind;
  readonly userId: string | null;
  readonly endUserId: string | null;
  readonly createdAt: Date;
}

export interface MessageRef {
  readonly id: string;
  readonly sessionId: string;
  readonly createdAt: Date;
  readonly excerpt: string;
}

export interface WorkspaceRef {
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date;
}

export interface ConversationLogRef {
  readonly id: string;
  readonly assistantId: string;
  readonly workItemId: string | null;
  readonly endedAt: Date;
}

/** One day of settled card sales (what a payout and a NetSuite deposit summarise). */
export interface DailySales {
  readonly day: Date;
  orders: number;
  gross: number;
  tax: number;
  discounts: number;
  refunds: number;
  fees: number;
  disputes: number;
  charges: number;
}

export interface TenantWorld {
  readonly tenant: TenantRef;
  readonly users: TenantUsers;
  readonly connections: ConnectionRef[];
  readonly jobs: JobRef[];
  readonly assistants: AssistantRef[];
  readonly workItems: WorkItemRef[];
  readonly personalities: string[];
  readonly widgets: string[];
  readonly meetings: string[];
  readonly endUsers: string[];
  readonly sessions: SessionRef[];
  /** A bounded sample of assistant messages (QA reviews, hallucination flags refer to them). */
  readonly assistantMessages: MessageRef[];
  readonly workspaces: WorkspaceRef[];
  readonly conversationLogs: ConversationLogRef[];
  readonly clientKpis: { readonly id: string; readonly name: string }[];
  /** Knowledge documents and their first chunk (chat citations refer to them). */
  readonly documents: { readonly id: string; readonly title: string; readonly chunkId: string }[];
  /** Card sales per UTC day, oldest first (commerce.ts fills it; netsuite.ts posts it). */
  readonly dailySales: DailySales[];
}

export type AuditActorType = 'user' | 'service_account' | 'assistant' | 'system';

/** One audit event, recorded by a generator when it makes the row the event is about. */
export interface AuditFact {
  readonly tenantId: string;
  readonly at: Date;
  readonly actorType: AuditActorType;
  readonly actorId: string | null;
  readonly category: string;
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string | null;
  readonly before?: Record<string, unknown>;
  readonly after?: Record<string, unknown>;
  readonly changes?: Record<string, unknown>;
  readonly metadata?: Record<string, unknown>;
  readonly status?: 'success' | 'error' | 'denied';
  readonly correlationId?: string;
  readonly ip?: string;
}

export function connectionsOf(world: TenantWorld, ...providers: Provider[]): ConnectionRef[] {
  return world.connections.filter((c) => providers.includes(c.provider));
}
