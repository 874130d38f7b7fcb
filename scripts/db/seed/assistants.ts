/**
 * scripts/db/seed/assistants.ts: AI assistants and chat personas of each tenant (004 assistants,
 * 002 ai_personalities) and the rules for assistant-to-assistant messages (004
 * communication_policies). Work items and approvals are in approvals.ts.
 */
import { DAY, HOUR, type SeedContext } from './context.ts';
import { pgArray } from './copy.ts';
import type { AssistantRef, TenantWorld } from './model.ts';
import { slugify } from './vocabulary.ts';

interface AssistantDefinition {
  readonly name: string;
  readonly type: string;
  readonly description: string;
  readonly capabilities: readonly string[];
  readonly provider: 'openai' | 'anthropic';
  readonly model: string;
  readonly riskTier: number;
  readonly maxCostPerDay: number;
}

const CATALOGUE: Readonly<Record<string, AssistantDefinition>> = {
  finance: {
    name: 'Finance Close',
    type: 'shared_finance',
    provider: 'openai',
    model: 'gpt-5.2',
    riskTier: 3,
    maxCostPerDay: 25,
    description: 'Reconciles Stripe payouts with deposits and drafts NetSuite journal entries for approval',
    capabilities: ['reconcile_payouts', 'draft_journal_entry', 'suiteql_query', 'request_approval'],
  },
  support: {
    name: 'Customer Support',
    type: 'company_customer',
    provider: 'anthropic',
    model: 'claude-haiku-4-5',
    riskTier: 1,
    maxCostPerDay: 15,
    description: 'Answers order, shipping and refund questions from the knowledge base; escalates to a human',
    capabilities: ['answer_questions', 'lookup_order', 'issue_refund_request', 'escalate'],
  },
  ops: {
    name: 'Ops Watch',
    type: 'company_operations',
    provider: 'openai',
    model: 'gpt-5.2-mini',
    riskTier: 2,
    maxCostPerDay: 10,
    description: 'Watches sync jobs and connections and opens work items when something breaks',
    capabilities: ['monitor_jobs', 'retry_sync', 'open_work_item'],
  },
  cos: {
    name: 'Chief of Staff',
    type: 'executive_cos',
    provider: 'anthropic',
    model: 'claude-sonnet-4-5-20250929',
    riskTier: 2,
    maxCostPerDay: 30,
    description: 'Daily group digest across subsidiaries; routes decisions to the right approver',
    capabilities: ['summarise', 'route_approvals', 'draft_email'],
  },
  compliance: {
    name: 'Compliance Monitor',
    type: 'company_compliance',
    provider: 'anthropic',
    model: 'claude-sonnet-4-5-20250929',
    riskTier: 4,
    maxCostPerDay: 20,
    description: 'Checks postings and changesets against policies; flags segregation-of-duties conflicts',
    capabilities: ['review_postings', 'flag_exception'],
  },
  marketing: {
    name: 'Campaign Analyst',
    type: 'company_marketing',
    provider: 'openai',
    model: 'gpt-5.2',
    riskTier: 1,
    maxCostPerDay: 8,
    description: 'Measures promo code performance and drafts campaign summaries',
    capabilities: ['analyse_discounts', 'draft_report'],
  },
  product: {
    name: 'Product Insights',
    type: 'company_product',
    provider: 'anthropic',
    model: 'claude-sonnet-4-5-20250929',
    riskTier: 1,
    maxCostPerDay: 12,
    description: 'Clusters support questions and churn reasons into product feedback',
    capabilities: ['cluster_feedback', 'draft_report'],
  },
  renewals: {
    name: 'Renewal Nudger',
    type: 'custom',
    provider: 'openai',
    model: 'gpt-5.2-mini',
    riskTier: 2,
    maxCostPerDay: 5,
    description: 'Reminds account owners of renewals due in the next 30 days',
    capabilities: ['lookup_subscription', 'draft_email'],
  },
};

const TENANT_ASSISTANTS: Readonly<Record<string, readonly string[]>> = {
  acme: ['finance', 'support', 'ops'],
  globex: ['finance', 'support'],
  northwind: ['cos', 'finance', 'compliance'],
  'northwind-retail': ['support', 'ops', 'marketing', 'finance'],
  'northwind-labs': ['product', 'finance', 'renewals'],
};

