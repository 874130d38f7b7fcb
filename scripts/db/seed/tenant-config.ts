/**
 * scripts/db/seed/tenant-config.ts: per-tenant configuration (000): tenant_configs, the versioned
 * business and data-governance profiles, the system prompt generated from them, and the onboarding
 * checklist. The trial tenant (globex) is mid-onboarding; the others have finished.
 */
import { DAY, HOUR, type SeedContext } from './context.ts';
import { pgArray } from './copy.ts';
import type { TenantWorld } from './model.ts';
import { fernetToken } from './vocabulary.ts';

const STEPS = ['connection', 'profile', 'policy', 'discovery', 'finalize'] as const;

function chartOfAccounts(currency: string): object[] {
  return [
    { number: '1010', name: `Operating Bank (${currency})`, type: 'Bank' },
    { number: '1020', name: 'Stripe Clearing', type: 'Bank' },
    { number: '1200', name: 'Accounts Receivable', type: 'AcctRec' },
    { number: '2100', name: 'Sales Tax Payable', type: 'OthCurrLiab' },
    { number: '4000', name: 'Product Revenue', type: 'Income' },
    { number: '4050', name: 'Shipping Income', type: 'Income' },
    { number: '4900', name: 'Sales Returns and Refunds', type: 'Income' },
    { number: '6150', name: 'Merchant Processing Fees', type: 'Expense' },
    { number: '6160', name: 'Chargeback Losses', type: 'Expense' },
  ];
}

