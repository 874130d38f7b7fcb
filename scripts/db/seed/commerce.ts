/**
 * scripts/db/seed/commerce.ts: canonical commerce records (000): orders, payments, refunds,
 * disputes, payouts and payout lines, as the sync jobs would have written them.
 *
 *   orders (shopify, or stripe invoices) ──► payments (stripe charges; paypal/gift cards via shopify)
 *        │                                     ├─► refunds            └─► disputes
 *        └────── per UTC day: charges − refunds − disputes − fees ──► payouts ──► payout_lines
 *
 * Invariants: every row's dedupe_key is `{tenant_id}:{source}:{object_type}:{source_id}` with
 * provider-style source ids (sequential per tenant, so unique); order totals are
 * subtotal − discount + tax; a payout's lines add up to its net amount and net = gross − fees.
 * Volumes: orders ≈ 300 × tenant weight × scale over the 120 days before the anchor (denser
 * recently). Orders are streamed (memory stays bounded); only per-day sums are kept.
 */
import { DAY, HOUR, MINUTE, type SeedContext } from './context.ts';
import type { DailySales, TenantWorld } from './model.ts';
import type { Rng } from './random.ts';
import { customerEmail, isoDate, money, round2 } from './vocabulary.ts';

export const COMMERCE_WINDOW_DAYS = 120;

const ORDER_STATUS = [
  ['fulfilled', 62],
  ['paid', 18],
  ['partially_refunded', 5],
  ['refunded', 4],
  ['cancelled', 3],
  ['pending', 2],
] as const;

const REFUND_REASONS = [
  'requested_by_customer: item arrived damaged',
  'requested_by_customer: wrong size',
  'requested_by_customer: changed mind within 30 days',
  'duplicate: charged twice at checkout',
  'fraudulent: flagged by Radar after fulfilment',
  'order_cancelled: out of stock',
];

const DISPUTE_REASONS = [
  'fraudulent',
  'product_not_received',
  'product_unacceptable',
  'duplicate',
  'subscription_canceled',
];

/** Stripe's card pricing by market: [percent, fixed]. */
function cardFee(country: string, amount: number): number {
  const [pct, fixed] = country === 'DE' ? [0.015, 0.25] : country === 'AU' ? [0.0175, 0.3] : [0.029, 0.3];
  return round2(amount * pct + fixed);
}

function dedupe(tenantId: string, source: string, objectType: string, sourceId: string): string {
  return `${tenantId}:${source}:${objectType}:${sourceId}`;
}

/** Times of `count` events over the window, oldest first, denser towards the anchor. */
function eventTimes(ctx: SeedContext, rng: Rng, count: number, windowDays: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const age = windowDays * DAY * Math.pow(rng.float(), 1.25);
    times.push(ctx.anchorMs - age - rng.int(1, 600) * 1000);
  }
  return times.sort((a, b) => a - b);
}

/** The columns every canonical table (000) starts with. */
const CANONICAL = [
  'id',
  'tenant_id',
  'dedupe_key',
  'source',
  'source_id',
  'source_created',
  'synced_at',
] as const;

