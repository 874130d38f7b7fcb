/**
 * Named mutations run optimistically on a client's PGlite (local schema: views, outbox) with the
 * server's code (runLocalNamedMutation), checked against a run of the same mutation on the central
 * schema (PGlite with the shared migrations, as operations.pglite.test.ts uses it):
 *
 *   - every operation of NAMED_MUTATIONS leaves the same visible rows and returns the same result,
 *     and queues exactly one named mutation whose upload envelope is { id, name, key, values };
 *   - a refusal has the server's error code and leaves nothing changed or queued;
 *   - a rejection by the server undoes exactly that mutation; an acknowledged one settles when sync
 *     shows the server's rows (same ids: rows an operation creates have ids derived from the mutation);
 *   - the local write catalog equals the central one; tables only named mutations write have an
 *     overlay and still refuse plain writes; migration 0203 keeps the delegations a client had synced;
 *   - the shared contract of operations.testkit.ts holds on the local schema.
 *
 * Fixtures: operations.testkit.ts (stored as server state, as the sync applier would).
 */
import type { PGlite } from '@electric-sql/pglite';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isOutpostError, type ErrorCode } from '../../common/errors.ts';
import { loadWriteCatalog, type WriteCatalog } from '../../common/mutations/catalog.ts';
import { mapDatabaseError } from '../../common/mutations/database-errors.ts';
import { prepareMutation } from '../../common/mutations/mutation.ts';
import type { AppliedMutation, MutationActor } from '../../common/mutations/types.ts';
import { NAMED_MUTATIONS } from '../../common/mutations/named.ts';
import { TRANSITION_OPERATIONS } from '../../common/mutations/transitions.ts';
import { hunksOf, makePatch } from '../../common/workspaces/patch.ts';
import {
  actorOf,
  fixturesSql,
  IDS,
  reviewFixturesSql,
  writeOperationsContract,
} from '../../common/mutations/operations.testkit.ts';
import { pgliteExecutor } from '../../common/migrations/executors.ts';
import { runMigrations } from '../../common/migrations/runner.ts';
import {
  asServerState,
  createLocalPGlite,
  createMigratedPGlite,
  migrationFiles,
} from '../../scripts/testing/migrated.ts';
import { createTestPGlite } from '../../scripts/testing/pglite.ts';
import { localWriteCatalog, runLocalNamedMutation, type LocalNamedMutationCall } from './local-operation.ts';
import {
  acknowledgeMutation,
  allMutations,
  openRejections,
  rejectMutation,
  toWireMutation,
} from './outbox.ts';

/** The tables the named operations touch, as the app sees them (timestamps reduced to "set"). */
const VISIBLE = [
  'approvals',
  'approval_decisions',
  'approval_delegations',
  'work_items',
  'workspace_changesets',
  'workspace_files',
  'workspace_patches',
  'workspace_patch_bases',
  'workspace_hunk_decisions',
  'workspace_changeset_comments',
  'workspace_patch_conflicts',
] as const;
const TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;

async function visibleState(db: PGlite): Promise<Record<string, unknown>> {
  const state: Record<string, unknown> = {};
  for (const table of VISIBLE) {
    const { rows } = await db.query<{ rows: unknown }>(
      `SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.id), '[]'::jsonb) AS rows FROM ${table} t`,
    );
    state[table] = JSON.parse(
      JSON.stringify(rows[0]?.rows ?? [], (_key, value: unknown) =>
        typeof value === 'string' && TIME.test(value) ? '<time>' : value,
      ),
    );
  }
  return state;
}

async function localWithFixtures(): Promise<PGlite> {
  const db = await createLocalPGlite();
  await asServerState(db, (tx) => tx.exec(fixturesSql() + reviewFixturesSql()));
  return db;
}

const effectTables = async (db: PGlite) =>
  (
    await db.query<{ table_name: string }>(
      `SELECT DISTINCT table_name FROM outbox.effects ORDER BY table_name`,
    )
  ).rows.map((r) => r.table_name);

const outboxIsEmpty = async (db: PGlite) => {
  expect(await allMutations(db)).toEqual([]);
  expect(await effectTables(db)).toEqual([]);
};

