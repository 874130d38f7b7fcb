/**
 * scripts/db/seed/evaluation.ts: RAG quality evaluation (002 RAGAS runs over curated test sets,
 * quality thresholds) and corrective-RAG traces (evaluations with refinements, reasoning steps and
 * responses, plus monthly CRAG metrics).
 */
import { DAY, HOUR, MINUTE, type SeedContext } from './context.ts';
import type { TenantWorld } from './model.ts';
import { monthKey } from './vocabulary.ts';

const TEST_CASES = [
  { question: 'How long do customers have to return an item?', ground_truth: '30 days from delivery.' },
  { question: 'Which account do refunds post to?', ground_truth: '4900 Sales Returns and Refunds.' },
  { question: 'When does a Stripe payout arrive?', ground_truth: 'Two business days after the charges.' },
  { question: 'Who approves accruals above the limit?', ground_truth: 'The finance approver.' },
  {
    question: 'What does INVALID_SESSION_ID mean?',
    ground_truth: 'The NetSuite token was rotated or revoked.',
  },
];

const QUERIES = [
  'refund policy damaged item',
  'payout arrived short by three cents',
  'journal entry for stripe fees',
  'how to respond to a dispute',
  'netsuite token expired',
  'close the period in netsuite',
];

const METRICS = [
  ['faithfulness', '0.8500', 'block_release'],
  ['answer_relevancy', '0.8000', 'alert'],
  ['context_precision', '0.7000', 'alert'],
  ['context_recall', '0.7500', 'alert'],
] as const;

const score = (x: number): number => Math.round(Math.min(1, Math.max(0, x)) * 10_000) / 10_000;