export async function seedCommerce(ctx: SeedContext, worlds: readonly TenantWorld[]): Promise<void> {
  const orders = ctx.writer('orders', [
    ...CANONICAL,
    'order_number',
    'status',
    'currency',
    'total_amount',
    'subtotal',
    'tax_amount',
    'discount_amount',
    'customer_email',
    'created_at',
    'updated_at',
  ]);
  const payments = ctx.writer('payments', [
    ...CANONICAL,
    'payment_id',
    'order_id',
    'amount',
    'currency',
    'status',
    'payment_method',
    'created_at',
    'updated_at',
  ]);
  const refunds = ctx.writer('refunds', [
    ...CANONICAL,
    'order_id',
    'reason',
    'amount',
    'currency',
    'status',
    'created_at',
    'updated_at',
  ]);
  const disputes = ctx.writer('disputes', [
    ...CANONICAL,
    'charge_id',
    'reason',
    'amount',
    'currency',
    'status',
    'created_at',
    'updated_at',
  ]);

  for (const world of worlds) {
    const { tenant } = world;
    const shopify = world.connections.find((c) => c.provider === 'shopify');
    const stripe = world.connections.find((c) => c.provider === 'stripe');
    if (!shopify && !stripe) continue;
    const rng = ctx.rng(`commerce:${tenant.slug}`);
    const orderSource = shopify ? 'shopify' : 'stripe';
    const orderObject = shopify ? 'order' : 'invoice';
    const importedAt = (shopify ?? stripe)?.createdAt.getTime() ?? tenant.createdAt.getTime();
    const prices = tenant.catalogue.map((name) => ({
      name,
      price: round2(
        ctx
          .rng(`price:${tenant.slug}:${name}`)
          .between(tenant.slug === 'northwind-labs' ? 90 : 8, tenant.slug === 'northwind-labs' ? 2400 : 320),
      ),
    }));
    const days = new Map<number, DailySales>();
    const dayOf = (ms: number): DailySales => {
      const key = Math.floor(ms / DAY);
      let d = days.get(key);
      if (!d) {
        d = {
          day: new Date(key * DAY),
          orders: 0,
          gross: 0,
          tax: 0,
          discounts: 0,
          refunds: 0,
          fees: 0,
          disputes: 0,
          charges: 0,
        };
        days.set(key, d);
      }
      return d;
    };
    const times = eventTimes(ctx, rng, ctx.count(300 * tenant.weight), COMMERCE_WINDOW_DAYS);
    let paymentSeq = 0;
    let disputeCount = 0;
    for (const [seq, t] of times.entries()) {
      const created = new Date(t);
      const recent = ctx.anchorMs - t < 2 * DAY;
      const status =
        recent && rng.chance(0.5) ? rng.pick(['pending', 'paid'] as const) : rng.weighted(ORDER_STATUS);
      const lines = rng.int(1, 4);
      let subtotal = 0;
      for (let l = 0; l < lines; l++) {
        const item = rng.pick(prices);
        subtotal += item.price * (rng.chance(0.8) ? 1 : rng.int(2, 4));
      }
      subtotal = round2(subtotal);
      const discount = rng.chance(0.2) ? round2(subtotal * rng.pick([0.1, 0.15, 0.2])) : 0;
      const tax = round2((subtotal - discount) * tenant.taxRate);
      const total = round2(subtotal - discount + tax);
      const sourceId = shopify
        ? String(5_871_204_000_000 + seq * 7_919 + rng.int(0, 7_000))
        : `in_${rng.token(24)}`;
      const orderNumber = shopify
        ? `#${1001 + seq}`
        : `${tenant.slug.toUpperCase().replace('-', '')}-${String(seq + 1).padStart(5, '0')}`;
      const synced = new Date(
        Math.min(
          Math.max(t + rng.between(1, 15) * MINUTE, importedAt + rng.between(5, 120) * MINUTE),
          ctx.anchorMs,
        ),
      );
      const updated = status === 'fulfilled' ? ctx.after(synced, rng.between(4, 72) * HOUR) : synced;
      const email = customerEmail(rng);
      await orders.add({
        id: rng.uuid(),
        tenant_id: tenant.id,
        dedupe_key: dedupe(tenant.id, orderSource, orderObject, sourceId),
        source: orderSource,
        source_id: sourceId,
        source_created: created,
        synced_at: synced,
        order_number: orderNumber,
        status,
        currency: tenant.currency,
        total_amount: money(total),
        subtotal: money(subtotal),
        tax_amount: money(tax),
        discount_amount: money(discount),
        customer_email: email,
        created_at: synced,
        updated_at: updated,
      });
      const day = dayOf(t);
      day.orders++;
      day.gross += subtotal;
      day.tax += tax;
      day.discounts += discount;

      // Payments: most by card through Stripe, some by PayPal or gift card through Shopify.
      const method = !shopify
        ? 'card'
        : rng.weighted([
            ['card', 78],
            ['paypal', 10],
            ['shop_pay', 7],
            ['gift_card', 5],
          ] as const);
      const viaStripe = Boolean(stripe) && (method === 'card' || method === 'shop_pay');
      const paySource = viaStripe ? 'stripe' : 'shopify';
      const payStatus =
        status === 'pending'
          ? 'pending'
          : status === 'cancelled'
            ? rng.pick(['voided', 'failed'])
            : 'succeeded';
      const attempts = payStatus === 'succeeded' && rng.chance(0.03) ? 2 : 1;
      let chargeId = '';
      for (let a = 0; a < attempts; a++) {
        const failedAttempt = attempts === 2 && a === 0;
        paymentSeq++;
        const paySourceId = viaStripe
          ? `ch_${rng.token(24)}`
          : String(7_200_000_000_000 + paymentSeq * 31 + rng.int(0, 30));
        chargeId = paySourceId;
        const payAt = new Date(t + (a * 3 + rng.between(0, 2)) * MINUTE);
        await payments.add({
          id: rng.uuid(),
          tenant_id: tenant.id,
          dedupe_key: dedupe(tenant.id, paySource, viaStripe ? 'charge' : 'transaction', paySourceId),
          source: paySource,
          source_id: paySourceId,
          source_created: payAt,
          synced_at: synced,
          payment_id: viaStripe ? `pi_${rng.token(24)}` : paySourceId,
          order_id: sourceId,
          amount: money(total),
          currency: tenant.currency,
          status: failedAttempt ? 'failed' : payStatus,
          payment_method: method,
          created_at: synced,
          updated_at: synced,
        });
      }
      if (viaStripe && payStatus === 'succeeded') {
        day.charges += total;
        day.fees += cardFee(tenant.country, total);
      }

      if (status === 'refunded' || status === 'partially_refunded') {
        const amount = status === 'refunded' ? total : round2(total * rng.pick([0.2, 0.3, 0.5]));
        const refundAt = Math.min(t + rng.between(1, 20) * DAY, ctx.anchorMs - rng.int(1, 60) * MINUTE);
        const refundId = viaStripe ? `re_${rng.token(24)}` : String(9_100_000_000_000 + seq);
        const refundStatus = ctx.anchorMs - refundAt < 6 * HOUR ? 'pending' : 'succeeded';
        await refunds.add({
          id: rng.uuid(),
          tenant_id: tenant.id,
          dedupe_key: dedupe(tenant.id, viaStripe ? 'stripe' : orderSource, 'refund', refundId),
          source: viaStripe ? 'stripe' : orderSource,
          source_id: refundId,
          source_created: new Date(refundAt),
          synced_at: new Date(Math.min(refundAt + 5 * MINUTE, ctx.anchorMs)),
          order_id: sourceId,
          reason: rng.pick(REFUND_REASONS),
          amount: money(amount),
          currency: tenant.currency,
          status: refundStatus,
          created_at: new Date(Math.min(refundAt + 5 * MINUTE, ctx.anchorMs)),
          updated_at: new Date(Math.min(refundAt + 5 * MINUTE, ctx.anchorMs)),
        });
        if (viaStripe && refundStatus === 'succeeded') dayOf(refundAt).refunds += amount;
      }

      // About 1.2 % of card orders are disputed; every store has at least one (from mid-window on).
      const disputed = rng.chance(0.012) || (disputeCount === 0 && seq >= times.length / 2);
      if (viaStripe && payStatus === 'succeeded' && status !== 'refunded' && disputed) {
        disputeCount++;
        const openedAt = Math.min(t + rng.between(3, 40) * DAY, ctx.anchorMs - rng.int(1, 600) * MINUTE);
        const age = ctx.anchorMs - openedAt;
        const disputeStatus =
          age < 7 * DAY
            ? rng.pick(['needs_response', 'warning_needs_response'])
            : age < 30 * DAY
              ? 'under_review'
              : rng.pick(['won', 'lost', 'lost']);
        const disputeId = `dp_${rng.token(24)}`;
        const at = new Date(Math.min(openedAt + 10 * MINUTE, ctx.anchorMs));
        await disputes.add({
          id: rng.uuid(),
          tenant_id: tenant.id,
          dedupe_key: dedupe(tenant.id, 'stripe', 'dispute', disputeId),
          source: 'stripe',
          source_id: disputeId,
          source_created: new Date(openedAt),
          synced_at: at,
          charge_id: chargeId,
          reason: rng.pick(DISPUTE_REASONS),
          amount: money(total),
          currency: tenant.currency,
          status: disputeStatus,
          created_at: at,
          updated_at: at,
        });
        dayOf(openedAt).disputes += total + 15;
      }
    }
    world.dailySales.push(...[...days.values()].sort((a, b) => a.day.getTime() - b.day.getTime()));
  }
  await ctx.finish(orders, payments, refunds, disputes);
  await seedPayouts(ctx, worlds);
}

