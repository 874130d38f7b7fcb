/**
 * scripts/db/seed/kpis.ts: business-client KPIs and their time series (003): client_kpis,
 * daily financials, CRM lead events and custom metrics, plus KPI alerts and dashboards.
 *
 * Series are random walks with weekly seasonality, so charts look like charts: revenue and
 * expenses per client per day (net_profit = revenue − expenses), leads moving through a sales
 * pipeline, and operational metrics. The number of clients grows with the scale (≈ 2 × weight ×
 * scale per tenant), each with 90 days of financials. A few custom metrics carry a 1536-dimension
 * embedding of their annotation (003's planned RAG), from the deterministic embedder.
 */
import { embedText } from '../../../common/embeddings/deterministic-embedder.ts';
import { DAY, HOUR, type SeedContext } from './context.ts';
import type { TenantWorld } from './model.ts';
import { CLIENT_INDUSTRIES, CLIENT_NAMES, isoDate } from './vocabulary.ts';

const SERIES_DAYS = 90;
const STAGES = ['new', 'qualified', 'proposal', 'negotiation', 'won', 'lost'] as const;
const METRICS = [
  ['project_delivery_days', 'days', 14, 4],
  ['customer_nps', 'score', 42, 8],
  ['churn_rate', 'percent', 2.5, 0.6],
  ['average_order_value', 'currency', 180, 25],
  ['support_first_response_minutes', 'minutes', 35, 12],
] as const;

