/**
 * The write operations (common/mutations) written once and run against every database they run on:
 * PGlite with the shared schema (operations.pglite.test.ts), PostgreSQL 15 (operations.pg.test.ts),
 * as the superuser, so that what is tested is the operations' own checks and SQL, not row-level
 * security (the sync server's tests cover that); and a client's local schema, where the tables are
 * views with an outbox (core/outbox/local-operation.pglite.test.ts: fixtures and direct changes are
 * server state, named mutations run inside outbox.begin_named). Every test runs in a transaction that
 * is rolled back. The approval rules (quorum, self-approval, delegation rules, revoking) are in
 * approvals.testkit.ts, run from here with this contract's helpers.
 *
 * Fixtures: tenant T (standalone) and O (another tenant); in T an approver, an admin (the approver's
 * delegate for risk levels 0..4), a third user and a requester; approvals (requested by the requester)
 * pending / pending at risk 5 / approved / past expiry / pending at risk 3 with two approvers (quorum
 * tests add a policy), and one the approver requested; a workspace with a.js = "x\ny\n" and changesets in every state, a review comment on the one in review (reviewFixturesSql).
 */
import { createPatch } from 'diff';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { isOutpostError, type ErrorCode } from '../errors.ts';
import { loadWriteCatalog, type WriteCatalog } from './catalog.ts';
import { mapDatabaseError } from './database-errors.ts';
import { prepareMutation } from './mutation.ts';
import type { AppliedMutation, MutationActor, PreparedMutation } from './types.ts';
import { isNamedMutation, type Mutation, type NamedMutation, type TableMutation } from './protocol.ts';
import { queryRows, type SqlQueryable } from './sql.ts';
import { approvalRulesContract } from './approvals.testkit.ts';
import { changesetReviewContract } from './changeset-review.testkit.ts';
import { workspaceRunContract } from './workspace-runs.testkit.ts';