/** One Stripe payout per day of card sales, arriving two days later; lines sum to the net. */
async function seedPayouts(ctx: SeedContext, worlds: readonly TenantWorld[]): Promise<void> {
  const payouts = ctx.writer('payouts', [
    ...CANONICAL,
    'payout_id',
    'status',
    'currency',
    'gross_amount',
    'fee_amount',
    'net_amount',
    'arrival_date',
    'transaction_count',
    'created_at',
    'updated_at',
  ]);
  const payoutLines = ctx.writer(
    'payout_lines',
    [...CANONICAL, 'payout_id', 'fee_type', 'amount', 'currency', 'description', 'created_at', 'updated_at'],
    { parents: [payouts] },
  );
  for (const world of worlds) {
    const { tenant } = world;
    if (!world.connections.some((c) => c.provider === 'stripe')) continue;
    const rng = ctx.rng(`payouts:${tenant.slug}`);
    for (const day of world.dailySales) {
      if (day.charges === 0) continue;
      const createdMs = day.day.getTime() + DAY + rng.between(1, 6) * HOUR;
      if (createdMs > ctx.anchorMs) continue;
      const arrival = new Date(day.day.getTime() + 3 * DAY);
      const status = arrival.getTime() > ctx.anchorMs ? 'in_transit' : 'paid';
      const id = rng.uuid();
      const payoutId = `po_${rng.token(24)}`;
      const gross = round2(day.charges - day.refunds - day.disputes);
      const fees = round2(day.fees);
      const net = round2(gross - fees);
      const synced = new Date(Math.min(createdMs + rng.between(2, 20) * MINUTE, ctx.anchorMs));
      await payouts.add({
        id,
        tenant_id: tenant.id,
        dedupe_key: `${tenant.id}:stripe:payout:${payoutId}`,
        source: 'stripe',
        source_id: payoutId,
        source_created: new Date(createdMs),
        synced_at: synced,
        payout_id: payoutId,
        status,
        currency: tenant.currency,
        gross_amount: money(gross),
        fee_amount: money(fees),
        net_amount: money(net),
        arrival_date: isoDate(arrival),
        transaction_count: day.orders,
        created_at: synced,
        updated_at: synced,
      });
      const lines: [string, number, string][] = [
        ['charge', round2(day.charges), `Card charges ${isoDate(day.day)}`],
        ['refund', -round2(day.refunds), `Refunds ${isoDate(day.day)}`],
        ['stripe_fee', -fees, 'Stripe processing fees'],
      ];
      if (day.disputes > 0)
        lines.push(['dispute', -round2(day.disputes), 'Disputed charges incl. dispute fee']);
      // Rounding of the parts can differ from the rounded net by a cent: carry it on an adjustment line.
      const drift = round2(net - lines.reduce((s, [, a]) => s + a, 0));
      if (drift !== 0) lines.push(['adjustment', drift, 'Rounding adjustment']);
      for (const [k, [feeType, amount, description]] of lines.entries()) {
        const lineId = `txn_${rng.token(24)}`;
        await payoutLines.add({
          id: rng.uuid(),
          tenant_id: tenant.id,
          dedupe_key: `${tenant.id}:stripe:balance_transaction:${lineId}`,
          source: 'stripe',
          source_id: lineId,
          source_created: new Date(createdMs + k * 1000),
          synced_at: synced,
          payout_id: id,
          fee_type: feeType,
          amount: money(amount),
          currency: tenant.currency,
          description,
          created_at: synced,
          updated_at: synced,
        });
      }
    }
  }
  await ctx.finish(payouts, payoutLines);
}