export async function seedKpis(ctx: SeedContext, worlds: readonly TenantWorld[]): Promise<void> {
  const clients = ctx.writer('client_kpis', [
    'id',
    'tenant_id',
    'client_id',
    'client_name',
    'industry',
    'created_at',
    'updated_at',
  ]);
  const financials = ctx.writer(
    'financials',
    [
      'id',
      'tenant_id',
      'client_kpi_id',
      'record_date',
      'revenue',
      'expenses',
      'net_profit',
      'cash_flow',
      'currency',
      'source_system',
      'external_id',
      'metadata',
      'created_at',
    ],
    { parents: [clients] },
  );
  const leads = ctx.writer(
    'lead_events',
    [
      'id',
      'tenant_id',
      'client_kpi_id',
      'event_date',
      'lead_id',
      'stage',
      'value',
      'status',
      'source_system',
      'external_id',
      'metadata',
      'created_at',
    ],
    { parents: [clients] },
  );
  const metrics = ctx.writer(
    'custom_metrics',
    [
      'id',
      'tenant_id',
      'client_kpi_id',
      'metric_name',
      'metric_value',
      'unit',
      'record_date',
      'source_system',
      'metadata',
      'embedding',
      'created_at',
    ],
    { parents: [clients], batchRows: 2000 },
  );
  const alerts = ctx.writer(
    'alerts',
    [
      'id',
      'tenant_id',
      'client_kpi_id',
      'name',
      'metric_name',
      'condition',
      'threshold',
      'severity',
      'status',
      'last_triggered_at',
      'resolved_at',
      'created_by',
      'created_at',
      'updated_at',
    ],
    { parents: [clients] },
  );
  const dashboards = ctx.writer('dashboards', [
    'id',
    'tenant_id',
    'name',
    'description',
    'layout',
    'is_default',
    'created_by',
    'created_at',
    'updated_at',
  ]);

  const today = Math.floor(ctx.anchorMs / DAY) * DAY;
  for (const world of worlds) {
    const { tenant, users } = world;
    const rng = ctx.rng(`kpis:${tenant.slug}`);
    const accounting = tenant.providers.includes('myob') ? 'myob' : 'xero';
    const crm =
      tenant.providers.find((p) => p === 'hubspot' || p === 'pipedrive' || p === 'salesforce') ?? 'hubspot';
    const importedAt = new Date(Math.min(tenant.createdAt.getTime() + 2 * DAY, ctx.anchorMs - HOUR));
    const clientCount = ctx.count(2 * tenant.weight);
    for (let c = 0; c < clientCount; c++) {
      const id = rng.uuid();
      const base = CLIENT_NAMES[c % CLIENT_NAMES.length] ?? 'Client';
      const name = c < CLIENT_NAMES.length ? base : `${base} (${Math.floor(c / CLIENT_NAMES.length) + 1})`;
      await clients.add({
        id,
        tenant_id: tenant.id,
        client_id: `${accounting.toUpperCase()}-${10_000 + c}`,
        client_name: name,
        industry: rng.pick(CLIENT_INDUSTRIES),
        created_at: importedAt,
        updated_at: importedAt,
      });
      world.clientKpis.push({ id, name });

      let revenue = rng.logNormal(4_000, 0.6);
      const margin = rng.between(0.05, 0.3);
      for (let d = SERIES_DAYS; d >= 1; d--) {
        const day = new Date(today - d * DAY);
        const weekday = day.getUTCDay();
        const seasonal = weekday === 0 || weekday === 6 ? 0.55 : 1.1;
        revenue = Math.max(200, revenue * (1 + rng.normal(0.002, 0.05)));
        const rev = Math.round(revenue * seasonal * 100) / 100;
        const exp = Math.round(rev * (1 - margin + rng.normal(0, 0.08)) * 100) / 100;
        const cash = Math.round((rev - exp + rng.normal(0, rev * 0.15)) * 100) / 100;
        await financials.add({
          id: rng.uuid(),
          tenant_id: tenant.id,
          client_kpi_id: id,
          record_date: isoDate(day),
          revenue: rev.toFixed(2),
          expenses: exp.toFixed(2),
          net_profit: (rev - exp).toFixed(2),
          cash_flow: cash.toFixed(2),
          currency: tenant.currency,
          source_system: accounting,
          external_id: `${accounting}-${id.slice(0, 8)}-${isoDate(day)}`,
          metadata: d % 7 === 0 ? { reconciled: true } : null,
          created_at: new Date(
            Math.min(Math.max(day.getTime() + DAY + 3 * HOUR, importedAt.getTime()), ctx.anchorMs),
          ),
        });
      }
    }

    const leadCount = ctx.count(150 * tenant.weight);
    let leadSeq = 0;
    for (let i = 0; i < leadCount;) {
      const client = rng.pick(world.clientKpis);
      const leadId = `deal-${tenant.slug.slice(0, 3)}-${++leadSeq}`;
      const value = Math.round(rng.logNormal(8_000, 0.9));
      const outcome = rng.weighted([
        ['won', 3],
        ['lost', 3],
        ['open', 4],
      ] as const);
      const path =
        outcome === 'won'
          ? STAGES.slice(0, 5)
          : outcome === 'lost'
            ? [...STAGES.slice(0, rng.int(1, 4)), 'lost' as const]
            : STAGES.slice(0, rng.int(1, 4));
      let at = ctx.anchorMs - rng.between(5, SERIES_DAYS) * DAY;
      for (const [k, stage] of path.entries()) {
        if (i >= leadCount) break;
        const last = k === path.length - 1;
        const status =
          stage === 'won'
            ? 'won'
            : stage === 'lost'
              ? 'lost'
              : last && ctx.anchorMs - at > 21 * DAY
                ? 'stale'
                : 'active';
        await leads.add({
          id: rng.uuid(),
          tenant_id: tenant.id,
          client_kpi_id: client.id,
          event_date: new Date(at),
          lead_id: leadId,
          stage,
          value: value.toFixed(2),
          status,
          source_system: crm,
          external_id: `${crm}-${rng.int(1_000_000, 9_999_999)}`,
          metadata: {
            owner: rng.pick(users.all).email,
            probability: [0.1, 0.25, 0.5, 0.7, 1, 0][STAGES.indexOf(stage)],
          },
          created_at: new Date(Math.min(at + rng.between(0.1, 12) * HOUR, ctx.anchorMs)),
        });
        i++;
        at = Math.min(at + rng.between(1, 12) * DAY, ctx.anchorMs - HOUR);
      }
    }

    const metricCount = ctx.count(120 * tenant.weight);
    const embedded = 4;
    for (let i = 0; i < metricCount; i++) {
      const client = rng.pick(world.clientKpis);
      const [name, unit, mean, sd] = rng.pick(METRICS);
      const value = Math.max(0, rng.normal(mean, sd));
      const day = new Date(today - rng.int(1, SERIES_DAYS) * DAY + rng.int(8, 18) * HOUR);
      const note =
        i < embedded
          ? `${client.name}: ${name.replace(/_/g, ' ')} ${value > mean ? 'above' : 'below'} target in ${isoDate(day).slice(0, 7)}`
          : null;
      await metrics.add({
        id: rng.uuid(),
        tenant_id: tenant.id,
        client_kpi_id: client.id,
        metric_name: name,
        metric_value: value.toFixed(4),
        unit: unit === 'currency' ? tenant.currency : unit,
        record_date: day,
        source_system: rng.pick(['manual_upload', accounting, 'asana']),
        metadata: note ? { annotation: note } : null,
        embedding: note ? embedText(note, 1536) : null,
        created_at: new Date(Math.min(Math.max(day.getTime() + HOUR, importedAt.getTime()), ctx.anchorMs)),
      });
    }

    const alertDefs = [
      ['Revenue drop', 'revenue', { op: 'pct_change_lt', window_days: 7 }, '-20.0000', 'warning'],
      ['Negative cash flow', 'cash_flow', { op: 'lt', consecutive_days: 3 }, '0.0000', 'critical'],
      ['NPS below target', 'customer_nps', { op: 'lt' }, '30.0000', 'info'],
    ] as const;
    for (const [k, [name, metric, condition, threshold, severity]] of alertDefs.entries()) {
      const created = new Date(importedAt.getTime() + (k + 1) * HOUR);
      const status = k === 0 ? 'triggered' : k === 1 ? 'resolved' : rng.pick(['active', 'muted']);
      const triggered =
        status === 'active' || status === 'muted' ? null : ctx.ago(rng.between(2, 200) * HOUR);
      const resolved =
        status === 'resolved' && triggered ? ctx.after(triggered, rng.between(2, 48) * HOUR) : null;
      await alerts.add({
        id: rng.uuid(),
        tenant_id: tenant.id,
        client_kpi_id: k === 2 ? null : (world.clientKpis[k]?.id ?? null),
        name,
        metric_name: metric,
        condition,
        threshold,
        severity,
        status,
        last_triggered_at: triggered,
        resolved_at: resolved,
        created_by: users.finance.id,
        created_at: created,
        updated_at: resolved ?? triggered ?? created,
      });
    }
    const dashboardDefs = [
      ['Finance overview', 'Revenue, margin and cash flow across clients', true],
      ['Sales pipeline', 'Leads by stage and win rate', false],
    ] as const;
    for (const [name, description, isDefault] of dashboardDefs) {
      const at = new Date(importedAt.getTime() + 3 * HOUR);
      await dashboards.add({
        id: rng.uuid(),
        tenant_id: tenant.id,
        name,
        description,
        layout: {
          columns: 12,
          widgets: [
            { type: 'line', metric: 'revenue', x: 0, y: 0, w: 8, h: 4 },
            { type: 'kpi', metric: 'net_profit', x: 8, y: 0, w: 4, h: 2 },
            { type: 'funnel', metric: 'lead_stage', x: 0, y: 4, w: 12, h: 4 },
          ],
        },
        is_default: isDefault,
        created_by: isDefault ? users.finance.id : users.admin.id,
        created_at: at,
        updated_at: at,
      });
    }
  }
  await ctx.finish(clients, financials, leads, metrics, alerts, dashboards);
}
