/**
 * scripts/db/seed/jobs.ts: background sync jobs with their schedules and evidence packs (000), and
 * declarative workflows with steps and runs (001).
 *
 * Jobs belong to a connection's provider (shopify_sync, stripe_sync, netsuite_posting, ...). Most
 * completed; a few failed (with the error the provider returned), one per tenant is running and
 * one is pending. NetSuite posting jobs that completed carry an immutable evidence pack.
 */
import { createHash } from 'node:crypto';
import { DAY, HOUR, MINUTE, type SeedContext } from './context.ts';
import type { Provider, TenantWorld } from './model.ts';
import { isoDate } from './vocabulary.ts';

const JOB_TYPES: Readonly<Partial<Record<Provider, readonly string[]>>> = {
  shopify: ['shopify_sync'],
  stripe: ['stripe_sync'],
  netsuite: ['netsuite_sync', 'netsuite_posting', 'metadata_discovery'],
  xero: ['xero_sync'],
  myob: ['myob_sync'],
  hubspot: ['hubspot_sync'],
  salesforce: ['salesforce_sync'],
  zendesk: ['zendesk_sync'],
  pipedrive: ['pipedrive_sync'],
  asana: ['asana_sync'],
};

const CRON: Readonly<Record<string, string>> = {
  shopify_sync: '*/15 * * * *',
  stripe_sync: '*/15 * * * *',
  netsuite_sync: '0 * * * *',
  netsuite_posting: '30 2 * * *',
  metadata_discovery: '0 3 * * 0',
};

const FAILURES = [
  'NetSuite REST 429: request limit exceeded for this account (concurrency 5)',
  'Shopify API 502 Bad Gateway after 3 retries',
  'Stripe API: rate_limit (too many requests), retry after 2 s',
  'INVALID_SESSION_ID: session expired or invalid (token rotated?)',
  'Posting period Oct 2026 is closed: journal entry refused',
];

const WORKFLOWS = [
  {
    name: 'Daily payout reconciliation',
    steps: [
      {
        name: 'Fetch Stripe payouts',
        executor: 'api_call',
        config: { provider: 'stripe', endpoint: '/v1/payouts', since: 'P1D' },
      },
      {
        name: 'Match payouts to bank deposits',
        executor: 'python_worker',
        config: { tolerance_cents: 5, match_on: ['amount', 'arrival_date'] },
      },
      {
        name: 'Draft NetSuite deposit',
        executor: 'python_worker',
        config: { account: '1010', clearing_account: '1020' },
      },
      {
        name: 'Request approval over limit',
        executor: 'api_call',
        config: { endpoint: '/v1/approvals', threshold: 10000 },
      },
    ],
  },
  {
    name: 'Month-end close checklist',
    steps: [
      {
        name: 'Lock Shopify imports for the period',
        executor: 'api_call',
        config: { action: 'freeze_cursor' },
      },
      { name: 'Accrue unsettled payouts', executor: 'python_worker', config: { account: '1200' } },
      {
        name: 'Run trial balance assertions',
        executor: 'python_worker',
        config: { suiteql: 'SELECT account, SUM(amount) FROM transactionline GROUP BY account' },
      },
    ],
  },
  {
    name: 'Dispute evidence pack',
    steps: [
      {
        name: 'Collect order, fulfilment and tracking',
        executor: 'api_call',
        config: { provider: 'shopify' },
      },
      { name: 'Render evidence PDF', executor: 'python_worker', config: { template: 'dispute_v2' } },
    ],
  },
] as const;

