/**
 * scripts/db/seed/audit.ts: the audit log, written last, through the normal INSERT path so the
 * 0051 trigger builds each tenant's hash chain.
 *
 *   facts recorded by the generators (user.created, approval.approved, changeset.applied, ...)
 *   + routine events (views, searches, exports, tool calls, denied writes) up to ≈ 250 × weight × scale
 *   ──sort by time──► monthly partitions exist? (create the missing ones) ──COPY in batches──► audit_logs
 *   ──► record_audit_checkpoints()
 *
 * Invariants: rows are inserted in time order, so ids, chain_seq and created_at agree; each COPY
 * batch is its own transaction (the chain head row is updated per audit row; long transactions
 * would make that quadratic). Months before the current one get their own partition (named and
 * protected like ensure_audit_partitions does), so no seeded row lands in audit_logs_default.
 * Two columns the database stamps with now() are set to seeded times afterwards, so the rows are
 * reproducible: audit_chain_heads.updated_at (the tenant's last audit row) and
 * audit_log_integrity.verified_at (the anchor). Neither is part of the hash chain.
 */
import { DAY, HOUR, MINUTE, type SeedContext } from './context.ts';
import type { AuditFact, TenantWorld } from './model.ts';
import { documentationIp } from './vocabulary.ts';

const WINDOW_DAYS = 90;

const ROUTINE = [
  ['data', 'record.viewed', 'order', 'user', 30],
  ['data', 'search.performed', 'knowledge_document', 'user', 12],
  ['data', 'export.downloaded', 'order', 'user', 4],
  ['sync', 'sync.completed', 'job', 'system', 22],
  ['assistants', 'tool.invoked', 'mcp_connector', 'assistant', 18],
  ['config', 'settings.updated', 'tenant_config', 'user', 2],
  ['security', 'permission.denied', 'approval', 'user', 3],
  ['auth', 'user.logout', 'session', 'user', 6],
] as const;

function monthStart(ms: number): Date {
  const d = new Date(ms);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
}

async function ensurePartitions(ctx: SeedContext, fromMs: number, toMs: number): Promise<void> {
  for (
    let m = monthStart(fromMs);
    m.getTime() <= toMs;
    m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1))
  ) {
    const next = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1));
    const name = `audit_logs_${m.toISOString().slice(0, 7).replace('-', '_')}`;
    const { rows } = await ctx.client.query<{ exists: boolean }>(
      'SELECT to_regclass($1) IS NOT NULL AS exists',
      [name],
    );
    if (rows[0]?.exists) continue;
    const bound = (d: Date): string => `${d.toISOString().slice(0, 10)} 00:00:00+00`;
    await ctx.client.query(
      `CREATE TABLE ${name} PARTITION OF audit_logs FOR VALUES FROM ('${bound(m)}') TO ('${bound(next)}')`,
    );
    await ctx.client.query('SELECT prepare_audit_partition($1::regclass)', [name]); // guards it, and secures it centrally
  }
}

function routineFacts(ctx: SeedContext, world: TenantWorld, count: number): AuditFact[] {
  const { tenant, users } = world;
  const rng = ctx.rng(`audit:${tenant.slug}`);
  const since = Math.max(tenant.createdAt.getTime() + HOUR, ctx.anchorMs - WINDOW_DAYS * DAY);
  const people = [users.admin, users.approver, users.viewer, users.ops, users.finance];
  const facts: AuditFact[] = [];
  for (let i = 0; i < count; i++) {
    const [category, action, entityType, actorType] = rng.weighted(ROUTINE.map((r) => [r, r[4]] as const));
    const at = new Date(since + (ctx.anchorMs - since - MINUTE) * Math.pow(rng.float(), 0.9));
    const user = action === 'permission.denied' ? users.viewer : rng.pick(people);
    const job = world.jobs.length ? rng.pick(world.jobs) : null;
    const assistant = world.assistants.length ? rng.pick(world.assistants) : null;
    const base = { tenantId: tenant.id, at, category };
    if (actorType === 'system') {
      facts.push({
        ...base,
        actorType: 'system',
        actorId: null,
        action,
        entityType,
        entityId: job?.id ?? null,
        metadata: { job_type: job?.jobType ?? 'sync', rows: rng.int(0, 900) },
        status: 'success',
        correlationId: job?.correlationId ?? `job-${rng.hex(8)}`,
      });
    } else if (actorType === 'assistant') {
      facts.push({
        ...base,
        actorType: 'assistant',
        actorId: assistant?.id ?? null,
        action,
        entityType,
        entityId: null,
        metadata: {
          tool: rng.pick(['suiteql.read', 'record.get', 'docs.search']),
          duration_ms: rng.int(120, 4000),
        },
        status: rng.chance(0.96) ? 'success' : 'error',
        correlationId: `chat-${rng.hex(8)}`,
      });
    } else {
      facts.push({
        ...base,
        actorType: 'user',
        actorId: user.id,
        action,
        entityType,
        entityId: null,
        ...(action === 'settings.updated'
          ? { changes: { posting_batch_size: { from: 100, to: rng.pick([50, 200]) } } }
          : {}),
        metadata:
          action === 'permission.denied'
            ? { permission: 'approvals:decide', role: 'viewer' }
            : action === 'export.downloaded'
              ? { format: 'csv', rows: rng.int(10, 5000) }
              : {},
        status: action === 'permission.denied' ? 'denied' : 'success',
        ip: documentationIp(rng),
      });
    }
  }
  return facts;
}

export async function seedAudit(ctx: SeedContext, worlds: readonly TenantWorld[]): Promise<void> {
  const all: AuditFact[] = [...ctx.auditFacts];
  for (const world of worlds) {
    const recorded = ctx.auditFacts.filter((f) => f.tenantId === world.tenant.id).length;
    const target = ctx.count(250 * world.tenant.weight);
    all.push(...routineFacts(ctx, world, Math.max(0, target - recorded)));
  }
  // Stable sort: equal times keep the order the generators recorded them in.
  all.sort((a, b) => a.at.getTime() - b.at.getTime());
  const first = all[0];
  if (first) await ensurePartitions(ctx, first.at.getTime(), ctx.anchorMs);

  const writer = ctx.writer(
    'audit_logs',
    [
      'created_at',
      'tenant_id',
      'actor_type',
      'actor_id',
      'category',
      'action',
      'entity_type',
      'entity_id',
      'before_state',
      'after_state',
      'changes',
      'metadata',
      'status',
      'correlation_id',
      'ip_address',
    ],
    { batchRows: 1000 },
  );
  for (const f of all) {
    await writer.add({
      created_at: f.at.getTime() > ctx.anchorMs ? ctx.anchor : f.at,
      tenant_id: f.tenantId,
      actor_type: f.actorType,
      actor_id: f.actorId,
      category: f.category,
      action: f.action,
      entity_type: f.entityType,
      entity_id: f.entityId,
      before_state: f.before ?? null,
      after_state: f.after ?? null,
      changes: f.changes ?? null,
      metadata: f.metadata ?? null,
      status: f.status ?? 'success',
      correlation_id: f.correlationId ?? null,
      ip_address: f.ip ?? null,
    });
  }
  await ctx.finish(writer);

  await ctx.client.query(
    `UPDATE audit_chain_heads h SET updated_at = l.last
       FROM (SELECT tenant_id, max(created_at) AS last FROM audit_logs GROUP BY tenant_id) l
      WHERE l.tenant_id = h.tenant_id`,
  );
  await ctx.client.query('SELECT record_audit_checkpoints()');
  await ctx.client.query('UPDATE audit_log_integrity SET verified_at = $1', [ctx.anchor]);
}
