/**
 * scripts/db/seed/costs.ts: AI spend: cost transactions (004 per-call LLM costs by assistants and
 * work items; 002 per-event costs of chat, embedding and reranking services), the provider credit
 * pools they draw on, monthly cost summaries and budget alerts.
 *
 * Consistency: a pool's current_balance = monthly_budget − this month's spend on that provider
 * (pools reset on the 1st), its alert flags say which of 50/75/90 % are crossed, every crossed
 * threshold has a budget_alert, and cost_summaries are the per-month sums of the transactions.
 * Volume ≈ 250 × weight × scale transactions per tenant over the last 90 days.
 */
import { DAY, HOUR, type SeedContext } from './context.ts';
import type { Cell } from './copy.ts';
import type { TenantWorld, WorkItemRef } from './model.ts';
import { MODEL_PRICES, tokenCost } from './pricing.ts';
import { monthKey } from './vocabulary.ts';

const WINDOW_DAYS = 90;
const POOL_PROVIDERS: Readonly<Record<string, readonly string[]>> = {
  'northwind-labs': ['openai', 'anthropic', 'openrouter'],
  northwind: ['openai', 'anthropic', 'local'],
};

const TRANSACTION_COLUMNS = [
  'id',
  'tenant_id',
  'assistant_id',
  'work_item_id',
  'session_id',
  'service',
  'provider',
  'model',
  'input_tokens',
  'output_tokens',
  'cost_amount',
  'cache_hit_rate',
  'reranking_cost',
  'metadata',
  'created_at',
] as const;
type TransactionRow = { readonly [K in (typeof TRANSACTION_COLUMNS)[number]]: Cell };