export async function seedJobs(ctx: SeedContext, worlds: readonly TenantWorld[]): Promise<void> {
  const jobs = ctx.writer('jobs', [
    'id',
    'tenant_id',
    'job_type',
    'status',
    'correlation_id',
    'connection_id',
    'parameters',
    'result_summary',
    'error_message',
    'celery_task_id',
    'started_at',
    'completed_at',
    'created_at',
    'updated_at',
  ]);
  const schedules = ctx.writer('schedules', [
    'id',
    'tenant_id',
    'connection_id',
    'job_type',
    'cron_expression',
    'timezone',
    'parameters',
    'is_active',
    'last_run_at',
    'next_run_at',
    'created_at',
    'updated_at',
  ]);
  const evidence = ctx.writer(
    'evidence_packs',
    [
      'id',
      'tenant_id',
      'job_id',
      'pack_type',
      'file_name',
      'storage_uri',
      'content_type',
      'size_bytes',
      'sha256',
      'row_count',
      'metadata',
      'created_at',
    ],
    { parents: [jobs] },
  );
  const workflows = ctx.writer('workflows', [
    'id',
    'tenant_id',
    'name',
    'steps',
    'status',
    'created_at',
    'updated_at',
  ]);
  const steps = ctx.writer(
    'workflow_steps',
    [
      'id',
      'tenant_id',
      'workflow_id',
      'position',
      'name',
      'executor',
      'input_schema',
      'output_schema',
      'config',
      'created_at',
      'updated_at',
    ],
    { parents: [workflows] },
  );
  const runs = ctx.writer(
    'workflow_runs',
    [
      'id',
      'tenant_id',
      'workflow_id',
      'status',
      'output',
      'error',
      'started_at',
      'finished_at',
      'created_at',
    ],
    { parents: [workflows] },
  );

  for (const world of worlds) {
    const { tenant, users } = world;
    const rng = ctx.rng(`jobs:${tenant.slug}`);
    const kinds = world.connections.flatMap((c) =>
      (JOB_TYPES[c.provider] ?? []).map((t) => ({ type: t, connection: c })),
    );
    const total = ctx.count(20 * tenant.weight, kinds.length + 2);
    const firstConnection = Math.min(...world.connections.map((c) => c.createdAt.getTime()));
    const span = ctx.anchorMs - firstConnection;
    for (let i = 0; i < total; i++) {
      const { type, connection } = kinds[i % kinds.length] ?? rng.pick(kinds);
      // The last two jobs are the live ones: one running, one queued.
      const status =
        i === total - 1
          ? 'pending'
          : i === total - 2
            ? 'running'
            : connection.status === 'error'
              ? 'failed'
              : rng.chance(0.9)
                ? 'completed'
                : 'failed';
      const created =
        status === 'pending'
          ? ctx.ago(rng.between(1, 4) * MINUTE)
          : status === 'running'
            ? ctx.ago(rng.between(5, 15) * MINUTE)
            : new Date(firstConnection + span * Math.sqrt(rng.float()) * 0.995);
      const started = status === 'pending' ? null : ctx.after(created, rng.between(1, 30) * 1000);
      const finished =
        status === 'completed' || status === 'failed'
          ? ctx.after(started ?? created, rng.between(5, 600) * 1000)
          : null;
      const id = rng.uuid();
      const correlationId = `job-${rng.hex(8)}`;
      const rows = rng.int(0, 2500);
      const created2 = Math.floor(rows * rng.between(0.1, 0.6));
      await jobs.add({
        id,
        tenant_id: tenant.id,
        job_type: type,
        status,
        correlation_id: correlationId,
        connection_id: connection.id,
        parameters:
          type === 'netsuite_posting'
            ? {
                posting_date: isoDate(created),
                mode: tenant.weight > 1.2 ? 'detail' : 'lumpsum',
                subsidiary: '1',
              }
            : { since: new Date(created.getTime() - HOUR).toISOString(), page_size: 250 },
        result_summary:
          status === 'completed'
            ? { rows_processed: rows, rows_created: created2, rows_updated: rows - created2 }
            : null,
        error_message: status === 'failed' ? rng.pick(FAILURES) : null,
        celery_task_id: rng.uuid(),
        started_at: started,
        completed_at: finished,
        created_at: created,
        updated_at: finished ?? started ?? created,
      });
      world.jobs.push({
        id,
        jobType: type,
        status,
        connectionId: connection.id,
        createdAt: created,
        correlationId,
      });
      if (status === 'failed') {
        ctx.audit({
          tenantId: tenant.id,
          at: finished ?? created,
          actorType: 'system',
          actorId: null,
          category: 'jobs',
          action: 'job.failed',
          entityType: 'job',
          entityId: id,
          metadata: { job_type: type },
          status: 'error',
          correlationId,
        });
      } else if (type === 'netsuite_posting' && status === 'completed') {
        ctx.audit({
          tenantId: tenant.id,
          at: finished ?? created,
          actorType: 'service_account',
          actorId: users.bot.id,
          category: 'netsuite',
          action: 'journal_entry.posted',
          entityType: 'job',
          entityId: id,
          metadata: { rows },
          status: 'success',
          correlationId,
        });
        const csv = `date,account,debit,credit,memo\n${isoDate(created)},1020,${rows},0,Stripe clearing\n`;
        await evidence.add({
          id: rng.uuid(),
          tenant_id: tenant.id,
          job_id: id,
          pack_type: 'csv',
          file_name: `je-evidence-${isoDate(created)}-${id.slice(0, 8)}.csv`,
          storage_uri: `s3://outpost-evidence/${tenant.id}/${id}.csv`,
          content_type: 'text/csv',
          size_bytes: 2048 + rows * 96,
          sha256: createHash('sha256')
            .update(csv + id)
            .digest('hex'),
          row_count: rows,
          metadata: { generated_by: 'netsuite_posting', posting_mode: 'lumpsum' },
          created_at: finished ?? created,
        });
      }
    }

    for (const connection of world.connections) {
      for (const type of JOB_TYPES[connection.provider] ?? []) {
        const cron = CRON[type] ?? '0 */6 * * *';
        const created = new Date(connection.createdAt.getTime() + 20 * MINUTE);
        const active = connection.status === 'active';
        await schedules.add({
          id: rng.uuid(),
          tenant_id: tenant.id,
          connection_id: connection.id,
          job_type: type,
          cron_expression: cron,
          timezone: tenant.timezone,
          parameters: type === 'netsuite_posting' ? { mode: 'lumpsum' } : { page_size: 250 },
          is_active: active,
          last_run_at: active ? ctx.ago(rng.between(1, 14) * MINUTE) : ctx.ago(rng.between(30, 50) * HOUR),
          next_run_at: active ? ctx.ahead(rng.between(1, 15) * MINUTE) : null,
          created_at: created,
          updated_at: created,
        });
      }
    }

    for (const [w, def] of WORKFLOWS.entries()) {
      if (tenant.type === 'holding' && w === 2) continue;
      const id = rng.uuid();
      const created = new Date(Math.min(tenant.createdAt.getTime() + (w + 2) * DAY, ctx.anchorMs - DAY));
      const status = w === 2 && tenant.slug === 'globex' ? 'archived' : 'active';
      await workflows.add({
        id,
        tenant_id: tenant.id,
        name: def.name,
        steps: def.steps,
        status,
        created_at: created,
        updated_at: created,
      });
      for (const [position, step] of def.steps.entries()) {
        await steps.add({
          id: rng.uuid(),
          tenant_id: tenant.id,
          workflow_id: id,
          position,
          name: step.name,
          executor: step.executor,
          input_schema: {
            type: 'object',
            properties: { period: { type: 'string' }, tenant_currency: { const: tenant.currency } },
          },
          output_schema: {
            type: 'object',
            properties: { ok: { type: 'boolean' }, rows: { type: 'integer' } },
          },
          config: step.config,
          created_at: created,
          updated_at: created,
        });
      }
      const runCount = ctx.count(4 * tenant.weight);
      for (let r = 0; r < runCount; r++) {
        const last = r === runCount - 1 && status === 'active';
        const runStatus = last
          ? rng.pick(['queued', 'running'] as const)
          : rng.weighted([
              ['succeeded', 85],
              ['failed', 10],
              ['cancelled', 5],
            ] as const);
        const runCreated = last
          ? ctx.ago(rng.between(1, 10) * MINUTE)
          : new Date(created.getTime() + (ctx.anchorMs - created.getTime()) * rng.float() * 0.98);
        const start = runStatus === 'queued' ? null : ctx.after(runCreated, rng.between(1, 20) * 1000);
        const end =
          runStatus === 'succeeded' || runStatus === 'failed' || runStatus === 'cancelled'
            ? ctx.after(start ?? runCreated, rng.between(10, 900) * 1000)
            : null;
        await runs.add({
          id: rng.uuid(),
          tenant_id: tenant.id,
          workflow_id: id,
          status: runStatus,
          output:
            runStatus === 'succeeded'
              ? { steps_completed: def.steps.length, matched: rng.int(5, 80), unmatched: rng.int(0, 3) }
              : null,
          error:
            runStatus === 'failed'
              ? { step: rng.int(1, def.steps.length), message: rng.pick(FAILURES) }
              : null,
          started_at: start,
          finished_at: end,
          created_at: runCreated,
        });
      }
    }
  }
  await ctx.finish(jobs, schedules, evidence, workflows, steps, runs);
}