export async function seedTenantConfig(ctx: SeedContext, worlds: readonly TenantWorld[]): Promise<void> {
  const configs = ctx.writer('tenant_configs', [
    'id',
    'tenant_id',
    'subsidiaries',
    'account_mappings',
    'posting_mode',
    'posting_batch_size',
    'posting_attach_evidence',
    'netsuite_account_id',
    'ai_provider',
    'ai_model',
    'ai_api_key_encrypted',
    'ai_key_version',
    'multi_agent_enabled',
    'onboarding_completed_at',
    'created_at',
    'updated_at',
  ]);
  const profiles = ctx.writer('tenant_profiles', [
    'id',
    'tenant_id',
    'industry',
    'description',
    'subsidiaries',
    'chart_of_accounts',
    'item_types',
    'custom_segments',
    'fiscal_calendar',
    'version',
    'is_active',
    'created_at',
    'updated_at',
  ]);
  const policyProfiles = ctx.writer('policy_profiles', [
    'id',
    'tenant_id',
    'name',
    'read_only_mode',
    'allowed_record_types',
    'blocked_fields',
    'tool_allowlist',
    'max_rows_per_query',
    'custom_rules',
    'version',
    'is_active',
    'created_at',
    'updated_at',
  ]);
  const prompts = ctx.writer(
    'system_prompt_templates',
    [
      'id',
      'tenant_id',
      'tenant_profile_id',
      'policy_profile_id',
      'name',
      'version',
      'content',
      'is_active',
      'generated_at',
      'created_at',
      'updated_at',
    ],
    { parents: [profiles, policyProfiles] },
  );
  const checklist = ctx.writer('onboarding_checklist_items', [
    'id',
    'tenant_id',
    'step',
    'status',
    'data',
    'completed_by',
    'completed_at',
    'created_at',
    'updated_at',
  ]);

  for (const world of worlds) {
    const { tenant, users } = world;
    const rng = ctx.rng(`tenant-config:${tenant.slug}`);
    const start = tenant.createdAt.getTime();
    const onboarding = tenant.plan !== 'trial';
    const subsidiaries =
      tenant.type === 'holding'
        ? worlds
            .filter((w) => w.tenant.parentId === tenant.id)
            .map((w, i) => ({ id: String(i + 2), name: w.tenant.name, currency: w.tenant.currency }))
        : [
            {
              id:
                tenant.type === 'subsidiary'
                  ? String(worlds.filter((w) => w.tenant.parentId === tenant.parentId).indexOf(world) + 2)
                  : '1',
              name: tenant.name,
              currency: tenant.currency,
            },
          ];
    const byok = tenant.slug === 'northwind-labs';
    const finishedAt = onboarding ? new Date(start + rng.between(2, 6) * DAY) : null;
    await configs.add({
      id: rng.uuid(),
      tenant_id: tenant.id,
      subsidiaries,
      account_mappings: {
        revenue: '4000',
        shipping: '4050',
        refunds: '4900',
        fees: '6150',
        chargebacks: '6160',
        clearing: '1020',
        tax: '2100',
      },
      posting_mode: tenant.weight > 1.2 ? 'detail' : 'lumpsum',
      posting_batch_size: rng.pick([50, 100, 200]),
      posting_attach_evidence: tenant.type !== 'holding',
      netsuite_account_id: tenant.netsuiteAccount,
      ai_provider: byok ? 'anthropic' : null,
      ai_model: byok ? 'claude-sonnet-4-5-20250929' : null,
      ai_api_key_encrypted: byok ? fernetToken(rng) : null,
      ai_key_version: byok ? 2 : null,
      multi_agent_enabled: tenant.type === 'holding' || byok,
      onboarding_completed_at: finishedAt,
      created_at: new Date(start + HOUR),
      updated_at: new Date(Math.min(start + rng.between(3, 40) * DAY, ctx.anchorMs)),
    });

    const profileIds: string[] = [];
    const versions = onboarding ? 2 : 1;
    for (let v = 1; v <= versions; v++) {
      const id = rng.uuid();
      profileIds.push(id);
      const created = new Date(start + (v === 1 ? 1 : rng.between(20, 60)) * DAY);
      await profiles.add({
        id,
        tenant_id: tenant.id,
        industry: tenant.industry,
        description:
          `${tenant.name} sells ${tenant.catalogue.slice(0, 3).join(', ')} and more, in ${tenant.currency}. ` +
          (tenant.type === 'holding'
            ? 'It consolidates its subsidiaries monthly.'
            : 'Orders arrive through the online store and are settled by Stripe.'),
        subsidiaries,
        chart_of_accounts: chartOfAccounts(tenant.currency),
        item_types: [
          { type: 'InvtPart', count: rng.int(40, 900) },
          { type: 'NonInvtPart', count: rng.int(2, 40) },
          { type: 'Service', count: rng.int(1, 12) },
        ],
        custom_segments:
          v === 1
            ? []
            : [
                {
                  id: 'cseg_channel',
                  label: 'Sales Channel',
                  values: ['Online', 'Wholesale', 'Marketplace'],
                },
              ],
        fiscal_calendar: {
          fiscal_year_start_month: tenant.country === 'AU' ? 7 : 1,
          period_type: 'monthly',
          close_day: 5,
        },
        version: v,
        is_active: v === versions,
        created_at: created,
        updated_at: new Date(Math.min(created.getTime() + DAY, ctx.anchorMs)),
      });
    }

    const policyId = rng.uuid();
    const policyCreated = new Date(start + 1.5 * DAY);
    await policyProfiles.add({
      id: policyId,
      tenant_id: tenant.id,
      name: 'default',
      read_only_mode: true,
      allowed_record_types: pgArray([
        'transaction',
        'customer',
        'item',
        'account',
        'subsidiary',
        'journalentry',
        'deposit',
      ]),
      blocked_fields: { employee: ['socialsecuritynumber', 'birthdate'], customer: ['creditcardnumber'] },
      tool_allowlist: pgArray(['suiteql.read', 'docs.search', 'record.get', 'workspace.diff']),
      max_rows_per_query: tenant.type === 'holding' ? 5000 : 1000,
      custom_rules: {
        require_approval_for_writes: true,
        mask_pii_in_logs: true,
        max_posting_amount: tenant.currency === 'EUR' ? 25000 : 10000,
      },
      version: 1,
      is_active: true,
      created_at: policyCreated,
      updated_at: policyCreated,
    });

    const activeProfile = profileIds[profileIds.length - 1] ?? null;
    const promptCreated = new Date(Math.min(start + 2 * DAY + versions * DAY, ctx.anchorMs));
    await prompts.add({
      id: rng.uuid(),
      tenant_id: tenant.id,
      tenant_profile_id: activeProfile,
      policy_profile_id: policyId,
      name: 'default',
      version: 1,
      content: [
        `You are Outpost's operations assistant for ${tenant.name} (${tenant.industry}).`,
        `Amounts are in ${tenant.currency}; the fiscal year starts in month ${tenant.country === 'AU' ? 7 : 1}.`,
        'You may read NetSuite with SuiteQL (read-only) and search the knowledge base. Never post, delete or change records yourself:',
        'propose a changeset or request an approval instead. Cite the documents you used.',
        tenant.type === 'holding'
          ? 'Consolidate subsidiaries in the holding currency and eliminate intercompany transactions.'
          : '',
      ]
        .filter(Boolean)
        .join('\n'),
      is_active: true,
      generated_at: promptCreated,
      created_at: promptCreated,
      updated_at: promptCreated,
    });

    for (const [i, step] of STEPS.entries()) {
      const created = new Date(start + i * 10 * 60_000);
      const done = onboarding || i < 2;
      const inProgress = !onboarding && i === 2;
      const completedAt = done ? new Date(start + (i + 1) * rng.between(2, 10) * HOUR) : null;
      await checklist.add({
        id: rng.uuid(),
        tenant_id: tenant.id,
        step,
        status: done ? 'completed' : inProgress ? 'in_progress' : 'pending',
        data:
          step === 'connection'
            ? { providers: tenant.providers }
            : step === 'discovery' && done
              ? { record_types: rng.int(120, 260), custom_fields: rng.int(30, 400) }
              : {},
        completed_by: done ? users.admin.id : null,
        completed_at: completedAt,
        created_at: created,
        updated_at: completedAt ?? created,
      });
    }
  }
  await ctx.finish(configs, profiles, policyProfiles, prompts, checklist);
}
