/**
 * scripts/db/seed/workspaces.ts: SuiteScript workspaces (000): files, changesets in every
 * lifecycle state with their patches, validation/test runs and their artifacts.
 *
 *   initial files ──applied changeset──► ... ──applied changeset──► current files (workspace_files)
 *                                                   └─► open changesets diff against the current files:
 *                                                       approved, pending_review ×2, rejected, draft
 *
 * Every patch is a real unified diff (jsdiff createPatch) between two renderings of the project
 * (suitescript.ts), so applying the applied changesets' patches in order to the initial files gives
 * the current files. Rows are inserted in their final state (the lifecycle trigger of 0050 checks
 * UPDATEs only), with the columns the trigger would have set: reviewed_by/reviewed_at on reviewed
 * changesets, rejected_reason on rejected ones, applied_at on applied ones.
 */
import { createHash } from 'node:crypto';
import { createPatch } from 'diff';
import { CHANGESET_STATES, type ChangesetState } from '../../../common/lifecycles/changeset.ts';
import { DAY, HOUR, MINUTE, type SeedContext } from './context.ts';
import type { TenantWorld, UserRef } from './model.ts';
import type { Rng } from './random.ts';
import { addReviewRows, workspaceReviewWriters, type ReviewedPatch } from './workspace-review.ts';
import {
  initialParams,
  LEGACY_FILE,
  NEW_HELPER_FILE,
  pickEdit,
  PROJECT_FILES,
  type Edit,
  type FileParams,
} from './suitescript.ts';

const REJECTIONS = [
  'Needs a test for the new branch before it can go to production.',
  'The threshold must come from the policy profile, not a constant.',
  'Conflicts with the month-end freeze: resubmit after the close.',
  'Deleting this script breaks the invoice stamp that AR still relies on.',
];

interface PatchSpec {
  readonly path: string;
  readonly operation: 'create' | 'modify' | 'delete';
  readonly before: string;
  readonly after: string;
}

interface ChangesetPlan {
  readonly status: ChangesetState;
  readonly title: string;
  readonly description: string;
  readonly patches: PatchSpec[];
  readonly createdAt: Date;
}

function render(params: FileParams, project: string): Map<string, string> {
  return new Map(PROJECT_FILES.map((f) => [f.path, f.render(params, project)]));
}

