/**
 * scripts/db/seed/quality.ts: quality assurance of assistant answers (002 qa_reviews, qa_metrics)
 * and hallucination flags (004 flags on an assistant's work or transcript, 002 detections on a
 * chat message). Reviews and message flags refer to the sample of assistant messages chat.ts kept.
 */
import { HOUR, MINUTE, type SeedContext } from './context.ts';
import type { TenantWorld } from './model.ts';
import { monthKey } from './vocabulary.ts';

export async function seedQuality(ctx: SeedContext, worlds: readonly TenantWorld[]): Promise<void> {
  const reviews = ctx.writer('qa_reviews', [
    'id',
    'tenant_id',
    'message_id',
    'review_type',
    'score',
    'feedback',
    'reviewer',
    'created_at',
  ]);
  const metrics = ctx.writer('qa_metrics', [
    'id',
    'tenant_id',
    'period',
    'total_reviews',
    'avg_score',
    'hallucination_rate',
    'created_at',
    'updated_at',
  ]);
  const flags = ctx.writer('hallucination_flags', [
    'id',
    'tenant_id',
    'assistant_id',
    'work_item_id',
    'conversation_log_id',
    'message_id',
    'detection_method',
    'confidence_score',
    'flagged_content',
    'evidence',
    'status',
    'reviewed_by',
    'reviewed_at',
    'notes',
    'created_at',
  ]);
  for (const world of worlds) {
    const { tenant, users } = world;
    if (world.assistantMessages.length === 0) continue;
    const rng = ctx.rng(`quality:${tenant.slug}`);
    const monthly = new Map<string, { n: number; sum: number; flagged: number }>();
    const reviewCount = ctx.count(20 * tenant.weight);
    for (let i = 0; i < reviewCount; i++) {
      const message = rng.pick(world.assistantMessages);
      const automated = rng.chance(0.7);
      const value = automated ? rng.between(55, 100) : rng.pick([60, 70, 80, 90, 100]);
      const at = ctx.after(message.createdAt, rng.between(1, 48) * HOUR);
      await reviews.add({
        id: rng.uuid(),
        tenant_id: tenant.id,
        message_id: message.id,
        review_type: automated ? 'automated' : 'human',
        score: value.toFixed(2),
        feedback:
          value < 70
            ? 'Cites the wrong document for the refund limit.'
            : automated
              ? null
              : 'Accurate and concise.',
        reviewer: automated ? null : rng.pick([users.approver, users.admin]).id,
        created_at: at,
      });
      const key = monthKey(at);
      const m = monthly.get(key) ?? { n: 0, sum: 0, flagged: 0 };
      m.n++;
      m.sum += value;
      m.flagged += value < 65 ? 1 : 0;
      monthly.set(key, m);
    }
    for (const [period, m] of [...monthly.entries()].sort()) {
      const at = new Date(
        Math.min(Date.parse(`${period}-01T00:00:00Z`) + 32 * 86_400_000, ctx.anchorMs - HOUR),
      );
      await metrics.add({
        id: rng.uuid(),
        tenant_id: tenant.id,
        period,
        total_reviews: m.n,
        avg_score: (m.sum / m.n).toFixed(2),
        hallucination_rate: (m.flagged / m.n).toFixed(4),
        created_at: at,
        updated_at: at,
      });
    }

    const flagCount = ctx.count(5 * tenant.weight);
    for (let i = 0; i < flagCount; i++) {
      const onMessage = i % 2 === 0;
      const message = rng.pick(world.assistantMessages);
      const log = world.conversationLogs.length ? rng.pick(world.conversationLogs) : null;
      const assistant = log ? log.assistantId : rng.pick(world.assistants).id;
      const created = onMessage
        ? ctx.after(message.createdAt, rng.between(1, 30) * MINUTE)
        : log
          ? ctx.after(log.endedAt, 10 * MINUTE)
          : ctx.ago(2 * HOUR);
      const status = rng.weighted([
        ['pending', 4],
        ['reviewed', 2],
        ['false_positive', 2],
        ['confirmed', 2],
      ] as const);
      const reviewed = status === 'pending' ? null : ctx.after(created, rng.between(1, 48) * HOUR);
      await flags.add({
        id: rng.uuid(),
        tenant_id: tenant.id,
        assistant_id: onMessage ? null : assistant,
        work_item_id: onMessage ? null : (log?.workItemId ?? null),
        conversation_log_id: onMessage ? null : (log?.id ?? null),
        message_id: onMessage ? message.id : null,
        detection_method: rng.pick(['confidence', 'fact_check', 'pattern']),
        confidence_score: rng.between(0.3, 0.95).toFixed(2),
        flagged_content: onMessage
          ? message.excerpt
          : 'Stated that the payout was matched before the deposit existed.',
        evidence: onMessage
          ? {
              claim: message.excerpt.slice(0, 60),
              contradicted_by: 'knowledge base',
              similarity: Math.round(rng.float() * 100) / 100,
            }
          : null,
        status,
        reviewed_by: reviewed ? users.approver.id : null,
        reviewed_at: reviewed,
        notes: status === 'confirmed' ? 'Added to the RAG test set.' : null,
        created_at: created,
      });
    }
  }
  await ctx.finish(reviews, metrics, flags);
}