export async function seedAssistants(ctx: SeedContext, worlds: readonly TenantWorld[]): Promise<void> {
  const personalities = ctx.writer('ai_personalities', [
    'id',
    'tenant_id',
    'name',
    'system_prompt',
    'temperature',
    'max_tokens',
    'preferred_model',
    'created_at',
    'updated_at',
  ]);
  const assistants = ctx.writer('assistants', [
    'id',
    'tenant_id',
    'name',
    'slug',
    'description',
    'type',
    'status',
    'configuration',
    'capabilities',
    'model_config',
    'risk_tier',
    'max_cost_per_day',
    'version',
    'created_by',
    'created_at',
    'updated_at',
  ]);
  const policies = ctx.writer('communication_policies', [
    'id',
    'tenant_id',
    'name',
    'from_assistant_types',
    'to_assistant_types',
    'allowed_channels',
    'content_rules',
    'rate_limit_per_hour',
    'is_active',
    'created_at',
    'updated_at',
  ]);
  for (const world of worlds) {
    const { tenant, users } = world;
    const rng = ctx.rng(`assistants:${tenant.slug}`);
    const start = tenant.createdAt.getTime();
    for (const [name, prompt, temperature, model] of [
      [
        'Friendly support',
        `You help ${tenant.name}'s customers with orders, shipping and returns. Be warm and brief; never promise refunds, request them.`,
        '0.70',
        'claude-haiku-4-5',
      ],
      [
        'Concise analyst',
        `You answer ${tenant.name}'s finance questions with numbers first, then the SuiteQL you used.`,
        '0.20',
        'gpt-5.2',
      ],
    ] as const) {
      const id = rng.uuid();
      const at = new Date(start + rng.between(1, 4) * DAY);
      world.personalities.push(id);
      await personalities.add({
        id,
        tenant_id: tenant.id,
        name,
        system_prompt: prompt,
        temperature,
        max_tokens: rng.pick([800, 1200, 2000]),
        preferred_model: model,
        created_at: at,
        updated_at: at,
      });
    }
    for (const key of TENANT_ASSISTANTS[tenant.slug] ?? ['finance']) {
      const def = CATALOGUE[key];
      if (!def) continue;
      const id = rng.uuid();
      const at = new Date(Math.min(start + rng.between(1, 10) * DAY, ctx.anchorMs - DAY));
      const status = tenant.plan === 'trial' && key === 'support' ? 'inactive' : 'active';
      await assistants.add({
        id,
        tenant_id: tenant.id,
        name: def.name,
        slug: slugify(def.name),
        description: def.description,
        type: def.type,
        status,
        configuration: {
          timezone: tenant.timezone,
          currency: tenant.currency,
          approval_required_above: tenant.currency === 'EUR' ? 5000 : 2500,
        },
        capabilities: pgArray(def.capabilities),
        model_config: { provider: def.provider, model: def.model, temperature: 0.2 },
        risk_tier: def.riskTier,
        max_cost_per_day: def.maxCostPerDay.toFixed(4),
        version: rng.int(1, 4),
        created_by: users.admin.id,
        created_at: at,
        updated_at: ctx.after(at, rng.between(1, 30) * DAY),
      });
      const ref: AssistantRef = {
        id,
        name: def.name,
        type: def.type,
        provider: def.provider,
        model: def.model,
      };
      world.assistants.push(ref);
      ctx.audit({
        tenantId: tenant.id,
        at,
        actorType: 'user',
        actorId: users.admin.id,
        category: 'assistants',
        action: 'assistant.created',
        entityType: 'assistant',
        entityId: id,
        after: { name: def.name, type: def.type, status },
        status: 'success',
      });
    }
    const types = world.assistants.map((a) => a.type);
    const created = new Date(start + 2 * DAY);
    await policies.add({
      id: rng.uuid(),
      tenant_id: tenant.id,
      name: 'Finance reports to the executive digest',
      from_assistant_types: pgArray(types.filter((t) => t.includes('finance'))),
      to_assistant_types: pgArray(types.includes('executive_cos') ? ['executive_cos'] : types),
      allowed_channels: pgArray(['internal', 'email']),
      content_rules: { max_message_chars: 4000, redact: ['card_number', 'iban'], attach_evidence: true },
      rate_limit_per_hour: 60,
      is_active: true,
      created_at: created,
      updated_at: created,
    });
    await policies.add({
      id: rng.uuid(),
      tenant_id: tenant.id,
      name: 'Customer-facing assistants escalate to humans only',
      from_assistant_types: pgArray(['company_customer']),
      to_assistant_types: pgArray([]),
      allowed_channels: pgArray(['slack', 'email']),
      content_rules: { block_internal_figures: true, require_human_for: ['refund_over_limit', 'legal'] },
      rate_limit_per_hour: 20,
      is_active: tenant.plan === 'pro',
      created_at: created,
      updated_at: new Date(Math.min(created.getTime() + HOUR, ctx.anchorMs)),
    });
  }
  await ctx.finish(personalities, assistants, policies);
}