function editPatches(edit: Edit, before: FileParams, after: FileParams, project: string): PatchSpec[] {
  const a = render(before, project);
  const b = render(after, project);
  return edit.files
    .map((path) => ({
      path,
      operation: 'modify' as const,
      before: a.get(path) ?? '',
      after: b.get(path) ?? '',
    }))
    .filter((p) => p.before !== p.after);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export async function seedWorkspaces(ctx: SeedContext, worlds: readonly TenantWorld[]): Promise<void> {
  const workspaces = ctx.writer('workspaces', [
    'id',
    'tenant_id',
    'name',
    'description',
    'created_by',
    'created_at',
    'updated_at',
  ]);
  const files = ctx.writer(
    'workspace_files',
    ['id', 'tenant_id', 'workspace_id', 'path', 'content', 'netsuite_file_id', 'created_at', 'updated_at'],
    { parents: [workspaces] },
  );
  const changesets = ctx.writer(
    'workspace_changesets',
    [
      'id',
      'tenant_id',
      'workspace_id',
      'title',
      'description',
      'status',
      'proposed_by',
      'reviewed_by',
      'reviewed_at',
      'applied_at',
      'rejected_reason',
      'created_at',
      'updated_at',
    ],
    { parents: [workspaces] },
  );
  const patches = ctx.writer(
    'workspace_patches',
    [
      'id',
      'tenant_id',
      'changeset_id',
      'file_id',
      'file_path',
      'operation',
      'unified_diff',
      'new_content',
      'position',
      'created_at',
    ],
    { parents: [files, changesets] },
  );
  const review = workspaceReviewWriters(ctx, [patches, changesets]);
  const runs = ctx.writer(
    'workspace_runs',
    [
      'id',
      'tenant_id',
      'workspace_id',
      'changeset_id',
      'run_type',
      'status',
      'summary',
      'started_by',
      'started_at',
      'finished_at',
      'created_at',
    ],
    { parents: [workspaces, changesets] },
  );
  const artifacts = ctx.writer(
    'workspace_artifacts',
    [
      'id',
      'tenant_id',
      'run_id',
      'artifact_type',
      'content',
      'content_type',
      'size_bytes',
      'sha256',
      'created_at',
    ],
    { parents: [runs] },
  );

  const addRun = async (
    rng: Rng,
    world: TenantWorld,
    workspaceId: string,
    changesetId: string | null,
    type: 'sdf_validate' | 'jest_test' | 'suiteql_assertion',
    status: 'queued' | 'running' | 'passed' | 'failed' | 'error' | 'cancelled',
    by: UserRef,
    at: Date,
  ): Promise<void> => {
    const id = rng.uuid();
    const started = status === 'queued' ? null : at;
    const finished =
      status === 'queued' || status === 'running' ? null : ctx.after(at, rng.between(8, 240) * 1000);
    const tests = rng.int(3, 4);
    const summary =
      type === 'jest_test'
        ? { tests, passed: status === 'passed' ? tests : tests - 1, failed: status === 'passed' ? 0 : 1 }
        : type === 'sdf_validate'
          ? {
              errors: status === 'passed' ? 0 : rng.int(1, 3),
              warnings: rng.int(0, 4),
              objects: rng.int(4, 12),
            }
          : {
              assertions: rng.int(2, 8),
              failed: status === 'passed' ? 0 : 1,
              query: "SELECT SUM(amount) FROM transactionaccountingline WHERE posting = 'T'",
            };
    await runs.add({
      id,
      tenant_id: world.tenant.id,
      workspace_id: workspaceId,
      changeset_id: changesetId,
      run_type: type,
      status,
      summary: status === 'queued' ? null : summary,
      started_by: by.id,
      started_at: started,
      finished_at: finished,
      created_at: at,
    });
    if (!finished) return;
    const stdout =
      type === 'jest_test'
        ? ` PASS  __tests__/ue_salesorder_validation.test.js\n  ue_salesorder_validation\n    ✓ accepts an order within the discount limit (3 ms)\n${status === 'passed' ? '' : '    ✕ refuses a discount above the limit (2 ms)\n'}\nTests: ${JSON.stringify(summary)}\n`
        : type === 'sdf_validate'
          ? `SuiteCloud CLI 2.1.0\nValidating project against ${world.tenant.netsuiteAccount}...\n${status === 'passed' ? 'The validation process has finished successfully.' : 'The validation process has finished with errors.'}\n`
          : `Running ${JSON.stringify(summary)}\n${status === 'passed' ? 'All assertions hold.' : 'Assertion failed: trial balance does not net to zero.'}\n`;
    const outputs: ['stdout' | 'stderr' | 'report', string, string][] = [['stdout', stdout, 'text/plain']];
    if (status !== 'passed')
      outputs.push([
        'stderr',
        `Error: ${type} failed (exit code 1)\n    at ${type} (outpost-runner.js:88:11)\n`,
        'text/plain',
      ]);
    if (type !== 'suiteql_assertion')
      outputs.push(['report', JSON.stringify({ type, status, ...summary }), 'application/json']);
    for (const [kind, content, contentType] of outputs) {
      await artifacts.add({
        id: rng.uuid(),
        tenant_id: world.tenant.id,
        run_id: id,
        artifact_type: kind,
        content,
        content_type: contentType,
        size_bytes: Buffer.byteLength(content),
        sha256: sha256(content),
        created_at: finished,
      });
    }
  };

  for (const world of worlds) {
    if (!world.connections.some((c) => c.provider === 'netsuite')) continue;
    const { tenant, users } = world;
    const rng = ctx.rng(`workspaces:${tenant.slug}`);
    const names =
      tenant.plan === 'pro' && tenant.weight >= 1
        ? ['SuiteScripts (production)', 'Sandbox experiments']
        : ['SuiteScripts (production)'];
    for (const [w, name] of names.entries()) {
      const workspaceId = rng.uuid();
      const project = `${tenant.slug}-${w === 0 ? 'production' : 'sandbox'}`;
      const created = new Date(
        Math.min(tenant.createdAt.getTime() + (w + 1) * 3 * DAY, ctx.anchorMs - 5 * DAY),
      );
      world.workspaces.push({ id: workspaceId, name, createdAt: created });
      await workspaces.add({
        id: workspaceId,
        tenant_id: tenant.id,
        name,
        description:
          w === 0
            ? `SDF project deployed to NetSuite account ${tenant.netsuiteAccount}`
            : 'Try changes here before proposing them for production',
        created_by: users.admin.id,
        created_at: created,
        updated_at: ctx.ago(rng.between(0.2, 6) * HOUR),
      });

      // History: applied changesets, oldest first, each from the previous state of the files.
      let params = initialParams(rng, tenant.slug);
      const plans: ChangesetPlan[] = [];
      const applied = 2 + ctx.count(2 * tenant.weight, 0) * (w === 0 ? 1 : 0);
      const historyStart = created.getTime() + DAY;
      const historyEnd = ctx.anchorMs - 3 * DAY;
      const lastTouched = new Map<string, Date>();
      for (let i = 0; i < applied; i++) {
        const edit = pickEdit(rng, params);
        const next = edit.apply(params);
        const at = new Date(historyStart + ((historyEnd - historyStart) * (i + rng.float())) / applied);
        const specs = editPatches(edit, params, next, project);
        plans.push({
          status: 'applied',
          title: edit.title,
          description: edit.description,
          patches: specs,
          createdAt: at,
        });
        for (const s of specs) lastTouched.set(s.path, at);
        params = next;
      }
      const current = render(params, project);

      // Open changesets against the current files: one per remaining state, plus a second pending review.
      const open: ChangesetState[] = CHANGESET_STATES.filter((s) => s !== 'applied');
      if (w === 0) open.push('pending_review');
      for (const status of open) {
        const edit = pickEdit(rng, params);
        const specs = editPatches(edit, params, edit.apply(params), project);
        if (status === 'draft')
          specs.push({
            path: NEW_HELPER_FILE.path,
            operation: 'create',
            before: '',
            after: NEW_HELPER_FILE.content,
          });
        if (status === 'rejected' && w === 0)
          specs.push({ path: LEGACY_FILE.path, operation: 'delete', before: LEGACY_FILE.content, after: '' });
        const ageHours =
          status === 'draft'
            ? rng.between(0.3, 3)
            : status === 'pending_review'
              ? rng.between(2, 30)
              : rng.between(24, 70);
        plans.push({
          status,
          title: edit.title,
          description: edit.description,
          patches: specs,
          createdAt: ctx.ago(ageHours * HOUR),
        });
      }

      const fileIds = new Map<string, string>();
      const allFiles: [string, string][] = [...current.entries()];
      if (w === 0) allFiles.push([LEGACY_FILE.path, LEGACY_FILE.content]);
      for (const [path, content] of allFiles) {
        const id = rng.uuid();
        fileIds.set(path, id);
        await files.add({
          id,
          tenant_id: tenant.id,
          workspace_id: workspaceId,
          path,
          content,
          netsuite_file_id: String(rng.int(10_000, 99_999)),
          created_at: created,
          updated_at: lastTouched.get(path) ?? created,
        });
      }

      for (const plan of plans) {
        const id = rng.uuid();
        const proposer = rng.pick([users.ops, users.finance, users.admin]);
        const reviewer = plan.status === 'applied' && rng.chance(0.3) ? users.admin : users.approver;
        const created = plan.createdAt;
        const submitted = ctx.after(created, rng.between(10, 90) * MINUTE);
        const reviewed = ['approved', 'rejected', 'applied'].includes(plan.status)
          ? ctx.after(submitted, rng.between(0.5, 20) * HOUR)
          : null;
        const appliedAt =
          plan.status === 'applied' && reviewed ? ctx.after(reviewed, rng.between(5, 120) * MINUTE) : null;
        const rejectedReason = plan.status === 'rejected' ? rng.pick(REJECTIONS) : null;
        const updated = appliedAt ?? reviewed ?? (plan.status === 'pending_review' ? submitted : created);
        await changesets.add({
          id,
          tenant_id: tenant.id,
          workspace_id: workspaceId,
          title: plan.title,
          description: plan.description,
          status: plan.status,
          proposed_by: proposer.id,
          reviewed_by: reviewed ? reviewer.id : null,
          reviewed_at: reviewed,
          applied_at: appliedAt,
          rejected_reason: rejectedReason,
          created_at: created,
          updated_at: updated,
        });
        const made: ReviewedPatch[] = [];
        for (const [position, spec] of plan.patches.entries()) {
          const patchId = rng.uuid();
          const unifiedDiff = createPatch(spec.path, spec.before, spec.after);
          made.push({
            id: patchId,
            path: spec.path,
            operation: spec.operation,
            before: spec.before,
            unifiedDiff,
          });
          await patches.add({
            id: patchId,
            tenant_id: tenant.id,
            changeset_id: id,
            file_id: spec.operation === 'create' ? null : (fileIds.get(spec.path) ?? null),
            file_path: spec.path,
            operation: spec.operation,
            unified_diff: unifiedDiff,
            new_content: spec.operation === 'delete' ? null : spec.after,
            position,
            created_at: created,
          });
        }
        await addReviewRows(rng, review, {
          id,
          tenantId: tenant.id,
          status: plan.status,
          reviewerId: reviewer.id,
          reviewedAt: reviewed,
          submittedAt: submitted,
          patches: made,
        });
        const audit = (at: Date, action: string, actor: UserRef, extra: Record<string, unknown> = {}): void =>
          ctx.audit({
            tenantId: tenant.id,
            at,
            actorType: 'user',
            actorId: actor.id,
            category: 'workspaces',
            action,
            entityType: 'workspace_changeset',
            entityId: id,
            metadata: { title: plan.title, workspace_id: workspaceId, ...extra },
            status: 'success',
          });
        if (plan.status !== 'draft') {
          audit(submitted, 'changeset.submitted', proposer);
          await addRun(
            rng,
            world,
            workspaceId,
            id,
            'sdf_validate',
            plan.status === 'rejected'
              ? 'failed'
              : plan.status === 'pending_review' && rng.chance(0.3)
                ? 'running'
                : 'passed',
            proposer,
            ctx.after(submitted, MINUTE),
          );
          if (plan.patches.some((p) => p.path.startsWith('__tests__') || p.path.includes('ue_salesorder'))) {
            await addRun(
              rng,
              world,
              workspaceId,
              id,
              'jest_test',
              plan.status === 'rejected' && rng.chance(0.5) ? 'failed' : 'passed',
              proposer,
              ctx.after(submitted, 2 * MINUTE),
            );
          }
        } else {
          await addRun(
            rng,
            world,
            workspaceId,
            id,
            'sdf_validate',
            'queued',
            proposer,
            ctx.after(created, 5 * MINUTE),
          );
        }
        if (reviewed) {
          audit(
            reviewed,
            plan.status === 'rejected' ? 'changeset.rejected' : 'changeset.approved',
            reviewer,
            rejectedReason ? { reason: rejectedReason } : {},
          );
        }
        if (appliedAt)
          audit(appliedAt, 'changeset.applied', users.admin, { files: plan.patches.map((p) => p.path) });
      }

      const assertions = ctx.count(3 * tenant.weight);
      for (let i = 0; i < assertions; i++) {
        const status = rng.weighted([
          ['passed', 80],
          ['failed', 12],
          ['error', 4],
          ['cancelled', 4],
        ] as const);
        await addRun(
          rng,
          world,
          workspaceId,
          null,
          'suiteql_assertion',
          status,
          rng.pick([users.ops, users.finance]),
          new Date(created.getTime() + (ctx.anchorMs - created.getTime()) * rng.float()),
        );
      }
    }
  }
  await ctx.finish(
    workspaces,
    files,
    changesets,
    patches,
    review.bases,
    review.comments,
    review.decisions,
    review.conflicts,
    runs,
    artifacts,
  );
}