export async function seedEvaluation(ctx: SeedContext, worlds: readonly TenantWorld[]): Promise<void> {
  const testSets = ctx.writer('rag_test_sets', [
    'id',
    'tenant_id',
    'name',
    'description',
    'test_cases',
    'created_at',
    'updated_at',
  ]);
  const runs = ctx.writer('rag_evaluation_runs', [
    'id',
    'tenant_id',
    'name',
    'status',
    'metrics',
    'started_at',
    'completed_at',
    'created_at',
  ]);
  const evaluations = ctx.writer(
    'rag_evaluations',
    ['id', 'tenant_id', 'run_id', 'query', 'contexts', 'answer', 'scores', 'ground_truth', 'created_at'],
    { parents: [runs] },
  );
  const thresholds = ctx.writer('rag_quality_thresholds', [
    'id',
    'tenant_id',
    'metric',
    'threshold',
    'action',
    'is_active',
    'created_at',
    'updated_at',
  ]);
  const crag = ctx.writer('crag_evaluations', [
    'id',
    'tenant_id',
    'query',
    'confidence',
    'needs_refinement',
    'reasoning',
    'created_at',
  ]);
  const refinements = ctx.writer(
    'query_refinements',
    [
      'id',
      'tenant_id',
      'evaluation_id',
      'original_query',
      'refined_query',
      'reasoning',
      'improvement',
      'created_at',
    ],
    { parents: [crag] },
  );
  const steps = ctx.writer(
    'reasoning_steps',
    ['id', 'tenant_id', 'evaluation_id', 'step_number', 'reasoning', 'action', 'result', 'created_at'],
    { parents: [crag] },
  );
  const responses = ctx.writer(
    'crag_responses',
    ['id', 'tenant_id', 'evaluation_id', 'response', 'sources', 'confidence', 'latency_ms', 'created_at'],
    { parents: [crag] },
  );
  const cragMetrics = ctx.writer('crag_metrics', [
    'id',
    'tenant_id',
    'period',
    'total_queries',
    'refinement_rate',
    'avg_confidence',
    'created_at',
    'updated_at',
  ]);

  for (const world of worlds) {
    const { tenant } = world;
    const rng = ctx.rng(`evaluation:${tenant.slug}`);
    const start = tenant.createdAt.getTime();
    const setAt = new Date(Math.min(start + 3 * DAY, ctx.anchorMs - DAY));
    await testSets.add({
      id: rng.uuid(),
      tenant_id: tenant.id,
      name: 'Support and finance golden set',
      description: 'Questions with reviewed answers from the handbook',
      test_cases: TEST_CASES,
      created_at: setAt,
      updated_at: setAt,
    });
    await testSets.add({
      id: rng.uuid(),
      tenant_id: tenant.id,
      name: 'NetSuite troubleshooting',
      description: 'Connection and posting errors',
      test_cases: TEST_CASES.slice(2),
      created_at: setAt,
      updated_at: setAt,
    });
    for (const [metric, threshold, action] of METRICS) {
      await thresholds.add({
        id: rng.uuid(),
        tenant_id: tenant.id,
        metric,
        threshold,
        action,
        is_active: true,
        created_at: setAt,
        updated_at: setAt,
      });
    }

    const runCount = ctx.count(3 * tenant.weight);
    const evalTotal = ctx.count(20 * tenant.weight);
    for (let r = 0; r < runCount; r++) {
      const id = rng.uuid();
      const created = new Date(
        setAt.getTime() + ((ctx.anchorMs - setAt.getTime()) * (r + rng.float())) / runCount,
      );
      const last = r === runCount - 1;
      const status = last && rng.chance(0.5) ? 'running' : 'completed';
      const quality = rng.between(0.72, 0.93);
      const metrics = {
        faithfulness: score(quality + 0.03),
        answer_relevancy: score(quality),
        context_precision: score(quality - 0.08),
        context_recall: score(quality - 0.02),
      };
      const started = ctx.after(created, MINUTE);
      await runs.add({
        id,
        tenant_id: tenant.id,
        name: `Nightly evaluation ${created.toISOString().slice(0, 10)}`,
        status,
        metrics: status === 'completed' ? metrics : null,
        started_at: started,
        completed_at: status === 'completed' ? ctx.after(started, rng.between(2, 20) * MINUTE) : null,
        created_at: created,
      });
      const per = Math.max(1, Math.round(evalTotal / runCount));
      for (let e = 0; e < per; e++) {
        const tc = rng.pick(TEST_CASES);
        const doc = world.documents.length ? rng.pick(world.documents) : null;
        await evaluations.add({
          id: rng.uuid(),
          tenant_id: tenant.id,
          run_id: id,
          query: tc.question,
          contexts: doc ? [{ document_id: doc.id, title: doc.title }] : [],
          answer: `${tc.ground_truth} (see ${doc?.title ?? 'the handbook'})`,
          scores: {
            faithfulness: score(quality + rng.between(-0.1, 0.1)),
            answer_relevancy: score(quality + rng.between(-0.1, 0.1)),
          },
          ground_truth: tc.ground_truth,
          created_at: ctx.after(started, e * 5000),
        });
      }
    }

    const cragCount = ctx.count(10 * tenant.weight);
    const monthly = new Map<string, { n: number; refined: number; confidence: number }>();
    for (let i = 0; i < cragCount; i++) {
      const id = rng.uuid();
      const query = rng.pick(QUERIES);
      const confidence = rng.between(0.35, 0.97);
      const refine = confidence < 0.6;
      const created = ctx.ago(rng.between(0, Math.min(90, (ctx.anchorMs - start) / DAY)) * DAY);
      await crag.add({
        id,
        tenant_id: tenant.id,
        query,
        confidence: confidence.toFixed(4),
        needs_refinement: refine,
        reasoning: refine
          ? 'Retrieved chunks are about a different topic; rewrite the query with domain terms.'
          : 'Top chunks answer the question directly.',
        created_at: created,
      });
      const stepCount = rng.int(2, 4);
      for (let s = 1; s <= stepCount; s++) {
        await steps.add({
          id: rng.uuid(),
          tenant_id: tenant.id,
          evaluation_id: id,
          step_number: s,
          reasoning:
            [
              'Classify the question',
              'Retrieve candidate chunks',
              'Grade relevance of each chunk',
              'Decide to answer or refine',
            ][s - 1] ?? 'Answer',
          action: ['classify', 'retrieve', 'grade', 'decide'][s - 1] ?? 'answer',
          result: s === 2 ? `${rng.int(4, 20)} chunks` : 'ok',
          created_at: new Date(created.getTime() + s * 300),
        });
      }
      if (refine) {
        await refinements.add({
          id: rng.uuid(),
          tenant_id: tenant.id,
          evaluation_id: id,
          original_query: query,
          refined_query: `${query} netsuite ${tenant.currency} policy`,
          reasoning: 'Added domain terms the knowledge base uses',
          improvement: rng.between(0.05, 0.3).toFixed(4),
          created_at: new Date(created.getTime() + 1500),
        });
      }
      await responses.add({
        id: rng.uuid(),
        tenant_id: tenant.id,
        evaluation_id: id,
        response: refine
          ? 'After refining the search: see the runbook section on this topic.'
          : 'Answered from the handbook.',
        sources: world.documents.length
          ? rng.sample(world.documents, 2).map((d) => ({ document_id: d.id, title: d.title }))
          : [],
        confidence: Math.min(0.99, confidence + (refine ? 0.2 : 0)).toFixed(4),
        latency_ms: rng.int(300, 4000),
        created_at: new Date(created.getTime() + 3000),
      });
      const key = monthKey(created);
      const m = monthly.get(key) ?? { n: 0, refined: 0, confidence: 0 };
      m.n++;
      m.refined += refine ? 1 : 0;
      m.confidence += confidence;
      monthly.set(key, m);
    }
    for (const [period, m] of [...monthly.entries()].sort()) {
      const at = new Date(Math.min(Date.parse(`${period}-01T00:00:00Z`) + 32 * DAY, ctx.anchorMs - HOUR));
      await cragMetrics.add({
        id: rng.uuid(),
        tenant_id: tenant.id,
        period,
        total_queries: m.n,
        refinement_rate: (m.refined / m.n).toFixed(4),
        avg_confidence: (m.confidence / m.n).toFixed(4),
        created_at: at,
        updated_at: at,
      });
    }
  }
  await ctx.finish(testSets, runs, evaluations, thresholds, crag, refinements, steps, responses, cragMetrics);
}
