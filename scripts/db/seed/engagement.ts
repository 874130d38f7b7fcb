/**
 * scripts/db/seed/engagement.ts: what end users tell us (002): survey answers after widget chats,
 * recurring unresolved problems (deduplicated by embedding) with the end users who hit them, and
 * hand-offs to humans.
 */
import { embedText } from '../../../common/embeddings/deterministic-embedder.ts';
import { DAY, HOUR, MINUTE, type SeedContext } from './context.ts';
import type { TenantWorld } from './model.ts';

const PROBLEMS = [
  ['Tracking link in the shipping e-mail shows "label created" for days', 'shipping'],
  ['Discount code rejected at checkout although it is valid', 'checkout'],
  ['Refund not visible on the card statement after 10 days', 'refunds'],
  ['Cannot change the delivery address after ordering', 'orders'],
  ['Gift card balance not applied to the order total', 'checkout'],
  ['Size chart differs from the product page', 'catalogue'],
] as const;

const FEEDBACK = [
  'Quick and helpful, thanks!',
  'Answered my question about the refund right away.',
  'Had to repeat my order number twice.',
  'The bot could not change my address, a human did.',
  'Great, the tracking link worked.',
  null,
];

export async function seedEngagement(ctx: SeedContext, worlds: readonly TenantWorld[]): Promise<void> {
  const surveys = ctx.writer('survey_responses', [
    'id',
    'tenant_id',
    'session_id',
    'end_user_id',
    'rating',
    'feedback',
    'survey_type',
    'created_at',
  ]);
  const problems = ctx.writer('unresolved_problems', [
    'id',
    'tenant_id',
    'description',
    'embedding',
    'cluster_label',
    'frequency',
    'status',
    'created_at',
    'updated_at',
  ]);
  const problemUsers = ctx.writer(
    'unresolved_problem_users',
    ['problem_id', 'end_user_id', 'tenant_id', 'session_id', 'reported_at'],
    { parents: [problems] },
  );
  const escalations = ctx.writer('escalations', [
    'id',
    'tenant_id',
    'session_id',
    'end_user_id',
    'reason',
    'priority',
    'status',
    'assigned_to',
    'resolved_at',
    'created_at',
    'updated_at',
  ]);
  for (const world of worlds) {
    const { tenant, users } = world;
    const rng = ctx.rng(`engagement:${tenant.slug}`);
    const widgetSessions = world.sessions.filter((s) => s.kind === 'widget');
    const anySessions = widgetSessions.length > 0 ? widgetSessions : world.sessions;

    const surveyCount = ctx.count(10 * tenant.weight);
    for (let i = 0; i < surveyCount; i++) {
      const session = rng.pick(anySessions);
      const rating = rng.weighted([
        [5, 45],
        [4, 30],
        [3, 12],
        [2, 8],
        [1, 5],
      ] as const);
      await surveys.add({
        id: rng.uuid(),
        tenant_id: tenant.id,
        session_id: session.id,
        end_user_id: session.endUserId,
        rating,
        feedback: rating >= 4 ? rng.pick(FEEDBACK.slice(0, 3)) : rng.pick(FEEDBACK.slice(2)),
        survey_type: session.kind === 'widget' ? 'csat' : 'thumbs',
        created_at: ctx.after(session.createdAt, rng.between(5, 60) * MINUTE),
      });
    }

    if (world.endUsers.length > 0) {
      for (const [description, label] of PROBLEMS) {
        const id = rng.uuid();
        const reporters = rng.sample(world.endUsers, rng.int(1, Math.min(6, world.endUsers.length)));
        const first = ctx.ago(rng.between(3, 50) * DAY);
        await problems.add({
          id,
          tenant_id: tenant.id,
          description,
          embedding: embedText(description),
          cluster_label: label,
          frequency: reporters.length + rng.int(0, 8),
          status: rng.weighted([
            ['open', 6],
            ['investigating', 2],
            ['resolved', 2],
          ] as const),
          created_at: first,
          updated_at: ctx.after(first, rng.between(1, 20) * DAY),
        });
        for (const endUser of reporters) {
          const session = widgetSessions.find((s) => s.endUserId === endUser) ?? null;
          await problemUsers.add({
            problem_id: id,
            end_user_id: endUser,
            tenant_id: tenant.id,
            session_id: session?.id ?? null,
            reported_at: ctx.after(first, rng.between(0, 20) * DAY),
          });
        }
      }
    }

    const escalationCount = ctx.count(4 * tenant.weight);
    for (let i = 0; i < escalationCount; i++) {
      const session = rng.pick(anySessions);
      const created = ctx.after(session.createdAt, rng.between(2, 30) * MINUTE);
      const status =
        ctx.anchorMs - created.getTime() < 6 * HOUR
          ? rng.pick(['pending', 'assigned'])
          : rng.weighted([
              ['resolved', 8],
              ['assigned', 1],
              ['closed', 1],
            ] as const);
      const resolved =
        status === 'resolved' || status === 'closed' ? ctx.after(created, rng.between(0.5, 30) * HOUR) : null;
      await escalations.add({
        id: rng.uuid(),
        tenant_id: tenant.id,
        session_id: session.id,
        end_user_id: session.endUserId,
        reason: rng.pick([
          'Customer asked for a human',
          'Refund above the assistant limit',
          'Angry customer: repeated contact',
          'Legal question about a chargeback',
        ]),
        priority: rng.weighted([
          ['normal', 6],
          ['high', 3],
          ['urgent', 1],
        ] as const),
        status,
        assigned_to: status === 'pending' ? null : rng.pick([users.ops, users.approver]).id,
        resolved_at: resolved,
        created_at: created,
        updated_at: resolved ?? created,
      });
    }
  }
  await ctx.finish(surveys, problems, problemUsers, escalations);
}