const id = (n: number) => `f0000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export const IDS = {
  tenant: id(1),
  other: id(2),
  approver: id(10),
  admin: id(11),
  third: id(12),
  otherUser: id(13),
  requester: id(14),
  assistant: id(20),
  workItem: id(21),
  pending: id(30),
  highRisk: id(31),
  decided: id(32),
  overdue: id(33),
  otherApproval: id(34),
  quorum: id(35),
  ownRequest: id(36),
  delegation: id(40),
  workspace: id(50),
  fileA: id(51),
  draft: id(60),
  empty: id(61),
  approved: id(62),
  stale: id(63),
  rejected: id(64),
  pendingReview: id(65),
  comment: id(75),
} as const;

const A_BEFORE = 'x\ny\n';
const A_AFTER = 'x\nz\n';
const B_CONTENT = 'export const b = 1;\n';

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The fixtures (plain SQL; on the local schema they are server state: run them as the applier). */
export function fixturesSql(): string {
  const I = IDS;
  const patchA = createPatch('a.js', A_BEFORE, A_AFTER);
  const stalePatch = createPatch('a.js', 'q\n', 'r\n');
  return `
    INSERT INTO tenants (id, name, slug) VALUES ('${I.tenant}', 'Ops Test', 'ops-test'), ('${I.other}', 'Other', 'ops-other');
    INSERT INTO users (id, tenant_id, email, role, hashed_password) VALUES
      ('${I.approver}', '${I.tenant}', 'approver@ops.test', 'manager', 'secret-hash'),
      ('${I.admin}', '${I.tenant}', 'admin@ops.test', 'admin', NULL),
      ('${I.third}', '${I.tenant}', 'third@ops.test', 'viewer', NULL),
      ('${I.otherUser}', '${I.other}', 'someone@other.test', 'admin', NULL),
      ('${I.requester}', '${I.tenant}', 'requester@ops.test', 'manager', NULL);
    INSERT INTO assistants (id, tenant_id, name, slug, type) VALUES ('${I.assistant}', '${I.tenant}', 'Bot', 'bot', 'custom');
    INSERT INTO work_items (id, tenant_id, assistant_id, title, status) VALUES
      ('${I.workItem}', '${I.tenant}', '${I.assistant}', 'Post journal', 'awaiting_approval');
    INSERT INTO approvals (id, tenant_id, work_item_id, title, risk_level, status, requested_by, approver_ids,
                           approved_by, approved_at, expires_at) VALUES
      ('${I.pending}', '${I.tenant}', '${I.workItem}', 'Pending', 2, 'pending', '${I.requester}', ARRAY['${I.approver}']::uuid[], NULL, NULL, now() + interval '1 day'),
      ('${I.highRisk}', '${I.tenant}', '${I.workItem}', 'High risk', 5, 'pending', '${I.requester}', ARRAY['${I.approver}']::uuid[], NULL, NULL, now() + interval '1 day'),
      ('${I.decided}', '${I.tenant}', '${I.workItem}', 'Decided', 2, 'approved', '${I.requester}', ARRAY['${I.approver}']::uuid[], '${I.approver}', now() - interval '1 hour', now() + interval '1 day'),
      ('${I.overdue}', '${I.tenant}', '${I.workItem}', 'Overdue', 2, 'pending', '${I.requester}', ARRAY['${I.approver}']::uuid[], NULL, NULL, now() - interval '1 minute'),
      ('${I.quorum}', '${I.tenant}', '${I.workItem}', 'Quorum', 3, 'pending', '${I.requester}', ARRAY['${I.approver}', '${I.third}']::uuid[], NULL, NULL, now() + interval '1 day'),
      ('${I.ownRequest}', '${I.tenant}', '${I.workItem}', 'Own request', 2, 'pending', '${I.approver}', ARRAY['${I.approver}', '${I.third}']::uuid[], NULL, NULL, now() + interval '1 day');
    INSERT INTO assistants (id, tenant_id, name, slug, type) VALUES ('${id(22)}', '${I.other}', 'Bot', 'bot', 'custom');
    INSERT INTO work_items (id, tenant_id, assistant_id, title) VALUES ('${id(23)}', '${I.other}', '${id(22)}', 'Other');
    INSERT INTO approvals (id, tenant_id, work_item_id, title, risk_level, requested_by, approver_ids, expires_at) VALUES
      ('${I.otherApproval}', '${I.other}', '${id(23)}', 'Other tenant', 1, '${I.otherUser}', ARRAY['${I.approver}']::uuid[], now() + interval '1 day');
    INSERT INTO approval_delegations (id, tenant_id, delegator_id, delegate_id, risk_levels, starts_at, ends_at, is_active) VALUES
      ('${I.delegation}', '${I.tenant}', '${I.approver}', '${I.admin}', '{0,1,2,3,4}', now() - interval '1 day', now() + interval '1 day', true);
    INSERT INTO workspaces (id, tenant_id, name) VALUES ('${I.workspace}', '${I.tenant}', 'Scripts');
    INSERT INTO workspace_files (id, tenant_id, workspace_id, path, content) VALUES
      ('${I.fileA}', '${I.tenant}', '${I.workspace}', 'a.js', ${lit(A_BEFORE)});
    INSERT INTO workspace_changesets (id, tenant_id, workspace_id, title, status, proposed_by, reviewed_by, rejected_reason) VALUES
      ('${I.draft}', '${I.tenant}', '${I.workspace}', 'Draft', 'draft', '${I.admin}', NULL, NULL),
      ('${I.empty}', '${I.tenant}', '${I.workspace}', 'Empty', 'draft', '${I.admin}', NULL, NULL),
      ('${I.approved}', '${I.tenant}', '${I.workspace}', 'Approved', 'approved', '${I.admin}', '${I.approver}', NULL),
      ('${I.stale}', '${I.tenant}', '${I.workspace}', 'Stale', 'approved', '${I.admin}', '${I.approver}', NULL),
      ('${I.rejected}', '${I.tenant}', '${I.workspace}', 'Rejected', 'rejected', '${I.admin}', '${I.approver}', 'needs a test'),
      ('${I.pendingReview}', '${I.tenant}', '${I.workspace}', 'In review', 'pending_review', '${I.admin}', NULL, NULL);
    INSERT INTO workspace_patches (id, tenant_id, changeset_id, file_path, operation, unified_diff, new_content, position) VALUES
      ('${id(70)}', '${I.tenant}', '${I.draft}', 'a.js', 'modify', ${lit(patchA)}, ${lit(A_AFTER)}, 0),
      ('${id(71)}', '${I.tenant}', '${I.approved}', 'b.js', 'create', ${lit(createPatch('b.js', '', B_CONTENT))}, ${lit(B_CONTENT)}, 0),
      ('${id(72)}', '${I.tenant}', '${I.approved}', 'a.js', 'modify', ${lit(patchA)}, ${lit(A_AFTER)}, 1),
      ('${id(73)}', '${I.tenant}', '${I.stale}', 'a.js', 'modify', ${lit(stalePatch)}, 'r\n', 0),
      ('${id(74)}', '${I.tenant}', '${I.pendingReview}', 'a.js', 'modify', ${lit(patchA)}, ${lit(A_AFTER)}, 0);
  `;
}

/**
 * A review comment on the changeset in review (0320's table; separate from fixturesSql, which also
 * serves databases migrated only up to an earlier client migration).
 */
export function reviewFixturesSql(): string {
  const I = IDS;
  return `
    INSERT INTO workspace_changeset_comments (id, tenant_id, changeset_id, patch_id, file_path, line, body, author_id) VALUES
      ('${I.comment}', '${I.tenant}', '${I.pendingReview}', '${id(74)}', 'a.js', 2, 'Why z?', '${I.approver}');
  `;
}

const ALL_PERMISSIONS = [
  'workspaces:write',
  'approvals:write',
  'approvals:decide',
  'approvals:delegate',
  'changesets:write',
  'changesets:submit',
  'changesets:review',
  'changesets:apply',
  'admin:users',
];

export function actorOf(userId: string, permissions: readonly string[] = ALL_PERMISSIONS): MutationActor {
  return { userId, tenantId: IDS.tenant, permissions: new Set(permissions), visibleTenantIds: [IDS.tenant] };
}

export interface OpenedDatabase {
  /** A single connection (or PGlite), superuser, schema migrated. */
  readonly sql: SqlQueryable;
  /** Runs several statements at once, as server state (the fixtures). */
  readonly exec: (sql: string) => Promise<void>;
  /** Changes server state inside the test's open transaction (default: `sql.query`). */
  readonly serverWrite?: (sql: string, params: unknown[]) => Promise<void>;
  /**
   * Runs a prepared named mutation inside the test's open transaction (default: `prepared.run(sql)`);
   * the local database wraps it in outbox.begin_named / outbox.end_named, as runNamedMutation does.
   */
  readonly runNamed?: (mutation: NamedMutation, prepared: PreparedMutation) => Promise<AppliedMutation>;
  readonly close: () => Promise<void>;
}

/** A mutation without its id (the harness adds a fresh one). */
export type Draft = Omit<TableMutation, 'id'> | Omit<NamedMutation, 'id'>;

let seq = 0;
const mutationId = () => `e0000000-0000-4000-8000-${(++seq).toString(16).padStart(12, '0')}`;

export function writeOperationsContract(open: () => Promise<OpenedDatabase>): void {
  let db: OpenedDatabase;
  let catalog: WriteCatalog;

  beforeAll(async () => {
    db = await open();
    await db.exec(fixturesSql() + reviewFixturesSql());
    catalog = await loadWriteCatalog(db.sql);
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await db.sql.query('BEGIN');
  });
  afterEach(async () => {
    await db.sql.query('ROLLBACK');
  });

  const run = (actor: MutationActor, draft: Draft): Promise<AppliedMutation> => {
    const mutation: Mutation = { id: mutationId(), ...draft };
    const prepared = prepareMutation(mutation, { actor, catalog });
    return db.runNamed && isNamedMutation(mutation) ? db.runNamed(mutation, prepared) : prepared.run(db.sql);
  };
  const serverWrite = async (sql: string, params: unknown[]) => {
    if (db.serverWrite) await db.serverWrite(sql, params);
    else await db.sql.query(sql, params);
  };

  /** The OutpostError code a mutation fails with (prepare, run, or the database error it raises). */
  async function failure(actor: MutationActor, mutation: Draft): Promise<ErrorCode> {
    await db.sql.query('SAVEPOINT attempt');
    try {
      await run(actor, mutation);
    } catch (error) {
      await db.sql.query('ROLLBACK TO SAVEPOINT attempt');
      if (isOutpostError(error)) return error.code;
      const mapped = mapDatabaseError(error);
      if (mapped) return mapped.code;
      throw error;
    }
    throw new Error('expected the mutation to fail');
  }

  const row = async (sql: string, params: unknown[] = []) =>
    (await queryRows<Record<string, unknown>>(db.sql, sql, params))[0];

  describe('plain table mutations', () => {
    it('writes a changeset’s patches only while it is a draft', async () => {
      const admin = actorOf(IDS.admin);
      const edited = await run(admin, {
        table: 'workspace_patches',
        op: 'update',
        key: { id: id(70) },
        values: { new_content: 'x\ny\nz\n' },
      });
      expect(edited.result).toMatchObject({ op: 'update' });
      for (const draft of [
        { table: 'workspace_patches', op: 'update', key: { id: id(71) }, values: { new_content: 'late' } },
        { table: 'workspace_patches', op: 'delete', key: { id: id(72) } },
        {
          table: 'workspace_patches',
          op: 'insert',
          values: { changeset_id: IDS.approved, file_path: 'c.js', operation: 'create', new_content: '1' },
        },
      ] as const)
        expect(await failure(admin, draft)).toBe('conflict');
      const [kept] = await queryRows<{ n: number }>(
        db.sql,
        `SELECT count(*)::int AS n FROM workspace_patches WHERE changeset_id = $1`,
        [IDS.approved],
      );
      expect(kept?.n).toBe(2);
    });

    it('inserts, updates and deletes a row, returning its key and the before/after states', async () => {
      const ws = id(900);
      const inserted = await run(actorOf(IDS.admin), {
        table: 'workspaces',
        op: 'insert',
        values: { id: ws, name: 'New' },
      });
      expect(inserted.result).toEqual({ table: 'workspaces', op: 'insert', key: { id: ws } });
      expect(inserted.changes[0]).toMatchObject({
        tenantId: IDS.tenant,
        action: 'workspaces.insert',
        entityId: ws,
        before: null,
        after: { id: ws, name: 'New', tenant_id: IDS.tenant },
      });
      const updated = await run(actorOf(IDS.admin), {
        table: 'workspaces',
        op: 'update',
        key: { id: ws },
        values: { name: "O'Brien; DROP TABLE workspaces; --" },
      });
      expect(updated.changes[0]?.before).toMatchObject({ name: 'New' });
      expect(updated.changes[0]?.after).toMatchObject({ name: "O'Brien; DROP TABLE workspaces; --" });
      await run(actorOf(IDS.admin), { table: 'workspaces', op: 'delete', key: { id: ws } });
      expect(await row(`SELECT 1 FROM workspaces WHERE id = $1`, [ws])).toBeUndefined();
    });

    it('never records server-only columns in before/after states', async () => {
      const done = await run(actorOf(IDS.admin), {
        table: 'users',
        op: 'update',
        key: { id: IDS.approver },
        values: { full_name: 'Ann Approver' },
      });
      expect(done.changes[0]?.before).not.toHaveProperty('hashed_password');
      expect(done.changes[0]?.after).not.toHaveProperty('mfa_secret');
      expect(done.changes[0]?.after).toMatchObject({ full_name: 'Ann Approver' });
    });

    it('refuses secrets, unruled tables, missing permissions, other tenants and fixed columns', async () => {
      const admin = actorOf(IDS.admin);
      const users = { table: 'users', op: 'update', key: { id: IDS.approver } } as const;
      expect(await failure(admin, { ...users, values: { hashed_password: 'x' } })).toBe('forbidden');
      expect(await failure(admin, { table: 'accounts', op: 'insert', values: {} })).toBe('forbidden');
      expect(await failure(admin, { table: 'audit_logs', op: 'insert', values: {} })).toBe('forbidden');
      expect(
        await failure(admin, {
          table: 'approvals',
          op: 'update',
          key: { id: IDS.pending },
          values: { status: 'approved' },
        }),
      ).toBe('forbidden');
      expect(
        await failure(actorOf(IDS.third, []), { table: 'workspaces', op: 'insert', values: { name: 'x' } }),
      ).toBe('forbidden');
      expect(
        await failure(admin, {
          table: 'workspaces',
          op: 'insert',
          values: { name: 'x', tenant_id: IDS.other },
        }),
      ).toBe('forbidden');
      expect(await failure(admin, { ...users, values: { tenant_id: IDS.other } })).toBe('forbidden');
      expect(await failure(admin, { ...users, values: { nope: 1 } })).toBe('validation');
      expect(
        await failure(admin, {
          table: 'workspaces',
          op: 'update',
          key: { id: IDS.workspace, x: 1 },
          values: { name: 'y' },
        }),
      ).toBe('validation');
    });

    it('does not find rows of tenants the actor cannot see', async () => {
      expect(
        await failure(actorOf(IDS.admin), {
          table: 'users',
          op: 'update',
          key: { id: IDS.otherUser },
          values: { full_name: 'x' },
        }),
      ).toBe('not_found');
    });

    it('maps values the column type rejects to validation, the same on both databases', async () => {
      const admin = actorOf(IDS.admin);
      expect(await failure(admin, { table: 'workspaces', op: 'delete', key: { id: 'not-a-uuid' } })).toBe(
        'validation',
      );
      expect(
        await failure(admin, { table: 'workspaces', op: 'insert', values: { name: 'x'.repeat(300) } }),
      ).toBe('validation');
      expect(await failure(admin, { table: 'workspaces', op: 'insert', values: { name: null } })).toBe(
        'validation',
      );
      expect(await failure(admin, { table: 'workspaces', op: 'insert', values: { name: { a: 1 } } })).toBe(
        'validation',
      );
      expect(await failure(admin, { table: 'workspaces', op: 'insert', values: { name: 'a\u0000b' } })).toBe(
        'validation',
      );
    });
  });

  describe('approval.decide', () => {
    const decide = (approval: string, decision: 'approve' | 'reject', reason?: string) => ({
      name: 'approval.decide',
      key: { id: approval },
      values: { decision, ...(reason ? { reason } : {}) },
    });

    it('lets an approver decide, recording the decider and time', async () => {
      const done = await run(actorOf(IDS.approver), decide(IDS.pending, 'approve'));
      expect(done.result).toMatchObject({
        status: 'approved',
        decided_by: IDS.approver,
        delegation_id: null,
      });
      const after = await row(
        `SELECT status, approved_by::text AS by, approved_at IS NOT NULL AS at FROM approvals WHERE id = $1`,
        [IDS.pending],
      );
      expect(after).toEqual({ status: 'approved', by: IDS.approver, at: true });
      expect(done.changes[0]).toMatchObject({ action: 'approval.approved', before: { status: 'pending' } });
    });

    it('lets a delegate decide within the delegation, and records it in context', async () => {
      const done = await run(actorOf(IDS.admin), decide(IDS.pending, 'reject', 'Wrong period'));
      expect(done.result).toMatchObject({ status: 'rejected', delegation_id: IDS.delegation });
      const after = await row(`SELECT rejected_reason, context FROM approvals WHERE id = $1`, [IDS.pending]);
      expect(after).toMatchObject({
        rejected_reason: 'Wrong period',
        context: { decided_under_delegation: IDS.delegation, on_behalf_of: IDS.approver },
      });
    });

    it('refuses a delegate outside the delegated risk levels, and a user who is neither', async () => {
      expect(await failure(actorOf(IDS.admin), decide(IDS.highRisk, 'approve'))).toBe('forbidden');
      expect(await failure(actorOf(IDS.third), decide(IDS.pending, 'approve'))).toBe('forbidden');
      await serverWrite(`UPDATE approval_delegations SET is_active = false WHERE id = $1`, [IDS.delegation]);
      expect(await failure(actorOf(IDS.admin), decide(IDS.pending, 'approve'))).toBe('forbidden');
    });

    it('refuses without the permission, before looking at the approval', async () => {
      expect(await failure(actorOf(IDS.approver, []), decide(IDS.pending, 'approve'))).toBe('forbidden');
    });

    it('answers conflict for a decided or overdue approval, and not_found for another tenant', async () => {
      expect(await failure(actorOf(IDS.approver), decide(IDS.decided, 'reject', 'too late'))).toBe(
        'conflict',
      );
      expect(await failure(actorOf(IDS.approver), decide(IDS.overdue, 'approve'))).toBe('conflict');
      expect(await failure(actorOf(IDS.approver), decide(IDS.otherApproval, 'approve'))).toBe('not_found');
      await run(actorOf(IDS.approver), decide(IDS.pending, 'approve'));
      expect(await failure(actorOf(IDS.admin), decide(IDS.pending, 'approve'))).toBe('conflict');
    });

    it('needs a reason to reject, and a known decision', async () => {
      expect(await failure(actorOf(IDS.approver), decide(IDS.pending, 'reject'))).toBe('validation');
      expect(
        await failure(actorOf(IDS.approver), {
          ...decide(IDS.pending, 'approve'),
          values: { decision: 'maybe' },
        }),
      ).toBe('validation');
      expect(
        await failure(actorOf(IDS.approver), {
          ...decide(IDS.pending, 'approve'),
          key: { id: "1' OR '1'='1" },
        }),
      ).toBe('validation');
    });
  });

  approvalRulesContract({ ids: IDS, actorOf, db: () => db, run, failure, row, serverWrite });
  changesetReviewContract({ ids: IDS, actorOf, db: () => db, run, failure, row, serverWrite });
  workspaceRunContract({ ids: IDS, actorOf, db: () => db, run, failure, row, serverWrite });

  describe('delegation.create', () => {
    const ends = () => new Date(Date.now() + 3600_000).toISOString();

    it('creates a delegation the delegate can then decide under', async () => {
      const created = await run(actorOf(IDS.approver), {
        name: 'delegation.create',
        values: { delegate_id: IDS.third, ends_at: ends(), reason: 'holiday' },
      });
      const delegationId = created.result['delegation_id'];
      expect(
        await row(
          `SELECT delegator_id::text AS d, tenant_id::text AS t FROM approval_delegations WHERE id = $1`,
          [delegationId],
        ),
      ).toEqual({ d: IDS.approver, t: IDS.tenant });
      const decided = await run(actorOf(IDS.third), {
        name: 'approval.decide',
        key: { id: IDS.highRisk },
        values: { decision: 'approve' },
      });
      expect(decided.result).toMatchObject({ status: 'approved', delegation_id: delegationId });
    });

    it('refuses self-delegation, past periods, unknown or foreign delegates and a missing permission', async () => {
      const approver = actorOf(IDS.approver);
      const create = (values: Record<string, unknown>) => ({ name: 'delegation.create', values });
      expect(await failure(approver, create({ delegate_id: IDS.approver, ends_at: ends() }))).toBe(
        'validation',
      );
      expect(
        await failure(
          approver,
          create({ delegate_id: IDS.third, ends_at: new Date(Date.now() - 60_000).toISOString() }),
        ),
      ).toBe('validation');
      expect(
        await failure(
          approver,
          create({ delegate_id: IDS.third, starts_at: ends(), ends_at: new Date().toISOString() }),
        ),
      ).toBe('validation');
      expect(await failure(approver, create({ delegate_id: IDS.otherUser, ends_at: ends() }))).toBe(
        'not_found',
      );
      expect(
        await failure(approver, create({ delegate_id: IDS.third, ends_at: ends(), risk_levels: [9] })),
      ).toBe('validation');
      expect(
        await failure(actorOf(IDS.approver, []), create({ delegate_id: IDS.third, ends_at: ends() })),
      ).toBe('forbidden');
    });
  });

  describe('changesets', () => {
    const op = (name: string, changeset: string, values?: Record<string, unknown>) => ({
      name,
      key: { id: changeset },
      ...(values ? { values } : {}),
    });
    const status = async (changeset: string) =>
      (await row(`SELECT status FROM workspace_changesets WHERE id = $1`, [changeset]))?.['status'];

    it('walks draft ─► pending_review ─► approved ─► applied, writing the files', async () => {
      const admin = actorOf(IDS.admin);
      await run(admin, op('changeset.submit', IDS.draft));
      expect(await status(IDS.draft)).toBe('pending_review');
      const reviewed = await run(
        actorOf(IDS.approver),
        op('changeset.review', IDS.draft, { decision: 'approve' }),
      );
      expect(reviewed.result).toEqual({ changeset_id: IDS.draft, status: 'approved', narrowed_patches: 0 });
      const applied = await run(admin, op('changeset.apply', IDS.draft));
      expect(applied.result).toEqual({
        changeset_id: IDS.draft,
        status: 'applied',
        files: { created: 0, modified: 1, deleted: 0, merged: 0 },
        conflicts: [],
        attempt_id: null,
      });
      expect(await row(`SELECT content FROM workspace_files WHERE id = $1`, [IDS.fileA])).toEqual({
        content: A_AFTER,
      });
      expect(applied.changes.map((c) => c.action)).toEqual(['changeset.applied', 'workspace_file.modified']);
    });

    it('applies creates and modifies in patch order', async () => {
      await run(actorOf(IDS.admin), op('changeset.apply', IDS.approved));
      const files = await queryRows<{ path: string; content: string }>(
        db.sql,
        `SELECT path, content FROM workspace_files WHERE workspace_id = $1 ORDER BY path`,
        [IDS.workspace],
      );
      expect(files).toEqual([
        { path: 'a.js', content: A_AFTER },
        { path: 'b.js', content: B_CONTENT },
      ]);
      expect(await status(IDS.approved)).toBe('applied');
    });

    it('refuses moves the lifecycle does not allow with invalid_transition', async () => {
      const admin = actorOf(IDS.admin);
      expect(await failure(admin, op('changeset.apply', IDS.draft))).toBe('invalid_transition');
      expect(await failure(admin, op('changeset.submit', IDS.pendingReview))).toBe('invalid_transition');
      expect(await failure(admin, op('changeset.revise', IDS.draft))).toBe('invalid_transition');
      await run(admin, op('changeset.apply', IDS.approved));
      expect(await failure(admin, op('changeset.apply', IDS.approved))).toBe('invalid_transition');
      expect(
        await failure(admin, op('changeset.review', IDS.approved, { decision: 'reject', reason: 'x' })),
      ).toBe('invalid_transition');
    });

    it('refuses an empty submission, a reasonless rejection, and a patch whose file changed', async () => {
      const admin = actorOf(IDS.admin);
      expect(await failure(admin, op('changeset.submit', IDS.empty))).toBe('validation');
      expect(await failure(admin, op('changeset.review', IDS.pendingReview, { decision: 'reject' }))).toBe(
        'validation',
      );
      expect(await failure(admin, op('changeset.apply', IDS.stale))).toBe('conflict');
      expect(await status(IDS.stale)).toBe('approved');
    });

    it('refuses the review of a changeset by the person who proposed it', async () => {
      const admin = actorOf(IDS.admin);
      expect(await failure(admin, op('changeset.review', IDS.pendingReview, { decision: 'approve' }))).toBe(
        'forbidden',
      );
      expect(
        await failure(admin, op('changeset.review', IDS.pendingReview, { decision: 'reject', reason: 'x' })),
      ).toBe('forbidden');
      expect(await status(IDS.pendingReview)).toBe('pending_review');
    });

    it('rejects with a reason, and revises a rejected changeset back to draft', async () => {
      await run(
        actorOf(IDS.approver),
        op('changeset.review', IDS.pendingReview, { decision: 'reject', reason: 'tests' }),
      );
      expect(
        await row(`SELECT status, rejected_reason FROM workspace_changesets WHERE id = $1`, [
          IDS.pendingReview,
        ]),
      ).toEqual({
        status: 'rejected',
        rejected_reason: 'tests',
      });
      await run(actorOf(IDS.admin), op('changeset.revise', IDS.rejected));
      expect(await status(IDS.rejected)).toBe('draft');
    });

    it('lets the author withdraw a changeset in review or approved back to draft, and nobody else', async () => {
      const admin = actorOf(IDS.admin);
      expect(await failure(actorOf(IDS.approver), op('changeset.withdraw', IDS.pendingReview))).toBe(
        'forbidden',
      );
      expect(await status(IDS.pendingReview)).toBe('pending_review');
      await run(admin, op('changeset.withdraw', IDS.pendingReview));
      expect(await status(IDS.pendingReview)).toBe('draft');
      // An approved one loses its review: a draft again, reviewed by nobody.
      const withdrawn = await run(admin, op('changeset.withdraw', IDS.approved));
      expect(withdrawn.result).toEqual({ changeset_id: IDS.approved, status: 'draft' });
      expect(
        await row(`SELECT status, reviewed_by, reviewed_at FROM workspace_changesets WHERE id = $1`, [
          IDS.approved,
        ]),
      ).toEqual({ status: 'draft', reviewed_by: null, reviewed_at: null });
      expect(await failure(admin, op('changeset.withdraw', IDS.draft))).toBe('invalid_transition');
      expect(await failure(admin, op('changeset.withdraw', IDS.rejected))).toBe('invalid_transition');
      expect(
        await failure(actorOf(IDS.admin, ['changesets:write']), op('changeset.withdraw', IDS.stale)),
      ).toBe('forbidden');
    });

    it('needs each step’s permission', async () => {
      const only = (p: string) => actorOf(IDS.admin, [p]);
      expect(await failure(only('changesets:review'), op('changeset.submit', IDS.draft))).toBe('forbidden');
      expect(await failure(only('changesets:submit'), op('changeset.apply', IDS.approved))).toBe('forbidden');
      expect(
        await failure(
          only('changesets:apply'),
          op('changeset.review', IDS.pendingReview, { decision: 'approve' }),
        ),
      ).toBe('forbidden');
    });
  });

  it('rejects unknown named mutations and unknown arguments', async () => {
    expect(await failure(actorOf(IDS.admin), { name: 'approval.delete', key: { id: IDS.pending } })).toBe(
      'validation',
    );
    expect(
      await failure(actorOf(IDS.approver), {
        name: 'approval.decide',
        key: { id: IDS.pending },
        values: { decision: 'approve', approved_by: IDS.admin },
      }),
    ).toBe('validation');
  });
}
