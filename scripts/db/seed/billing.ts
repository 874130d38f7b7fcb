/**
 * scripts/db/seed/billing.ts: each tenant's subscription to a plan (the plans rows come from
 * 0060_reference_data.sql) and its invoices (001 Subscription, Invoice).
 *
 * A pro tenant has monthly invoices since it signed up: paid ones, the current month's open one
 * and the next month's draft. The trial tenant is `trialing` and has no invoice yet.
 */
import { DAY, HOUR, type SeedContext } from './context.ts';
import type { TenantWorld } from './model.ts';
import { PLAN_IDS, PLAN_PRICES } from './reference.ts';

export async function seedBilling(ctx: SeedContext, worlds: readonly TenantWorld[]): Promise<void> {
  const subscriptions = ctx.writer('subscriptions', [
    'id',
    'tenant_id',
    'plan_id',
    'status',
    'current_period_start',
    'current_period_end',
    'cancel_at',
    'canceled_at',
    'stripe_subscription_id',
    'created_at',
    'updated_at',
  ]);
  const invoices = ctx.writer(
    'invoices',
    [
      'id',
      'tenant_id',
      'subscription_id',
      'invoice_number',
      'status',
      'currency',
      'amount_due',
      'amount_paid',
      'issued_at',
      'due_at',
      'paid_at',
      'stripe_invoice_id',
      'created_at',
      'updated_at',
    ],
    { parents: [subscriptions] },
  );
  for (const world of worlds) {
    const { tenant } = world;
    const rng = ctx.rng(`billing:${tenant.slug}`);
    const id = rng.uuid();
    const start = tenant.createdAt.getTime();
    const trial = tenant.plan === 'trial';
    // Monthly periods from the signup day; the current one contains the anchor.
    const periods = Math.floor((ctx.anchorMs - start) / (30 * DAY));
    const periodStart = start + periods * 30 * DAY;
    await subscriptions.add({
      id,
      tenant_id: tenant.id,
      plan_id: PLAN_IDS[tenant.plan],
      status: trial ? 'trialing' : 'active',
      current_period_start: new Date(trial ? start : periodStart),
      current_period_end: new Date(trial ? start + 14 * DAY : periodStart + 30 * DAY),
      cancel_at: null,
      canceled_at: null,
      stripe_subscription_id: `sub_${rng.token(24)}`,
      created_at: new Date(start),
      updated_at: new Date(trial ? start : periodStart),
    });
    if (trial) continue;
    // Subsidiaries are billed at a group discount.
    const price = PLAN_PRICES[tenant.plan] * (tenant.type === 'subsidiary' ? 0.8 : 1);
    for (let p = 0; p <= periods + 1; p++) {
      const issued = start + p * 30 * DAY;
      const status = p === periods + 1 ? 'draft' : p === periods ? 'open' : 'paid';
      const issuedAt = status === 'draft' ? null : new Date(issued);
      const paidAt = status === 'paid' ? new Date(issued + rng.between(1, 72) * HOUR) : null;
      await invoices.add({
        id: rng.uuid(),
        tenant_id: tenant.id,
        subscription_id: id,
        invoice_number: `INV-${tenant.slug.toUpperCase()}-${String(p + 1).padStart(4, '0')}`,
        status,
        currency: 'USD',
        amount_due: price.toFixed(2),
        amount_paid: status === 'paid' ? price.toFixed(2) : '0.00',
        issued_at: issuedAt,
        due_at: issuedAt ? new Date(issued + 14 * DAY) : null,
        paid_at: paidAt,
        stripe_invoice_id: status === 'draft' ? null : `in_${rng.token(24)}`,
        created_at: new Date(Math.min(issued, ctx.anchorMs)),
        updated_at: new Date(Math.min(paidAt?.getTime() ?? issued, ctx.anchorMs)),
      });
    }
  }
  await ctx.finish(subscriptions, invoices);
}
