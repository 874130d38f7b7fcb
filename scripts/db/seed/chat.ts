/**
 * scripts/db/seed/chat.ts: where people talk to assistants: widgets, meetings and end users (002),
 * chat sessions and messages (000 + 002), uploaded files, conversation memory, and archived
 * assistant transcripts (004 conversation_logs).
 *
 *   session kinds: dashboard (a user, session_type chat), workspace (a user in a workspace),
 *   onboarding (one per tenant), widget (an end user through a widget), meeting (a video room)
 *
 * Messages alternate user/assistant (widget sessions open with the persona's system prompt);
 * assistant messages record model, provider, tokens, tool calls and citations, and the session's
 * cost_usd is the sum of its assistant messages. Sessions ≈ 25 × weight × scale per tenant, with
 * about ten messages each; messages are streamed.
 */
import { DAY, HOUR, MINUTE, type SeedContext } from './context.ts';
import { pgArray } from './copy.ts';
import type { SessionKind, TenantWorld } from './model.ts';
import { fill, followUp, opener, slots } from './chat-content.ts';
import { MODEL_PRICES, tokenCost } from './pricing.ts';
import { customerEmail, personName } from './vocabulary.ts';

const WINDOW_DAYS = 60;

export async function seedChat(ctx: SeedContext, worlds: readonly TenantWorld[]): Promise<void> {
  const widgets = ctx.writer('widgets', [
    'id',
    'tenant_id',
    'name',
    'domain_whitelist',
    'settings',
    'ai_personality_id',
    'is_active',
    'created_at',
    'updated_at',
  ]);
  const meetings = ctx.writer('meetings', [
    'id',
    'tenant_id',
    'room_name',
    'livekit_room_id',
    'created_by',
    'metadata',
    'created_at',
    'updated_at',
  ]);
  const endUsers = ctx.writer('end_users', [
    'id',
    'tenant_id',
    'external_id',
    'email',
    'name',
    'metadata',
    'first_seen_at',
    'last_seen_at',
    'created_at',
    'updated_at',
  ]);
  const sessions = ctx.writer(
    'chat_sessions',
    [
      'id',
      'tenant_id',
      'user_id',
      'title',
      'session_type',
      'workspace_id',
      'is_archived',
      'widget_id',
      'meeting_id',
      'end_user_id',
      'mode',
      'ai_personality_id',
      'cost_usd',
      'created_at',
      'updated_at',
    ],
    { parents: [widgets, meetings, endUsers] },
  );
  const messages = ctx.writer(
    'chat_messages',
    [
      'id',
      'tenant_id',
      'session_id',
      'role',
      'content',
      'tool_calls',
      'citations',
      'token_count',
      'input_tokens',
      'output_tokens',
      'model_used',
      'provider_used',
      'is_byok',
      'attachments',
      'metadata',
      'created_at',
    ],
    { parents: [sessions] },
  );
  const files = ctx.writer(
    'chat_files',
    [
      'id',
      'tenant_id',
      'user_id',
      'session_id',
      'file_name',
      'file_path',
      'file_type',
      'file_size',
      'created_at',
    ],
    { parents: [sessions] },
  );
  const memory = ctx.writer(
    'conversation_memory',
    ['id', 'tenant_id', 'session_id', 'messages', 'summary', 'token_count', 'created_at', 'updated_at'],
    { parents: [sessions] },
  );
  const logs = ctx.writer('conversation_logs', [
    'id',
    'tenant_id',
    'assistant_id',
    'work_item_id',
    'channel',
    'external_id',
    'messages',
    'cost_amount',
    'token_count',
    'started_at',
    'ended_at',
    'created_at',
  ]);

  for (const world of worlds) {
    const { tenant, users } = world;
    const rng = ctx.rng(`chat:${tenant.slug}`);
    const start = Math.max(tenant.createdAt.getTime() + HOUR, ctx.anchorMs - WINDOW_DAYS * DAY);
    const byok = tenant.slug === 'northwind-labs';
    const hasStore = tenant.providers.includes('shopify') || tenant.slug === 'northwind-labs';

    if (hasStore) {
      const at = new Date(tenant.createdAt.getTime() + 2 * DAY);
      const id = rng.uuid();
      world.widgets.push(id);
      await widgets.add({
        id,
        tenant_id: tenant.id,
        name: 'Storefront help',
        domain_whitelist: pgArray([`${tenant.slug}.example.com`, `www.${tenant.slug}.example.com`]),
        settings: {
          position: 'bottom-right',
          greeting: `Hi! Questions about your ${tenant.name} order?`,
          brand_color: '#1f6feb',
        },
        ai_personality_id: world.personalities[0] ?? null,
        is_active: true,
        created_at: at,
        updated_at: at,
      });
    }
    const meetingCount = tenant.plan === 'pro' ? 2 : 1;
    for (let i = 0; i < meetingCount; i++) {
      const id = rng.uuid();
      const at = new Date(start + (ctx.anchorMs - start) * rng.float());
      world.meetings.push(id);
      await meetings.add({
        id,
        tenant_id: tenant.id,
        room_name: `${tenant.slug}-${i === 0 ? 'month-end-close' : 'weekly-ops'}`,
        livekit_room_id: `RM_${rng.token(12)}`,
        created_by: users.admin.id,
        metadata: { recording: i === 0, participants: rng.int(2, 6), transcription: true },
        created_at: at,
        updated_at: at,
      });
    }
    if (world.widgets.length > 0) {
      const count = ctx.count(15 * tenant.weight);
      for (let i = 0; i < count; i++) {
        const id = rng.uuid();
        const first = new Date(start + (ctx.anchorMs - start) * rng.float() * 0.9);
        const last = ctx.after(first, rng.between(0, 30) * DAY);
        world.endUsers.push(id);
        await endUsers.add({
          id,
          tenant_id: tenant.id,
          external_id: `${tenant.providers.includes('shopify') ? 'shopify' : 'stripe'}-customer-${100_000 + i * 13 + rng.int(0, 12)}`,
          email: customerEmail(rng),
          name: personName(rng).full,
          metadata: { country: tenant.country, orders: rng.int(1, 12), marketing_opt_in: rng.chance(0.4) },
          first_seen_at: first,
          last_seen_at: last,
          created_at: first,
          updated_at: last,
        });
      }
    }

    const kinds: [SessionKind, number][] = [
      ['dashboard', 45],
      ['workspace', world.workspaces.length > 0 ? 15 : 0],
      ['widget', world.endUsers.length > 0 ? 32 : 0],
      ['meeting', 5],
    ];
    const sessionCount = ctx.count(25 * tenant.weight);
    const personalityOf = (kind: SessionKind): string | null =>
      kind === 'widget'
        ? (world.personalities[0] ?? null)
        : kind === 'dashboard'
          ? (world.personalities[1] ?? null)
          : null;
    const people = [users.admin, users.approver, users.viewer, users.ops, users.finance];
    let sampled = 0;
    let uploaded = false; // every tenant has at least one uploaded file
    const sampleCap = ctx.count(40 * tenant.weight);
    for (let s = 0; s < sessionCount; s++) {
      const kind: SessionKind = s === 0 ? 'onboarding' : rng.weighted(kinds);
      const id = rng.uuid();
      const created =
        s === 0
          ? new Date(tenant.createdAt.getTime() + 30 * MINUTE)
          : new Date(start + (ctx.anchorMs - start - HOUR) * Math.pow(rng.float(), 0.8));
      const user = kind === 'widget' ? null : kind === 'onboarding' ? users.admin : rng.pick(people);
      const endUser = kind === 'widget' ? rng.pick(world.endUsers) : null;
      const model = byok
        ? 'claude-sonnet-4-5-20250929'
        : kind === 'widget'
          ? 'claude-haiku-4-5'
          : rng.pick(['gpt-5.2', 'claude-sonnet-4-5-20250929', 'gemini-2.5-pro']);
      const provider = MODEL_PRICES[model]?.provider ?? 'openai';
      const pairs = kind === 'meeting' ? 1 : rng.int(2, 7);
      const first = opener(rng, kind);
      let at = created.getTime();
      let cost = 0;
      let title = '';
      const transcript: { role: string; content: string }[] = [];
      const rows: Parameters<typeof messages.add>[0][] = [];
      if (kind === 'widget') {
        rows.push({
          id: rng.uuid(),
          tenant_id: tenant.id,
          session_id: id,
          role: 'system',
          content: `You are the ${tenant.name} storefront assistant. Be warm and brief; never promise refunds, request them.`,
          tool_calls: null,
          citations: null,
          token_count: 24,
          input_tokens: null,
          output_tokens: null,
          model_used: null,
          provider_used: null,
          is_byok: false,
          attachments: null,
          metadata: null,
          created_at: new Date(Math.min(at, ctx.anchorMs)),
        });
      }
      for (let p = 0; p < pairs; p++) {
        const exchange = p === 0 ? first : followUp(rng);
        const filled = slots(rng, tenant, new Date(at));
        const question = fill(exchange.question, filled);
        const answer = fill(exchange.answer, filled);
        if (p === 0) title = question.length > 80 ? `${question.slice(0, 77)}...` : question;
        at += rng.between(0.2, 8) * MINUTE;
        const attachment = p === 0 && kind === 'dashboard' && rng.chance(0.1);
        rows.push({
          id: rng.uuid(),
          tenant_id: tenant.id,
          session_id: id,
          role: 'user',
          content: question,
          tool_calls: null,
          citations: null,
          token_count: Math.ceil(question.length / 4),
          input_tokens: null,
          output_tokens: null,
          model_used: null,
          provider_used: null,
          is_byok: false,
          attachments: attachment ? [{ file_name: 'payouts-export.csv', content_type: 'text/csv' }] : null,
          metadata: null,
          created_at: new Date(Math.min(at, ctx.anchorMs)),
        });
        const input = rng.int(800, 6000) + p * 400;
        const output = Math.ceil(answer.length / 3.5) + rng.int(10, 200);
        const messageCost = tokenCost(model, input, output);
        cost += messageCost;
        at += rng.between(2, 25) * 1000;
        const messageId = rng.uuid();
        const cited = exchange.cites && world.documents.length > 0 ? rng.sample(world.documents, 2) : [];
        rows.push({
          id: messageId,
          tenant_id: tenant.id,
          session_id: id,
          role: 'assistant',
          content: answer,
          tool_calls: exchange.tool
            ? [
                {
                  name: exchange.tool.name,
                  params: { query: fill(exchange.tool.query, filled) },
                  result: { rows: rng.int(1, 200) },
                  duration_ms: rng.int(180, 3200),
                },
              ]
            : null,
          citations: cited.length
            ? cited.map((d) => ({
                document_id: d.id,
                chunk_id: d.chunkId,
                title: d.title,
                score: Math.round(rng.between(0.55, 0.92) * 100) / 100,
              }))
            : null,
          token_count: input + output,
          input_tokens: input,
          output_tokens: output,
          model_used: model,
          provider_used: provider,
          is_byok: byok,
          attachments: null,
          metadata: {
            complexity: exchange.tool ? 'complex' : 'simple',
            cost_usd: Math.round(messageCost * 1e6) / 1e6,
            rag: { chunks: cited.length },
            crag: { confidence: Math.round(rng.between(0.6, 0.98) * 100) / 100 },
          },
          created_at: new Date(Math.min(at, ctx.anchorMs)),
        });
        transcript.push({ role: 'user', content: question }, { role: 'assistant', content: answer });
        if (sampled < sampleCap && rng.chance(0.35)) {
          sampled++;
          world.assistantMessages.push({
            id: messageId,
            sessionId: id,
            createdAt: new Date(at),
            excerpt: answer.slice(0, 160),
          });
        }
      }
      const lastAt = new Date(Math.min(at, ctx.anchorMs));
      await sessions.add({
        id,
        tenant_id: tenant.id,
        user_id: user?.id ?? null,
        title,
        session_type: kind === 'workspace' ? 'workspace' : kind === 'onboarding' ? 'onboarding' : 'chat',
        workspace_id: kind === 'workspace' ? rng.pick(world.workspaces).id : null,
        is_archived: ctx.anchorMs - created.getTime() > 30 * DAY && rng.chance(0.3),
        widget_id: kind === 'widget' ? rng.pick(world.widgets) : null,
        meeting_id: kind === 'meeting' ? rng.pick(world.meetings) : null,
        end_user_id: endUser,
        mode: kind === 'widget' ? 'chat' : kind === 'meeting' ? 'video' : null,
        ai_personality_id: personalityOf(kind),
        cost_usd: cost.toFixed(6),
        created_at: created,
        updated_at: lastAt,
      });
      for (const row of rows) await messages.add(row);
      world.sessions.push({ id, kind, userId: user?.id ?? null, endUserId: endUser, createdAt: created });
      if (kind === 'dashboard' && user && (rng.chance(0.1) || !uploaded)) {
        uploaded = true;
        await files.add({
          id: rng.uuid(),
          tenant_id: tenant.id,
          user_id: user.id,
          session_id: id,
          file_name: rng.pick(['payouts-export.csv', 'bank-statement.pdf', 'refunds-q3.xlsx']),
          file_path: `s3://outpost-chat-files/${tenant.id}/${id}/${rng.token(10)}`,
          file_type: rng.pick([
            'text/csv',
            'application/pdf',
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          ]),
          file_size: rng.int(2_000, 2_000_000),
          created_at: created,
        });
      }
      if (kind === 'widget' || (kind === 'dashboard' && rng.chance(0.3))) {
        const recent = transcript.slice(-4);
        await memory.add({
          id: rng.uuid(),
          tenant_id: tenant.id,
          session_id: id,
          messages: recent,
          summary: `${kind === 'widget' ? 'Customer' : 'User'} asked: ${title}`,
          token_count: recent.reduce((n, m) => n + Math.ceil(m.content.length / 4), 0),
          created_at: created,
          updated_at: lastAt,
        });
      }
    }

    const firstItemOf = new Map<string, (typeof world.workItems)[number]>();
    for (const item of world.workItems)
      if (!firstItemOf.has(item.assistantId)) firstItemOf.set(item.assistantId, item);
    const logCount = ctx.count(8 * tenant.weight);
    for (let i = 0; i < logCount; i++) {
      const assistant = rng.pick(world.assistants);
      const item = firstItemOf.get(assistant.id) ?? null;
      const started = new Date(start + (ctx.anchorMs - start - HOUR) * rng.float());
      const ended = ctx.after(started, rng.between(1, 40) * MINUTE);
      const channel = rng.pick(['slack', 'email', 'telegram', 'internal']);
      const id = rng.uuid();
      const turns = rng.int(2, 6);
      const transcript = Array.from({ length: turns }, (_, t) => ({
        role: t % 2 === 0 ? 'human' : 'assistant',
        at: new Date(started.getTime() + t * MINUTE).toISOString(),
        text:
          t % 2 === 0
            ? `Status of "${item?.title ?? 'the daily reconciliation'}"?`
            : 'Done, see the work item for details.',
      }));
      await logs.add({
        id,
        tenant_id: tenant.id,
        assistant_id: assistant.id,
        work_item_id: rng.chance(0.7) ? (item?.id ?? null) : null,
        channel,
        external_id:
          channel === 'telegram'
            ? String(rng.int(100_000_000, 999_999_999))
            : channel === 'slack'
              ? `C${rng.token(9, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}`
              : null,
        messages: transcript,
        cost_amount: (turns * rng.between(0.001, 0.02)).toFixed(4),
        token_count: turns * rng.int(300, 1500),
        started_at: started,
        ended_at: ended,
        created_at: ended,
      });
      world.conversationLogs.push({
        id,
        assistantId: assistant.id,
        workItemId: item?.id ?? null,
        endedAt: ended,
      });
    }
  }
  await ctx.finish(widgets, meetings, endUsers, sessions, messages, files, memory, logs);
}