export async function seedCosts(ctx: SeedContext, worlds: readonly TenantWorld[]): Promise<void> {
  const transactions = ctx.writer('cost_transactions', TRANSACTION_COLUMNS);
  const pools = ctx.writer('provider_credit_pools', [
    'id',
    'tenant_id',
    'provider',
    'monthly_budget',
    'current_balance',
    'alert_threshold_50',
    'alert_threshold_75',
    'alert_threshold_90',
    'reset_day_of_month',
    'created_at',
    'updated_at',
  ]);
  const summaries = ctx.writer('cost_summaries', [
    'id',
    'tenant_id',
    'period_start',
    'period_end',
    'total_cost_usd',
    'breakdown',
    'created_at',
    'updated_at',
  ]);
  const alerts = ctx.writer('budget_alerts', [
    'id',
    'tenant_id',
    'threshold',
    'current_spend',
    'period',
    'severity',
    'resolved',
    'resolved_at',
    'created_at',
  ]);
  const anchorMonth = monthKey(ctx.anchor);
  const monthStart = Date.parse(`${anchorMonth}-01T00:00:00Z`);

  for (const world of worlds) {
    const { tenant } = world;
    const rng = ctx.rng(`costs:${tenant.slug}`);
    const since = Math.max(tenant.createdAt.getTime() + HOUR, ctx.anchorMs - WINDOW_DAYS * DAY);
    const poolProviders = POOL_PROVIDERS[tenant.slug] ?? ['openai', 'anthropic'];
    const byMonth = new Map<string, Map<string, number>>();
    const thisMonth = new Map<string, number>();
    const chatSessions = world.sessions.filter((s) => s.kind !== 'meeting');
    const itemsOf = new Map<string, WorkItemRef[]>();
    for (const item of world.workItems) {
      const list = itemsOf.get(item.assistantId) ?? [];
      list.push(item);
      itemsOf.set(item.assistantId, list);
    }
    const count = ctx.count(250 * tenant.weight);
    for (let i = 0; i < count; i++) {
      const at = new Date(since + (ctx.anchorMs - since) * Math.pow(rng.float(), 0.85));
      const kind = rng.weighted([
        ['llm', 55],
        ['chat', 25],
        ['embedding', 12],
        ['reranking', 8],
      ] as const);
      let row: Omit<TransactionRow, 'id' | 'tenant_id' | 'created_at'>;
      let provider: string;
      let cost: number;
      if (kind === 'llm') {
        const assistant = rng.pick(world.assistants);
        const items = itemsOf.get(assistant.id) ?? [];
        const item = items.length && rng.chance(0.8) ? rng.pick(items) : null;
        const useLocal = poolProviders.includes('local') && rng.chance(0.15);
        const viaRouter = poolProviders.includes('openrouter') && rng.chance(0.2);
        const model = useLocal ? 'llama-3.3-70b-instruct' : assistant.model;
        provider = useLocal ? 'local' : viaRouter ? 'openrouter' : assistant.provider;
        const input = rng.int(500, 12_000);
        const output = rng.int(50, 1_500);
        cost = useLocal ? 0 : tokenCost(model, input, output) * (viaRouter ? 1.05 : 1);
        row = {
          assistant_id: assistant.id,
          work_item_id: item?.id ?? null,
          session_id: null,
          service: null,
          provider: provider,
          model: model,
          input_tokens: input,
          output_tokens: output,
          cost_amount: cost.toFixed(6),
          cache_hit_rate: null,
          reranking_cost: null,
          metadata: { purpose: item ? 'work_item' : 'background', assistant: assistant.name },
        };
      } else if (kind === 'chat') {
        const session = chatSessions.length ? rng.pick(chatSessions) : null;
        const model = rng.pick(Object.keys(MODEL_PRICES));
        provider = MODEL_PRICES[model]?.provider ?? 'openai';
        const input = rng.int(800, 8_000);
        const output = rng.int(60, 900);
        const cacheHit = rng.between(0, 0.8);
        cost = tokenCost(model, input * (1 - cacheHit * 0.9), output);
        row = {
          assistant_id: null,
          work_item_id: null,
          session_id: session?.id ?? null,
          service: 'chat',
          provider: provider,
          model: model,
          input_tokens: input,
          output_tokens: output,
          cost_amount: cost.toFixed(6),
          cache_hit_rate: cacheHit.toFixed(4),
          reranking_cost: null,
          metadata: { session_kind: session?.kind ?? null },
        };
      } else if (kind === 'embedding') {
        provider = 'voyage';
        const input = rng.int(200, 40_000);
        cost = (input * 0.06) / 1_000_000;
        row = {
          assistant_id: null,
          work_item_id: null,
          session_id: null,
          service: 'embedding',
          provider: provider,
          model: 'voyage-3',
          input_tokens: input,
          output_tokens: 0,
          cost_amount: cost.toFixed(6),
          cache_hit_rate: null,
          reranking_cost: null,
          metadata: { purpose: 'knowledge_index' },
        };
      } else {
        provider = 'cohere';
        const docs = rng.int(5, 40);
        const rerank = docs * 0.00002;
        cost = rerank;
        row = {
          assistant_id: null,
          work_item_id: null,
          session_id: null,
          service: 'reranking',
          provider: provider,
          model: 'rerank-v3.5',
          input_tokens: rng.int(300, 4_000),
          output_tokens: 0,
          cost_amount: cost.toFixed(6),
          cache_hit_rate: null,
          reranking_cost: rerank.toFixed(6),
          metadata: { documents: docs },
        };
      }
      await transactions.add({ id: rng.uuid(), tenant_id: tenant.id, ...row, created_at: at });
      const month = monthKey(at);
      const m = byMonth.get(month) ?? new Map<string, number>();
      m.set(provider, (m.get(provider) ?? 0) + cost);
      m.set(`service:${kind}`, (m.get(`service:${kind}`) ?? 0) + cost);
      byMonth.set(month, m);
      if (at.getTime() >= monthStart) thisMonth.set(provider, (thisMonth.get(provider) ?? 0) + cost);
    }

    const poolCreated = new Date(since);
    for (const provider of poolProviders) {
      const spent = thisMonth.get(provider) ?? 0;
      const daysIn = Math.max(1, (ctx.anchorMs - monthStart) / DAY);
      const projected = (spent / daysIn) * 30;
      // Budgets differ by provider so pools sit at different fill levels (one near its limit).
      const factor = provider === 'anthropic' ? 1.15 : provider === 'openai' ? 2.2 : 4;
      const budget = provider === 'local' ? 100 : Math.max(20, Math.ceil((projected * factor) / 10) * 10);
      const used = budget > 0 ? spent / budget : 0;
      await pools.add({
        id: rng.uuid(),
        tenant_id: tenant.id,
        provider,
        monthly_budget: budget.toFixed(2),
        current_balance: (budget - spent).toFixed(2),
        alert_threshold_50: used >= 0.5,
        alert_threshold_75: used >= 0.75,
        alert_threshold_90: used >= 0.9,
        reset_day_of_month: 1,
        created_at: poolCreated,
        updated_at: ctx.ago(rng.between(0, 2) * HOUR),
      });
      for (const [level, severity] of [
        [0.5, 'info'],
        [0.75, 'warning'],
        [0.9, 'critical'],
      ] as const) {
        if (used < level) continue;
        await alerts.add({
          id: rng.uuid(),
          tenant_id: tenant.id,
          threshold: (budget * level).toFixed(2),
          current_spend: spent.toFixed(6),
          period: anchorMonth,
          severity,
          resolved: false,
          resolved_at: null,
          created_at: new Date(
            Math.max(
              monthStart + (ctx.anchorMs - monthStart) * Math.min(1, level / Math.max(used, 1e-9)),
              poolCreated.getTime(),
            ),
          ),
        });
      }
    }

    for (const [month, m] of [...byMonth.entries()].sort()) {
      const start = Date.parse(`${month}-01T00:00:00Z`);
      const end = new Date(start);
      end.setUTCMonth(end.getUTCMonth() + 1);
      let total = 0;
      const breakdown: Record<string, Record<string, number>> = { provider: {}, service: {} };
      for (const [key, value] of [...m.entries()].sort()) {
        const rounded = Math.round(value * 1e6) / 1e6;
        if (key.startsWith('service:')) {
          (breakdown['service'] as Record<string, number>)[key.slice(8)] = rounded;
        } else {
          (breakdown['provider'] as Record<string, number>)[key] = rounded;
          total += value;
        }
      }
      const closed = end.getTime() <= ctx.anchorMs;
      const at = closed ? new Date(end.getTime() + HOUR) : ctx.ago(HOUR);
      await summaries.add({
        id: rng.uuid(),
        tenant_id: tenant.id,
        period_start: new Date(start),
        period_end: end,
        total_cost_usd: total.toFixed(6),
        breakdown,
        created_at: at,
        updated_at: at,
      });
      if (closed && month !== anchorMonth && rng.chance(0.4)) {
        await alerts.add({
          id: rng.uuid(),
          tenant_id: tenant.id,
          threshold: '50.00',
          current_spend: total.toFixed(6),
          period: month,
          severity: 'info',
          resolved: true,
          resolved_at: new Date(end.getTime() + 2 * HOUR),
          created_at: new Date(start + 20 * DAY),
        });
      }
    }
  }
  await ctx.finish(transactions, pools, summaries, alerts);
}
