/**
 * scripts/db/seed/tenants.ts: the demo tenants and the system tenant.
 *
 *   acme (standalone, pro)     globex (standalone, trial)     northwind (holding, pro)
 *                                                               ├── northwind-retail (subsidiary)
 *                                                               └── northwind-labs   (subsidiary)
 *
 * The system tenant (nil uuid, slug `system`) owns 000's shared documentation chunks; the central
 * bootstrap may already have created it, so it is inserted with ON CONFLICT DO NOTHING and is
 * never counted as "already seeded". Parents are inserted before their subsidiaries.
 */
import { DAY, type SeedContext } from './context.ts';
import type { TenantDefinition, TenantRef } from './model.ts';
import { SYSTEM_TENANT_ID } from './reference.ts';

export const TENANT_DEFINITIONS: readonly TenantDefinition[] = [
  {
    slug: 'acme',
    name: 'Acme Outdoor Co.',
    type: 'standalone',
    parentSlug: null,
    plan: 'pro',
    industry: 'E-commerce: outdoor gear',
    currency: 'USD',
    country: 'US',
    timezone: 'America/Denver',
    taxRate: 0.0725,
    weight: 1.3,
    ageDays: 540,
    providers: ['shopify', 'stripe', 'netsuite', 'hubspot'],
    catalogue: [
      'Trail Runner GTX',
      'Summit 45L Pack',
      'Alpine Down Jacket',
      'Ridge Trekking Poles',
      'Basecamp Tent 2P',
      'Merino Crew Socks',
    ],
    netsuiteAccount: 'TSTDRV1482201',
  },
  {
    slug: 'globex',
    name: 'Globex Haushaltswaren GmbH',
    type: 'standalone',
    parentSlug: null,
    plan: 'trial',
    industry: 'E-commerce: home goods',
    currency: 'EUR',
    country: 'DE',
    timezone: 'Europe/Berlin',
    taxRate: 0.19,
    weight: 1.0,
    ageDays: 9,
    providers: ['shopify', 'stripe', 'netsuite', 'salesforce'],
    catalogue: [
      'Gusseisen-Pfanne 28 cm',
      'Leinen-Geschirrtuch 3er',
      'Espressokanne 6 Tassen',
      'Keramik-Vorratsdose',
      'Messerblock Eiche',
    ],
    netsuiteAccount: '5523187_SB1',
  },
  {
    slug: 'northwind',
    name: 'Northwind Holdings Pty Ltd',
    type: 'holding',
    parentSlug: null,
    plan: 'pro',
    industry: 'Holding company',
    currency: 'AUD',
    country: 'AU',
    timezone: 'Australia/Sydney',
    taxRate: 0.1,
    weight: 0.4,
    ageDays: 720,
    providers: ['netsuite', 'xero', 'stripe'],
    catalogue: ['Management services', 'Shared IT services'],
    netsuiteAccount: '7781934',
  },
  {
    slug: 'northwind-retail',
    name: 'Northwind Retail Pty Ltd',
    type: 'subsidiary',
    parentSlug: 'northwind',
    plan: 'pro',
    industry: 'Retail: specialty food',
    currency: 'AUD',
    country: 'AU',
    timezone: 'Australia/Sydney',
    taxRate: 0.1,
    weight: 1.5,
    ageDays: 700,
    providers: ['shopify', 'stripe', 'netsuite', 'zendesk', 'myob'],
    catalogue: [
      'Single Origin Coffee 1kg',
      'Tasmanian Honey 500g',
      'Gourmet Hamper',
      'Sourdough Starter Kit',
      'Olive Oil 750ml',
    ],
    netsuiteAccount: '7781934',
  },
  {
    slug: 'northwind-labs',
    name: 'Northwind Labs Inc.',
    type: 'subsidiary',
    parentSlug: 'northwind',
    plan: 'pro',
    industry: 'Software: B2B SaaS',
    currency: 'USD',
    country: 'US',
    timezone: 'America/Los_Angeles',
    taxRate: 0,
    weight: 0.8,
    ageDays: 380,
    providers: ['stripe', 'netsuite', 'pipedrive', 'asana'],
    catalogue: ['Starter plan (annual)', 'Growth plan (monthly)', 'Enterprise seats', 'Onboarding package'],
    netsuiteAccount: '7781934',
  },
];

export const DEMO_TENANT_SLUGS: readonly string[] = TENANT_DEFINITIONS.map((t) => t.slug);

export async function seedTenants(ctx: SeedContext): Promise<TenantRef[]> {
  const rng = ctx.rng('tenants');
  const created: TenantRef[] = [];
  const systemCreated = ctx.ago(900 * DAY);
  await ctx.client.query(
    `INSERT INTO tenants (id, name, slug, tenant_type, status, is_active, plan, industry, settings, metadata,
                          created_at, updated_at)
     VALUES ($1, 'Outpost (shared documentation)', 'system', 'standalone', 'active', true, 'pro', NULL,
             '{"system": true}', '{"purpose": "owns shared documentation chunks (000 doc_chunks)"}', $2, $2)
     ON CONFLICT (id) DO NOTHING`,
    [SYSTEM_TENANT_ID, systemCreated],
  );
  for (const def of TENANT_DEFINITIONS) {
    const id = rng.uuid();
    const parent = def.parentSlug ? created.find((t) => t.slug === def.parentSlug) : undefined;
    const createdAt = ctx.ago(def.ageDays * DAY + rng.int(0, 20) * 3_600_000);
    const tenant: TenantRef = { ...def, id, parentId: parent?.id ?? null, createdAt };
    const settings = {
      timezone: def.timezone,
      locale: def.country === 'DE' ? 'de-DE' : def.country === 'AU' ? 'en-AU' : 'en-US',
      default_currency: def.currency,
      fiscal_year_start_month: def.country === 'AU' ? 7 : 1,
      ...(def.type === 'holding'
        ? { consolidation_currency: def.currency, eliminate_intercompany: true }
        : {}),
    };
    const quotaUsers = def.plan === 'trial' ? 5 : 50;
    await ctx.client.query(
      `INSERT INTO tenants (id, name, slug, tenant_type, parent_tenant_id, status, is_active, plan, plan_expires_at,
                            industry, settings, metadata, api_key, stripe_customer_id, quota_max_assistants,
                            quota_max_users, quota_monthly_cost_limit, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'active', true, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
      [
        id,
        def.name,
        def.slug,
        def.type,
        tenant.parentId,
        def.plan,
        def.plan === 'trial' ? new Date(createdAt.getTime() + 14 * DAY) : null,
        def.industry,
        settings,
        { country: def.country, signup_source: def.plan === 'trial' ? 'website' : 'sales', demo: true },
        `otk_${rng.token(40)}`,
        `cus_${rng.token(14)}`,
        def.plan === 'trial' ? 2 : 10,
        quotaUsers,
        def.plan === 'trial' ? '50.00' : def.type === 'holding' ? '5000.00' : '1000.00',
        createdAt,
        ctx.after(createdAt, rng.int(1, 60) * DAY),
      ],
    );
    created.push(tenant);
  }
  return created;
}