let seq = 0;
const newMutationId = () => `d0000000-0000-4000-8000-${(++seq).toString(16).padStart(12, '0')}`;

/** The central schema (shared migrations) with the same fixtures: what the server would do. */
class CentralReference {
  private constructor(
    private readonly db: PGlite,
    private readonly catalog: WriteCatalog,
  ) {}

  static async open(): Promise<CentralReference> {
    const db = await createMigratedPGlite();
    await db.exec(fixturesSql() + reviewFixturesSql());
    return new CentralReference(db, await loadWriteCatalog(db));
  }

  /** Runs the mutation in a transaction that is rolled back: its result and the state it left. */
  async run(
    actor: MutationActor,
    call: Required<Pick<LocalNamedMutationCall, 'id'>> & LocalNamedMutationCall,
  ): Promise<{ applied: AppliedMutation; state: Record<string, unknown> } | { code: ErrorCode }> {
    await this.db.query('BEGIN');
    try {
      const applied = await prepareMutation(call, { actor, catalog: this.catalog }).run(this.db);
      return { applied, state: await visibleState(this.db) };
    } catch (error) {
      if (isOutpostError(error)) return { code: error.code };
      const mapped = mapDatabaseError(error);
      if (mapped) return { code: mapped.code };
      throw error;
    } finally {
      await this.db.query('ROLLBACK');
    }
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

const hourFromNow = () => new Date(Date.now() + 3600_000).toISOString();

interface Case {
  readonly actor: MutationActor;
  readonly call: LocalNamedMutationCall;
  /** A few facts of the visible state after it, on top of "the same as the server". */
  readonly expectAfter: (db: PGlite) => Promise<void>;
}

/** The fixtures' a.js change (x\ny\n ─► x\nz\n) as changeset.create sends it, and its one hunk. */
const A_PATCH = await makePatch('a.js', 'x\ny\n', 'x\nz\n');
const A_HUNK = hunksOf(A_PATCH.unifiedDiff)[0]?.id ?? '';
const DISCUSSING = ['changesets:read', 'changesets:review'];

const one = async (db: PGlite, sql: string, params: unknown[] = []) =>
  (await db.query<Record<string, unknown>>(sql, params)).rows[0];

/** One successful run of every named operation. */
const CASES: Readonly<Record<string, Case>> = {
  'approval.decide': {
    actor: actorOf(IDS.admin),
    call: {
      name: 'approval.decide',
      key: { id: IDS.pending },
      values: { decision: 'reject', reason: 'Wrong period' },
    },
    expectAfter: async (db) => {
      expect(
        await one(
          db,
          `SELECT status, approved_by::text AS by, approved_at IS NOT NULL AS at, rejected_reason,
                  context->>'decided_under_delegation' AS under
             FROM approvals WHERE id = $1`,
          [IDS.pending],
        ),
      ).toEqual({
        status: 'rejected',
        by: IDS.admin,
        at: true,
        rejected_reason: 'Wrong period',
        under: IDS.delegation,
      });
      // The decision's own row, and the work item it gates follows the rejection.
      expect(
        await one(
          db,
          `SELECT decided_by::text AS by, on_behalf_of::text AS for, decision FROM approval_decisions WHERE approval_id = $1`,
          [IDS.pending],
        ),
      ).toEqual({ by: IDS.admin, for: IDS.approver, decision: 'reject' });
      expect(await one(db, `SELECT status FROM work_items WHERE id = $1`, [IDS.workItem])).toEqual({
        status: 'cancelled',
      });
    },
  },
  'delegation.create': {
    actor: actorOf(IDS.approver),
    call: {
      name: 'delegation.create',
      values: { delegate_id: IDS.third, ends_at: hourFromNow(), risk_levels: [5], reason: 'holiday' },
    },
    expectAfter: async (db) => {
      expect(
        await one(
          db,
          `SELECT delegator_id::text AS d, risk_levels, is_active FROM approval_delegations WHERE delegate_id = $1`,
          [IDS.third],
        ),
      ).toEqual({ d: IDS.approver, risk_levels: [5], is_active: true });
    },
  },
  'delegation.revoke': {
    actor: actorOf(IDS.approver),
    call: { name: 'delegation.revoke', key: { id: IDS.delegation }, values: { reason: 'back' } },
    expectAfter: async (db) => {
      expect(
        await one(db, `SELECT is_active FROM approval_delegations WHERE id = $1`, [IDS.delegation]),
      ).toEqual({ is_active: false });
    },
  },
  'changeset.submit': {
    actor: actorOf(IDS.admin),
    call: { name: 'changeset.submit', key: { id: IDS.draft } },
    expectAfter: async (db) => {
      expect(await one(db, `SELECT status FROM workspace_changesets WHERE id = $1`, [IDS.draft])).toEqual({
        status: 'pending_review',
      });
    },
  },
  'workspace_run.request': {
    actor: actorOf(IDS.admin),
    call: {
      name: 'workspace_run.request',
      key: {},
      values: { workspace_id: IDS.workspace, run_type: 'jest_test' },
    },
    expectAfter: async (db) => {
      expect(
        await one(
          db,
          `SELECT status, run_type, started_by::text AS by FROM workspace_runs WHERE workspace_id = $1`,
          [IDS.workspace],
        ),
      ).toEqual({ status: 'queued', run_type: 'jest_test', by: IDS.admin });
    },
  },
  'changeset.review': {
    actor: actorOf(IDS.approver),
    call: { name: 'changeset.review', key: { id: IDS.pendingReview }, values: { decision: 'approve' } },
    expectAfter: async (db) => {
      expect(
        await one(db, `SELECT status, reviewed_by::text AS by FROM workspace_changesets WHERE id = $1`, [
          IDS.pendingReview,
        ]),
      ).toEqual({ status: 'approved', by: IDS.approver });
    },
  },
  'changeset.revise': {
    actor: actorOf(IDS.admin),
    call: { name: 'changeset.revise', key: { id: IDS.rejected } },
    expectAfter: async (db) => {
      expect(await one(db, `SELECT status FROM workspace_changesets WHERE id = $1`, [IDS.rejected])).toEqual({
        status: 'draft',
      });
    },
  },
  'changeset.withdraw': {
    actor: actorOf(IDS.admin),
    call: { name: 'changeset.withdraw', key: { id: IDS.pendingReview } },
    expectAfter: async (db) => {
      expect(
        await one(db, `SELECT status FROM workspace_changesets WHERE id = $1`, [IDS.pendingReview]),
      ).toEqual({ status: 'draft' });
    },
  },
  'changeset.create': {
    actor: actorOf(IDS.admin),
    call: {
      name: 'changeset.create',
      values: {
        workspace_id: IDS.workspace,
        title: 'z instead of y',
        files: [
          {
            path: 'a.js',
            operation: 'modify',
            base_sha256: A_PATCH.baseSha256,
            unified_diff: A_PATCH.unifiedDiff,
            new_content: 'x\nz\n',
          },
        ],
      },
    },
    expectAfter: async (db) => {
      expect(
        await one(
          db,
          `SELECT c.status, p.file_path, b.base_sha256 FROM workspace_changesets c
             JOIN workspace_patches p ON p.changeset_id = c.id JOIN workspace_patch_bases b ON b.patch_id = p.id
            WHERE c.title = 'z instead of y'`,
        ),
      ).toEqual({ status: 'draft', file_path: 'a.js', base_sha256: A_PATCH.baseSha256 });
    },
  },
  'changeset.decide_hunk': {
    actor: actorOf(IDS.approver),
    call: {
      name: 'changeset.decide_hunk',
      key: { id: IDS.pendingReview },
      values: { patch_id: 'f0000000-0000-4000-8000-00000000004a', hunk_id: A_HUNK, decision: 'reject' },
    },
    expectAfter: async (db) => {
      expect(await one(db, `SELECT decided_by::text AS by, decision FROM workspace_hunk_decisions`)).toEqual({
        by: IDS.approver,
        decision: 'reject',
      });
    },
  },
  'changeset.comment': {
    actor: actorOf(IDS.approver, DISCUSSING),
    call: { name: 'changeset.comment', key: { id: IDS.pendingReview }, values: { body: 'Tests?' } },
    expectAfter: async (db) => {
      expect(
        await one(db, `SELECT author_id::text AS by FROM workspace_changeset_comments WHERE body = 'Tests?'`),
      ).toEqual({ by: IDS.approver });
    },
  },
  'changeset.resolve_comment': {
    actor: actorOf(IDS.admin, DISCUSSING),
    call: { name: 'changeset.resolve_comment', key: { id: IDS.comment } },
    expectAfter: async (db) => {
      expect(
        await one(
          db,
          `SELECT resolved, resolved_by::text AS by FROM workspace_changeset_comments WHERE id = $1`,
          [IDS.comment],
        ),
      ).toEqual({ resolved: true, by: IDS.admin });
    },
  },
  'changeset.apply': {
    actor: actorOf(IDS.admin),
    call: { name: 'changeset.apply', key: { id: IDS.approved } },
    expectAfter: async (db) => {
      expect(await one(db, `SELECT status FROM workspace_changesets WHERE id = $1`, [IDS.approved])).toEqual({
        status: 'applied',
      });
      const { rows } = await db.query(`SELECT path, content FROM workspace_files ORDER BY path`);
      expect(rows).toEqual([
        { path: 'a.js', content: 'x\nz\n' },
        { path: 'b.js', content: 'export const b = 1;\n' },
      ]);
    },
  },
};

describe('named mutations run locally (runLocalNamedMutation)', () => {
  let central: CentralReference;
  let db: PGlite;

  beforeAll(async () => {
    central = await CentralReference.open();
  });
  afterAll(async () => {
    await central?.close();
  });
  beforeEach(async () => {
    db = await localWithFixtures();
  });
  afterEach(async () => {
    await db?.close();
  });

  it('covers every named operation (the lifecycle transitions in local-transitions.pglite.test.ts)', () => {
    const transitions = TRANSITION_OPERATIONS.map((op) => op.name);
    expect([...Object.keys(CASES), ...transitions].sort()).toEqual([...NAMED_MUTATIONS.keys()].sort());
  });

  it.each(Object.entries(CASES))(
    '%s: the server’s rows and result, one named outbox mutation',
    async (name, { actor, call, expectAfter }) => {
      const id = newMutationId();
      const expected = await central.run(actor, { ...call, id });
      if (!('applied' in expected)) throw new Error(`${name} failed centrally with ${expected.code}`);

      const outcome = await runLocalNamedMutation(db, actor, { ...call, id });
      expect(outcome).toEqual({ id, result: expected.applied.result });
      expect(await visibleState(db)).toEqual(expected.state);
      await expectAfter(db);

      const queued = await allMutations(db);
      expect(queued.map(toWireMutation)).toEqual([
        { id, name, ...(call.key ? { key: call.key } : {}), ...(call.values ? { values: call.values } : {}) },
      ]);
      expect(queued[0]?.status).toBe('pending');
      // Every row it changed is an effect of that one mutation, in a table the operation declares.
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM outbox.effects WHERE mutation_id <> $1`,
        [id],
      );
      expect(rows[0]?.n).toBe(0);
      const declared = NAMED_MUTATIONS.get(name)?.writes ?? [];
      expect((await effectTables(db)).every((t) => declared.includes(t))).toBe(true);
      expect(await effectTables(db)).not.toEqual([]);
    },
  );

  it('generates a lower-case mutation id when none is given, and refuses one that is not a uuid', async () => {
    const outcome = await runLocalNamedMutation(db, actorOf(IDS.admin), {
      name: 'changeset.submit',
      key: { id: IDS.draft },
    });
    expect(outcome.id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await allMutations(db)).map((m) => m.id)).toEqual([outcome.id]);
    await expect(
      runLocalNamedMutation(db, actorOf(IDS.admin), {
        id: 'x',
        name: 'changeset.revise',
        key: { id: IDS.rejected },
      }),
    ).rejects.toMatchObject({ code: 'validation' });
    const upper = newMutationId().toUpperCase();
    const revised = await runLocalNamedMutation(db, actorOf(IDS.admin), {
      id: upper,
      name: 'changeset.revise',
      key: { id: IDS.rejected },
    });
    expect(revised.id).toBe(upper.toLowerCase());
  });

  const REFUSALS: readonly (readonly [string, MutationActor, LocalNamedMutationCall, ErrorCode])[] = [
    [
      'unknown operation',
      actorOf(IDS.admin),
      { name: 'approval.delete', key: { id: IDS.pending } },
      'validation',
    ],
    [
      'decision without the permission',
      actorOf(IDS.approver, []),
      { name: 'approval.decide', key: { id: IDS.pending }, values: { decision: 'approve' } },
      'forbidden',
    ],
    [
      'decision by someone who is neither approver nor delegate',
      actorOf(IDS.third),
      { name: 'approval.decide', key: { id: IDS.pending }, values: { decision: 'approve' } },
      'forbidden',
    ],
    [
      'decision beyond the delegated risk levels',
      actorOf(IDS.admin),
      { name: 'approval.decide', key: { id: IDS.highRisk }, values: { decision: 'approve' } },
      'forbidden',
    ],
    [
      'decision of a decided approval',
      actorOf(IDS.approver),
      { name: 'approval.decide', key: { id: IDS.decided }, values: { decision: 'reject', reason: 'late' } },
      'conflict',
    ],
    [
      'decision after expiry',
      actorOf(IDS.approver),
      { name: 'approval.decide', key: { id: IDS.overdue }, values: { decision: 'approve' } },
      'conflict',
    ],
    [
      'decision of another tenant’s approval',
      actorOf(IDS.approver),
      { name: 'approval.decide', key: { id: IDS.otherApproval }, values: { decision: 'approve' } },
      'not_found',
    ],
    [
      'rejection without a reason',
      actorOf(IDS.approver),
      { name: 'approval.decide', key: { id: IDS.pending }, values: { decision: 'reject' } },
      'validation',
    ],
    [
      'self-delegation',
      actorOf(IDS.approver),
      { name: 'delegation.create', values: { delegate_id: IDS.approver, ends_at: hourFromNow() } },
      'validation',
    ],
    [
      'delegation to another tenant’s user',
      actorOf(IDS.approver),
      { name: 'delegation.create', values: { delegate_id: IDS.otherUser, ends_at: hourFromNow() } },
      'not_found',
    ],
    [
      'delegation with an id that exists (the database refuses: 23505)',
      actorOf(IDS.approver),
      {
        name: 'delegation.create',
        key: { id: IDS.delegation },
        values: { delegate_id: IDS.third, ends_at: hourFromNow() },
      },
      'conflict',
    ],
    [
      'submission without patches',
      actorOf(IDS.admin),
      { name: 'changeset.submit', key: { id: IDS.empty } },
      'validation',
    ],
    [
      'submission of a submitted changeset',
      actorOf(IDS.admin),
      { name: 'changeset.submit', key: { id: IDS.pendingReview } },
      'invalid_transition',
    ],
    [
      'review without the permission',
      actorOf(IDS.admin, ['changesets:apply']),
      { name: 'changeset.review', key: { id: IDS.pendingReview }, values: { decision: 'approve' } },
      'forbidden',
    ],
    [
      'revision of a draft',
      actorOf(IDS.admin),
      { name: 'changeset.revise', key: { id: IDS.draft } },
      'invalid_transition',
    ],
    [
      'application of a draft',
      actorOf(IDS.admin),
      { name: 'changeset.apply', key: { id: IDS.draft } },
      'invalid_transition',
    ],
    [
      'application of a stale patch',
      actorOf(IDS.admin),
      { name: 'changeset.apply', key: { id: IDS.stale } },
      'conflict',
    ],
  ];

  it.each(REFUSALS)(
    '%s: the server’s error code, nothing changed or queued',
    async (_label, actor, call, code) => {
      const id = newMutationId();
      expect(await central.run(actor, { ...call, id })).toEqual({ code });
      const before = await visibleState(db);
      const error: unknown = await runLocalNamedMutation(db, actor, { ...call, id }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isOutpostError(error) ? error.code : error).toBe(code);
      expect(await visibleState(db)).toEqual(before);
      await outboxIsEmpty(db);
    },
  );

  it('rolls back the rows an operation wrote before it was refused', async () => {
    // a.js changed on the server: the second patch of the approved changeset no longer applies, after
    // the first one created b.js.
    await asServerState(db, (tx) =>
      tx.query(`UPDATE workspace_files SET content = 'q\n' WHERE id = $1`, [IDS.fileA]),
    );
    const before = await visibleState(db);
    await expect(
      runLocalNamedMutation(db, actorOf(IDS.admin), { name: 'changeset.apply', key: { id: IDS.approved } }),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(await visibleState(db)).toEqual(before);
    await outboxIsEmpty(db);
  });

  it('sees pending local writes, as the server will see them when it applies the queue in order', async () => {
    const admin = actorOf(IDS.admin);
    await runLocalNamedMutation(db, admin, { name: 'changeset.submit', key: { id: IDS.draft } });
    await runLocalNamedMutation(db, actorOf(IDS.approver), {
      name: 'changeset.review',
      key: { id: IDS.draft },
      values: { decision: 'approve' },
    });
    await runLocalNamedMutation(db, admin, { name: 'changeset.apply', key: { id: IDS.draft } });
    expect(await one(db, `SELECT content FROM workspace_files WHERE id = $1`, [IDS.fileA])).toEqual({
      content: 'x\nz\n',
    });
    // A delegation created locally lets its delegate decide locally before either is uploaded.
    const { result } = await runLocalNamedMutation(db, actorOf(IDS.approver), {
      name: 'delegation.create',
      values: { delegate_id: IDS.third, ends_at: hourFromNow() },
    });
    const decided = await runLocalNamedMutation(db, actorOf(IDS.third), {
      name: 'approval.decide',
      key: { id: IDS.highRisk },
      values: { decision: 'approve' },
    });
    expect(decided.result).toMatchObject({ status: 'approved', delegation_id: result['delegation_id'] });
    expect((await allMutations(db)).map((m) => m.name)).toEqual([
      'changeset.submit',
      'changeset.review',
      'changeset.apply',
      'delegation.create',
      'approval.decide',
    ]);
    // Applying the same changeset again is refused: the local state already has it applied.
    await expect(
      runLocalNamedMutation(db, admin, { name: 'changeset.apply', key: { id: IDS.draft } }),
    ).rejects.toMatchObject({ code: 'invalid_transition' });
  });

  it('undoes exactly the rejected operation', async () => {
    const admin = actorOf(IDS.admin);
    const initial = await visibleState(db);
    const decided = await runLocalNamedMutation(db, actorOf(IDS.approver), {
      name: 'approval.decide',
      key: { id: IDS.pending },
      values: { decision: 'approve' },
    });
    const afterDecision = await visibleState(db);
    const applied = await runLocalNamedMutation(db, admin, {
      name: 'changeset.apply',
      key: { id: IDS.approved },
    });
    const delegated = await runLocalNamedMutation(db, actorOf(IDS.approver), {
      name: 'delegation.create',
      values: { delegate_id: IDS.third, ends_at: hourFromNow() },
    });
    const afterAll = await visibleState(db);

    await rejectMutation(db, applied.id, { code: 'conflict', message: 'a.js changed on the server' });
    // The changeset is approved again and the files are as before; the decision and delegation stay.
    const afterReject = await visibleState(db);
    expect(afterReject).toEqual({
      ...afterAll,
      workspace_changesets: afterDecision['workspace_changesets'],
      workspace_files: afterDecision['workspace_files'],
    });
    expect((await allMutations(db)).map((m) => m.id)).toEqual([decided.id, delegated.id]);
    expect((await openRejections(db)).map((r) => [r.mutationId, r.name, r.code])).toEqual([
      [applied.id, 'changeset.apply', 'conflict'],
    ]);

    await rejectMutation(db, delegated.id, { code: 'forbidden', message: 'no' });
    await rejectMutation(db, decided.id, { code: 'conflict', message: 'decided elsewhere' });
    expect(await visibleState(db)).toEqual(initial);
    await outboxIsEmpty(db);
  });

  it('settles when sync shows the server’s rows: a created row has the same id on both sides', async () => {
    const id = newMutationId();
    const call = {
      id,
      name: 'delegation.create',
      values: { delegate_id: IDS.third, ends_at: hourFromNow() },
    };
    const { result } = await runLocalNamedMutation(db, actorOf(IDS.approver), call);
    const onServer = await central.run(actorOf(IDS.approver), call);
    expect('applied' in onServer && onServer.applied.result).toEqual(result);
    // The server applied it in transaction 4711, and its row arrives through sync.
    await acknowledgeMutation(db, id, { txid: 4711 });
    await db.transaction(async (tx) => {
      await tx.exec(`SET LOCAL electric.syncing = true`);
      await tx.query(
        `INSERT INTO synced.approval_delegations (id, tenant_id, delegator_id, delegate_id, starts_at, ends_at, is_active, _synced_txid)
         SELECT id, tenant_id, delegator_id, delegate_id, starts_at, ends_at, is_active, 4711
           FROM local.approval_delegations_state WHERE id = $1`,
        [result['delegation_id']],
      );
    });
    await outboxIsEmpty(db);
    const { rows } = await db.query(`SELECT id FROM approval_delegations WHERE delegate_id = $1`, [
      IDS.third,
    ]);
    expect(rows).toEqual([{ id: result['delegation_id'] }]);
  });
});

describe('the local write catalog and the tables only named mutations write', () => {
  let db: PGlite;
  let shared: PGlite;

  beforeAll(async () => {
    [db, shared] = await Promise.all([createLocalPGlite(), createMigratedPGlite()]);
  });
  afterAll(async () => {
    await Promise.all([db?.close(), shared?.close()]);
  });

  it('equals the central catalog: same tables, columns, keys, generated and writable columns', async () => {
    const describeCatalog = (catalog: WriteCatalog) =>
      [...catalog.tables.values()]
        .map((t) => ({
          name: t.name,
          columns: [...t.columns.values()],
          primaryKey: t.primaryKey,
          serverOnly: [...t.serverOnly].sort(),
          insertable: [...t.insertColumns].sort(),
          updatable: [...t.updateColumns].sort(),
        }))
        .sort((a, b) => a.name.localeCompare(b.name));
    const local = await localWriteCatalog(db);
    expect(describeCatalog(local)).toEqual(describeCatalog(await loadWriteCatalog(shared)));
    expect(local.require('roles').columns.get('scope_id')?.generated).toBe(true);
    expect(local.require('role_permissions').primaryKey).toEqual(['role_id', 'permission_id']);
    expect(await localWriteCatalog(db)).toBe(local);
  });

  it('gives every table a named operation writes a local overlay', async () => {
    const written = [...new Set([...NAMED_MUTATIONS.values()].flatMap((op) => op.writes))].sort();
    expect(written).toEqual(
      expect.arrayContaining([
        'approval_delegations',
        'approvals',
        'workspace_changesets',
        'workspace_files',
      ]),
    );
    // And the tables of every lifecycle a person may move (common/mutations/transitions.ts).
    for (const op of TRANSITION_OPERATIONS) expect(written).toEqual(expect.arrayContaining([...op.writes]));
    const { rows } = await db.query<{ t: string }>(
      `SELECT c.relname::text AS t FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'v' AND c.relname = ANY ($1::text[])
          AND EXISTS (SELECT 1 FROM outbox.write_rules w WHERE w.table_name = c.relname)
        ORDER BY 1`,
      [written],
    );
    expect(rows.map((r) => r.t)).toEqual(written);
  });

  it('still refuses plain writes of approval_delegations, locally and in the write API', async () => {
    const delegation = `'${IDS.delegation}'`;
    await asServerState(db, (tx) => tx.exec(fixturesSql()));
    for (const sql of [
      `INSERT INTO approval_delegations (tenant_id, delegator_id, delegate_id, starts_at, ends_at)
       VALUES ('${IDS.tenant}', '${IDS.approver}', '${IDS.third}', now(), now() + interval '1 day')`,
      `UPDATE approval_delegations SET is_active = false WHERE id = ${delegation}`,
      `DELETE FROM approval_delegations WHERE id = ${delegation}`,
      `UPDATE local.approval_delegations_state SET is_active = false WHERE id = ${delegation}`,
    ])
      await expect(db.query(sql), sql).rejects.toMatchObject({ code: '42501' });
    expect(await allMutations(db)).toEqual([]);
    const catalog = await localWriteCatalog(db);
    for (const op of ['insert', 'update', 'delete'] as const)
      expect(() =>
        prepareMutation(
          {
            id: newMutationId(),
            table: 'approval_delegations',
            op,
            key: { id: IDS.delegation },
            values: { is_active: false },
          },
          { actor: actorOf(IDS.approver), catalog },
        ),
      ).toThrow(expect.objectContaining({ code: 'forbidden' }));
  });
});

describe('migration 0203 on a client database that already synced delegations', () => {
  it('keeps them as server state, with their foreign keys between server-state tables', async () => {
    const files = await migrationFiles();
    const db = await createTestPGlite();
    try {
      await runMigrations(
        pgliteExecutor(db),
        files.filter((f) => f.name < '0203'),
        'local',
      );
      await asServerState(db, (tx) => tx.exec(fixturesSql()));
      expect(
        (await db.query(`SELECT relkind FROM pg_class WHERE oid = 'public.approval_delegations'::regclass`))
          .rows,
      ).toEqual([{ relkind: 'r' }]);

      const report = await runMigrations(pgliteExecutor(db), files, 'local');
      expect(report.applied).toEqual(
        files
          .filter((f) => f.folder !== 'server' && f.name >= '0203')
          .map((f) => f.name)
          .sort(),
      );
      expect(report.applied[0]).toBe('0203_local_named_only_overlays.sql');
      const ids = async (relation: string) =>
        (await db.query<{ id: string }>(`SELECT id::text AS id FROM ${relation} ORDER BY id`)).rows;
      expect(await ids('synced.approval_delegations')).toEqual([{ id: IDS.delegation }]);
      expect(await ids('approval_delegations')).toEqual([{ id: IDS.delegation }]);
      const { rows: fks } = await db.query<{ rel: string; deferred: boolean }>(
        `SELECT conrelid::regclass::text AS rel, condeferred AS deferred FROM pg_constraint
          WHERE contype = 'f' AND conname::text LIKE 'approval_delegations_%' ORDER BY conname`,
      );
      expect(fks).toEqual([
        { rel: 'synced.approval_delegations', deferred: true },
        { rel: 'synced.approval_delegations', deferred: true },
        { rel: 'synced.approval_delegations', deferred: true },
      ]);
      // And the operation runs on it.
      const { result } = await runLocalNamedMutation(db, actorOf(IDS.approver), {
        name: 'delegation.create',
        values: { delegate_id: IDS.third, ends_at: hourFromNow() },
      });
      expect((await ids('approval_delegations')).map((r) => r.id)).toContain(result['delegation_id']);
    } finally {
      await db.close();
    }
  });
});

describe('write operations on the local schema (the shared contract)', () => {
  writeOperationsContract(async () => {
    const db = await createLocalPGlite();
    return {
      sql: db,
      exec: async (sql) => {
        await asServerState(db, (tx) => tx.exec(sql));
      },
      serverWrite: async (sql, params) => {
        await db.query(`SET LOCAL electric.syncing = true`);
        await db.query(sql, params);
        await db.query(`SET LOCAL electric.syncing = false`);
      },
      runNamed: async (mutation, prepared) => {
        await db.query(`SELECT outbox.begin_named($1::uuid, $2, $3, $4)`, [
          mutation.id,
          mutation.name,
          mutation.key ?? null,
          mutation.values ?? null,
        ]);
        const applied = await prepared.run(db);
        await db.query(`SELECT outbox.end_named()`);
        return applied;
      },
      close: () => db.close(),
    };
  });
});
