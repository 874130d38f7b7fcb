/**
 * The write API (POST /v1/mutations) on the seeded demo database, over HTTP through the gated sync
 * server and directly through the service with a real Principal: table writes with their audit events
 * in the verified hash chain, the txid the shape stream carries, refusals (403/404/409/400/413) that
 * apply nothing, batch atomicity, idempotent replays (also concurrent ones), approval decisions by
 * approvers, delegates and others, delegations, the changeset lifecycle, and the idempotency ledger's
 * own row-level security.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MutationOutcome } from '../../common/mutations/protocol.ts';
import { readShape, signIn, TEST_AUTH_SECRET, type SignedIn } from '../../scripts/testing/gated.ts';
import { createSeededTestDatabase, type SeededTestDatabase } from '../../scripts/testing/seeded.ts';
import { startTestSyncServer, type TestSyncServer } from '../../scripts/testing/sync-server.ts';
import type { Principal } from '../auth/auth-service.ts';
import type { MutationHandler } from './mutation-handler.ts';
import { createMutationService } from './mutation-service.ts';

interface Answer {
  status: number;
  body: { txid?: number; code?: string; message?: string; results?: MutationOutcome[] };
}

type Envelope = Record<string, unknown>;

const BODY_LIMIT = 64 * 1024;

describe('write API', () => {
  let seeded: SeededTestDatabase;
  let sync: TestSyncServer;
  let base: string;
  let pool: pg.Pool;
  let service: MutationHandler;
  const users: Record<string, SignedIn> = {};

  beforeAll(async () => {
    seeded = await createSeededTestDatabase('mutations', { scale: 1 });
    sync = await startTestSyncServer(seeded.db.url, {
      auth: {
        secret: TEST_AUTH_SECRET,
        principalCacheMs: 0,
        mutationBodyBytes: BODY_LIMIT,
        mutationRequestsPerMinute: 100_000,
        mutations: (p) => createMutationService(p),
      },
    });
    base = sync.server.url;
    pool = new pg.Pool({ connectionString: seeded.db.url, max: 4 });
    service = createMutationService(pool);
    for (const [key, email, tenant] of [
      ['acmeAdmin', 'admin@acme.test', 'acme'],
      ['acmeApprover', 'approver@acme.test', 'acme'],
      ['acmeViewer', 'viewer@acme.test', 'acme'],
      ['globexAdmin', 'admin@globex.test', 'globex'],
      ['globexApprover', 'approver@globex.test', 'globex'],
      ['northwindAdmin', 'admin@northwind.test', 'northwind'],
      ['retailAdmin', 'admin@northwind-retail.test', 'northwind-retail'],
    ] as const) {
      users[key] = await signIn(base, email, tenant);
    }
  }, 180_000);

  afterAll(async () => {
    await pool?.end();
    await sync?.stop();
    await seeded?.client.end();
    await seeded?.db.drop();
  });

  const who = (key: string): SignedIn => {
    const user = users[key];
    if (!user) throw new Error(`no signed-in user ${key}`);
    return user;
  };

  async function send(user: string, mutations: unknown): Promise<Answer> {
    const response = await fetch(`${base}/v1/mutations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${who(user).token}` },
      body: JSON.stringify(Array.isArray(mutations) ? { mutations } : mutations),
    });
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  }

  const principalOf = (user: string): Promise<Principal> =>
    sync.server.auth!.authenticate(`Bearer ${who(user).token}`);

  const q = async <R extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> =>
    (await seeded.client.query<R>(sql, params)).rows;

  const one = async <R extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R> => {
    const [row] = await q<R>(sql, params);
    if (!row) throw new Error(`no row for ${sql}`);
    return row;
  };

  const auditOf = (correlation: string) =>
    q<{
      tenant_id: string;
      actor_id: string;
      action: string;
      entity_type: string;
      entity_id: string;
      before_state: unknown;
      after_state: unknown;
    }>(
      `SELECT tenant_id::text, actor_id::text, action, entity_type, entity_id, before_state, after_state
         FROM audit_logs WHERE correlation_id = $1 ORDER BY chain_seq`,
      [correlation],
    );

  const chainOk = async (tenant: string) =>
    (await one<{ ok: boolean }>(`SELECT ok FROM verify_audit_chain($1)`, [tenant])).ok;

  const insertWorkspace = (id: string, extra: Record<string, unknown> = {}): Envelope => ({
    id: randomUUID(),
    table: 'workspaces',
    op: 'insert',
    values: { id, name: `Workspace ${id.slice(0, 8)}`, ...extra },
  });

  const exists = async (table: string, id: string) =>
    (await q(`SELECT 1 FROM ${table} WHERE id = $1`, [id])).length === 1;

  describe('table mutations', () => {
    it('inserts, updates and deletes rows of the signed-in tenant, each with an audit event in the verified chain', async () => {
      const acme = who('acmeAdmin');
      const ws = randomUUID();
      const insert = insertWorkspace(ws, { description: 'first' });
      const inserted = await send('acmeAdmin', [insert]);
      expect(inserted.status).toBe(200);
      expect(inserted.body.results).toEqual([
        {
          index: 0,
          id: insert['id'],
          status: 'applied',
          txid: inserted.body.txid,
          result: { table: 'workspaces', op: 'insert', key: { id: ws } },
        },
      ]);
      // created_by is stamped with the writing user (the rule's stamp), never taken from the client.
      expect(
        await one(
          `SELECT tenant_id::text AS t, created_by::text AS created_by FROM workspaces WHERE id = $1`,
          [ws],
        ),
      ).toEqual({
        t: acme.tenant.id,
        created_by: acme.user.id,
      });
      const update = {
        id: randomUUID(),
        table: 'workspaces',
        op: 'update',
        key: { id: ws },
        values: { name: 'Renamed' },
      };
      expect((await send('acmeAdmin', [update])).status).toBe(200);
      const remove = { id: randomUUID(), table: 'workspaces', op: 'delete', key: { id: ws } };
      expect((await send('acmeAdmin', [remove])).status).toBe(200);
      expect(await exists('workspaces', ws)).toBe(false);

      const [created] = await auditOf(String(insert['id']));
      expect(created).toMatchObject({
        tenant_id: acme.tenant.id,
        actor_id: acme.user.id,
        action: 'workspaces.insert',
        entity_type: 'workspaces',
        entity_id: ws,
        before_state: null,
        after_state: { id: ws, description: 'first' },
      });
      const [renamed] = await auditOf(update.id);
      expect(renamed).toMatchObject({
        before_state: { name: insert['values'] && `Workspace ${ws.slice(0, 8)}` },
        after_state: { name: 'Renamed' },
      });
      const [deleted] = await auditOf(remove.id);
      expect(deleted).toMatchObject({
        action: 'workspaces.delete',
        before_state: { name: 'Renamed' },
        after_state: null,
      });
      expect(await chainOk(acme.tenant.id)).toBe(true);
    });

    it('keeps server-only columns out of audit states', async () => {
      const acme = who('acmeAdmin');
      const m = {
        id: randomUUID(),
        table: 'users',
        op: 'update',
        key: { id: who('acmeViewer').user.id },
        values: { first_name: 'Vera' },
      };
      expect((await send('acmeAdmin', [m])).status).toBe(200);
      const [event] = await auditOf(m.id);
      expect(event?.before_state).not.toHaveProperty('hashed_password');
      expect(event?.after_state).not.toHaveProperty('hashed_password');
      expect(event?.after_state).toMatchObject({ first_name: 'Vera' });
      expect(await chainOk(acme.tenant.id)).toBe(true);
    });

    it('answers with the xid of its transaction: the rows carry it, and so do the shape messages', async () => {
      const admin = who('acmeAdmin');
      const initial = await readShape(`${base}/v1/shape`, admin.token, { table: 'workspaces' });
      expect(initial.status).toBe(200);
      const ws = randomUUID();
      const answer = await send('acmeAdmin', [insertWorkspace(ws)]);
      expect(answer.status).toBe(200);
      const txid = answer.body.txid;
      expect(typeof txid).toBe('number');
      expect(
        (await one<{ xmin: string }>(`SELECT xmin::text AS xmin FROM workspaces WHERE id = $1`, [ws])).xmin,
      ).toBe(String(txid));

      let offset = initial.offset ?? '-1';
      const key = `"public"."workspaces"/"${ws}"`;
      let txids: number[] | undefined;
      for (let i = 0; i < 20 && !txids; i++) {
        const url = new URL(`${base}/v1/shape`);
        url.searchParams.set('table', 'workspaces');
        url.searchParams.set('offset', offset);
        url.searchParams.set('handle', initial.handle ?? '');
        url.searchParams.set('live', 'true');
        const response = await fetch(url, { headers: { authorization: `Bearer ${admin.token}` } });
        expect(response.status).toBe(200);
        offset = response.headers.get('electric-offset') ?? offset;
        const messages = (await response.json()) as { key?: string; headers: { txids?: number[] } }[];
        txids = messages.find((m) => m.key === key)?.headers.txids;
      }
      expect(txids).toEqual([txid]);
    });

    it('refuses forbidden columns, tables, permissions and other tenants, applying nothing', async () => {
      const globex = who('globexAdmin');
      const globexWs = (
        await one<{ id: string }>(`SELECT id::text FROM workspaces WHERE tenant_id = $1 LIMIT 1`, [
          globex.tenant.id,
        ])
      ).id;
      const before = await q(`SELECT * FROM workspaces WHERE tenant_id = $1 ORDER BY id`, [globex.tenant.id]);
      const cases: [string, Envelope, string][] = [
        ['acmeViewer', insertWorkspace(randomUUID()), 'forbidden'],
        [
          'acmeAdmin',
          {
            id: randomUUID(),
            table: 'users',
            op: 'update',
            key: { id: who('acmeAdmin').user.id },
            values: { hashed_password: 'x' },
          },
          'forbidden',
        ],
        [
          'acmeAdmin',
          { id: randomUUID(), table: 'accounts', op: 'insert', values: { provider: 'x' } },
          'forbidden',
        ],
        [
          'acmeAdmin',
          { id: randomUUID(), table: 'audit_logs', op: 'insert', values: { action: 'x' } },
          'forbidden',
        ],
        [
          'acmeAdmin',
          { id: randomUUID(), table: 'approvals', op: 'delete', key: { id: randomUUID() } },
          'forbidden',
        ],
        [
          'acmeAdmin',
          {
            id: randomUUID(),
            table: 'tenants',
            op: 'update',
            key: { id: who('acmeAdmin').tenant.id },
            values: { plan: 'pro' },
          },
          'forbidden',
        ],
        ['acmeAdmin', insertWorkspace(randomUUID(), { tenant_id: globex.tenant.id }), 'forbidden'],
        [
          'acmeAdmin',
          {
            id: randomUUID(),
            table: 'workspaces',
            op: 'update',
            key: { id: globexWs },
            values: { name: 'pwned' },
          },
          'not_found',
        ],
        [
          'acmeAdmin',
          { id: randomUUID(), table: 'workspaces', op: 'delete', key: { id: globexWs } },
          'not_found',
        ],
        [
          'acmeAdmin',
          {
            id: randomUUID(),
            table: 'tenants',
            op: 'update',
            key: { id: globex.tenant.id },
            values: { name: 'pwned' },
          },
          'not_found',
        ],
      ];
      for (const [user, m, code] of cases) {
        const answer = await send(user, [m]);
        expect(answer.body.code, JSON.stringify(m)).toBe(code);
        expect(answer.status).toBe(code === 'forbidden' ? 403 : 404);
        expect(answer.body.results?.[0]).toMatchObject({ status: 'rejected', code });
        expect(await auditOf(String(m['id']))).toEqual([]);
      }
      expect(
        await q(`SELECT * FROM workspaces WHERE tenant_id = $1 ORDER BY id`, [globex.tenant.id]),
      ).toEqual(before);
    });

    it("lets a holding write its subsidiary's rows, audited in the subsidiary's chain, but not the reverse", async () => {
      const holding = who('northwindAdmin');
      const retail = who('retailAdmin');
      const ws = randomUUID();
      const m = insertWorkspace(ws, { tenant_id: retail.tenant.id });
      expect((await send('northwindAdmin', [m])).status).toBe(200);
      const [event] = await auditOf(String(m['id']));
      expect(event).toMatchObject({ tenant_id: retail.tenant.id, actor_id: holding.user.id });
      expect(await chainOk(retail.tenant.id)).toBe(true);
      const up = await send('retailAdmin', [insertWorkspace(randomUUID(), { tenant_id: holding.tenant.id })]);
      expect(up.status).toBe(403);
    });
  });

  describe('batches', () => {
    it('applies nothing when one mutation is refused, and reports each mutation', async () => {
      const ws = randomUUID();
      const good = insertWorkspace(ws);
      const bad = {
        id: randomUUID(),
        table: 'users',
        op: 'update',
        key: { id: who('acmeAdmin').user.id },
        values: { mfa_secret: 'x' },
      };
      const answer = await send('acmeAdmin', [good, bad]);
      expect(answer.status).toBe(403);
      expect(answer.body.message).toMatch(/^Nothing was applied\. Mutation 1 \(users\.update\)/);
      expect(answer.body.results).toEqual([
        { index: 0, id: good['id'], status: 'not_applied' },
        {
          index: 1,
          id: bad.id,
          status: 'rejected',
          code: 'forbidden',
          message: expect.any(String) as string,
        },
      ]);
      expect(answer.body.results?.[1]).toHaveProperty('message', expect.stringMatching(/server-only/));
      expect(await exists('workspaces', ws)).toBe(false);
    });

    it('rolls back earlier mutations when a later one fails in the database', async () => {
      const ws = randomUUID();
      const first = insertWorkspace(ws);
      const other = randomUUID();
      const second = insertWorkspace(other);
      const duplicate = insertWorkspace(ws);
      const answer = await send('acmeAdmin', [first, second, duplicate]);
      expect(answer.status).toBe(409);
      expect(answer.body.results?.map((r) => r.status)).toEqual(['not_applied', 'not_applied', 'rejected']);
      expect(answer.body.results?.[2]).toMatchObject({ code: 'conflict' });
      expect(await exists('workspaces', ws)).toBe(false);
      expect(await exists('workspaces', other)).toBe(false);
      expect(await auditOf(String(first['id']))).toEqual([]);
    });

    it('reports every malformed envelope at once', async () => {
      const answer = await send('acmeAdmin', [
        insertWorkspace(randomUUID()),
        { id: 'nope', table: 'workspaces', op: 'insert' },
        { id: randomUUID(), table: 'workspaces', op: 'merge' },
      ]);
      expect(answer.status).toBe(400);
      expect(answer.body.results?.map((r) => r.status)).toEqual(['not_applied', 'rejected', 'rejected']);
    });
  });

  describe('idempotency', () => {
    it('answers a re-sent mutation with its original result and txid, without writing again', async () => {
      const m = insertWorkspace(randomUUID());
      const first = await send('acmeAdmin', [m]);
      const again = await send('acmeAdmin', [m]);
      expect(again.status).toBe(200);
      expect(again.body.txid).toBe(first.body.txid);
      expect(again.body.results?.[0]).toEqual({ ...first.body.results?.[0], status: 'replayed' });
      expect(await auditOf(String(m['id']))).toHaveLength(1);

      const fresh = insertWorkspace(randomUUID());
      const mixed = await send('acmeAdmin', [m, fresh]);
      expect(mixed.body.results?.map((r) => r.status)).toEqual(['replayed', 'applied']);
      expect(mixed.body.txid).not.toBe(first.body.txid);
    });

    it('refuses a known id carrying a different request', async () => {
      const m = insertWorkspace(randomUUID());
      expect((await send('acmeAdmin', [m])).status).toBe(200);
      const changed = await send('acmeAdmin', [{ ...m, values: { name: 'something else' } }]);
      expect(changed.status).toBe(409);
      expect(changed.body.results?.[0]).toMatchObject({ status: 'rejected', code: 'conflict' });
    });

    it("treats another user's id as new, revealing nothing of the first", async () => {
      const id = randomUUID();
      const mine = { ...insertWorkspace(randomUUID()), id };
      const theirs = { ...insertWorkspace(randomUUID()), id };
      const first = await send('acmeAdmin', [mine]);
      const second = await send('globexAdmin', [theirs]);
      expect(second.status).toBe(200);
      expect(second.body.results?.[0]).toMatchObject({ status: 'applied' });
      expect(second.body.results?.[0]).not.toEqual(first.body.results?.[0]);
    });

    it('serialises concurrent requests carrying the same id: one applies, the other replays', async () => {
      const ws = randomUUID();
      const m = insertWorkspace(ws);
      const principal = await principalOf('acmeAdmin');
      const answers = await Promise.all([1, 2, 3].map(() => service({ mutations: [m] }, principal)));
      const statuses = answers.map((a) => (a.body as Answer['body']).results?.[0]?.status).sort();
      expect(statuses).toEqual(['applied', 'replayed', 'replayed']);
      expect(await auditOf(String(m['id']))).toHaveLength(1);
    });
  });

  describe('approvals', () => {
    const decide = (approval: string, decision: 'approve' | 'reject', reason?: string): Envelope => ({
      id: randomUUID(),
      name: 'approval.decide',
      key: { id: approval },
      values: { decision, ...(reason ? { reason } : {}) },
    });

    /** A pending approval of the tenant whose only approver is the tenant's approver (risk below 5). */
    const pendingOf = async (tenant: string, skip = 0) =>
      (
        await one<{ id: string }>(
          `SELECT a.id::text FROM approvals a JOIN users u ON u.id = a.approver_ids[1]
            WHERE a.tenant_id = $1 AND a.status = 'pending' AND a.expires_at > now() + interval '10 minutes'
              AND cardinality(a.approver_ids) = 1 AND a.risk_level < 5 AND u.email LIKE 'approver@%'
            ORDER BY a.id OFFSET $2 LIMIT 1`,
          [tenant, skip],
        )
      ).id;

    it('lets an approver approve, recording decider and time, with an audit event', async () => {
      const acme = who('acmeApprover');
      const approval = await pendingOf(acme.tenant.id, 0);
      const m = decide(approval, 'approve');
      const answer = await send('acmeApprover', [m]);
      expect(answer.status).toBe(200);
      expect(answer.body.results?.[0]).toMatchObject({
        status: 'applied',
        result: { approval_id: approval, status: 'approved', decided_by: acme.user.id, delegation_id: null },
      });
      expect(
        await one(
          `SELECT status, approved_by::text AS by, approved_at IS NOT NULL AS at FROM approvals WHERE id = $1`,
          [approval],
        ),
      ).toEqual({
        status: 'approved',
        by: acme.user.id,
        at: true,
      });
      const [event] = await auditOf(String(m['id']));
      expect(event).toMatchObject({
        action: 'approval.approved',
        entity_type: 'approval',
        entity_id: approval,
        before_state: { status: 'pending' },
      });
      expect(await chainOk(acme.tenant.id)).toBe(true);

      const again = await send('acmeApprover', [decide(approval, 'reject', 'changed my mind')]);
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('conflict');
    });

    it("lets the approver's delegate decide, and records the delegation", async () => {
      const admin = who('acmeAdmin');
      const approval = await pendingOf(admin.tenant.id, 0);
      const answer = await send('acmeAdmin', [decide(approval, 'reject', 'Wrong subsidiary')]);
      expect(answer.status).toBe(200);
      const delegation = (answer.body.results?.[0] as unknown as { result: { delegation_id: string } }).result
        .delegation_id;
      expect(delegation).toMatch(/^[0-9a-f-]{36}$/);
      expect(
        await one(
          `SELECT status, rejected_reason, context->>'decided_under_delegation' AS d FROM approvals WHERE id = $1`,
          [approval],
        ),
      ).toEqual({
        status: 'rejected',
        rejected_reason: 'Wrong subsidiary',
        d: delegation,
      });
    });

    it('refuses users who are neither approver nor delegate, and users without the permission', async () => {
      const retail = who('retailAdmin');
      const approval = await pendingOf(retail.tenant.id, 0);
      const holding = await send('northwindAdmin', [decide(approval, 'approve')]);
      expect(holding.status).toBe(403);
      expect(holding.body.message).toMatch(/not an approver/);
      const viewer = await send('acmeViewer', [
        decide(await pendingOf(who('acmeViewer').tenant.id, 0), 'approve'),
      ]);
      expect(viewer.status).toBe(403);
      expect(viewer.body.message).toMatch(/approvals:decide/);
      const foreign = await send('globexApprover', [decide(approval, 'approve')]);
      expect(foreign.status).toBe(404);
      expect(await one(`SELECT status FROM approvals WHERE id = $1`, [approval])).toEqual({
        status: 'pending',
      });
    });

    it('lets exactly one of two concurrent decisions through; the other is a conflict', async () => {
      const acme = who('acmeApprover');
      const approval = await pendingOf(acme.tenant.id, 0);
      const [approver, admin] = await Promise.all([principalOf('acmeApprover'), principalOf('acmeAdmin')]);
      const answers = await Promise.all([
        service({ mutations: [decide(approval, 'approve')] }, approver),
        service({ mutations: [decide(approval, 'reject', 'no')] }, admin),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    });

    it('creates a delegation that lets the delegate decide from then on', async () => {
      const approver = who('globexApprover');
      const admin = who('globexAdmin');
      const approval = await pendingOf(approver.tenant.id, 0);
      await seeded.client.query(`UPDATE approval_delegations SET is_active = false WHERE tenant_id = $1`, [
        approver.tenant.id,
      ]);
      expect((await send('globexAdmin', [decide(approval, 'approve')])).status).toBe(403);
      const create = {
        id: randomUUID(),
        name: 'delegation.create',
        values: {
          delegate_id: admin.user.id,
          ends_at: new Date(Date.now() + 86_400_000).toISOString(),
          reason: 'travel',
        },
      };
      const created = await send('globexApprover', [create]);
      expect(created.status).toBe(200);
      const delegation = (created.body.results?.[0] as unknown as { result: { delegation_id: string } })
        .result.delegation_id;
      expect(await auditOf(create.id)).toMatchObject([
        { action: 'delegation.created', entity_id: delegation },
      ]);
      const decided = await send('globexAdmin', [decide(approval, 'approve')]);
      expect(decided.status).toBe(200);
      expect(decided.body.results?.[0]).toMatchObject({ result: { delegation_id: delegation } });
      expect(
        (
          await send('globexApprover', [
            { ...create, id: randomUUID(), values: { ...create.values, delegate_id: approver.user.id } },
          ])
        ).status,
      ).toBe(400);
    });
  });

  describe('changesets', () => {
    it('submits, reviews and applies a changeset, writing the files, and refuses invalid transitions', async () => {
      const acme = who('acmeAdmin');
      const draft = await one<{ id: string; workspace_id: string }>(
        `SELECT c.id::text, c.workspace_id::text FROM workspace_changesets c
          WHERE c.tenant_id = $1 AND c.status = 'draft'
            AND EXISTS (SELECT 1 FROM workspace_patches p WHERE p.changeset_id = c.id)
          ORDER BY c.created_at DESC LIMIT 1`,
        [acme.tenant.id],
      );
      const op = (name: string, values?: Record<string, unknown>): Envelope => ({
        id: randomUUID(),
        name,
        key: { id: draft.id },
        ...(values ? { values } : {}),
      });
      expect((await send('acmeAdmin', [op('changeset.apply')])).body.code).toBe('invalid_transition');
      expect((await send('acmeAdmin', [op('changeset.submit')])).status).toBe(200);
      const twice = await send('acmeAdmin', [op('changeset.submit')]);
      expect(twice.status).toBe(409);
      expect(twice.body.code).toBe('invalid_transition');
      expect((await send('acmeViewer', [op('changeset.review', { decision: 'approve' })])).status).toBe(403);
      expect((await send('acmeApprover', [op('changeset.review', { decision: 'approve' })])).status).toBe(
        200,
      );
      const apply = op('changeset.apply');
      const applied = await send('acmeAdmin', [apply]);
      expect(applied.status).toBe(200);
      expect(
        await one(`SELECT status, applied_at IS NOT NULL AS at FROM workspace_changesets WHERE id = $1`, [
          draft.id,
        ]),
      ).toEqual({
        status: 'applied',
        at: true,
      });
      const patches = await q<{ file_path: string; new_content: string | null; operation: string }>(
        `SELECT file_path, new_content, operation FROM workspace_patches WHERE changeset_id = $1`,
        [draft.id],
      );
      for (const p of patches) {
        const [file] = await q<{ content: string }>(
          `SELECT content FROM workspace_files WHERE workspace_id = $1 AND path = $2`,
          [draft.workspace_id, p.file_path],
        );
        if (p.operation === 'delete') expect(file).toBeUndefined();
        else expect(file?.content).toBe(p.new_content);
      }
      const events = await auditOf(String(apply['id']));
      expect(events[0]?.action).toBe('changeset.applied');
      expect(events.slice(1).map((e) => e.entity_type)).toEqual(patches.map(() => 'workspace_file'));
      expect(await chainOk(acme.tenant.id)).toBe(true);
    });
  });

  describe('limits and malformed requests', () => {
    it('refuses too many mutations (413), too large a body (413), an empty batch, non-JSON and no token', async () => {
      const tooMany = await send(
        'acmeAdmin',
        Array.from({ length: 101 }, () => insertWorkspace(randomUUID())),
      );
      expect(tooMany.status).toBe(413);
      expect(tooMany.body.code).toBe('payload_too_large');
      expect(tooMany.body.message).toMatch(/at most 100 mutations/);
      const huge = await send('acmeAdmin', [
        insertWorkspace(randomUUID(), { description: 'x'.repeat(BODY_LIMIT) }),
      ]);
      expect(huge.status).toBe(413);
      const empty = await send('acmeAdmin', []);
      expect(empty.status).toBe(400);
      const notJson = await fetch(`${base}/v1/mutations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${who('acmeAdmin').token}` },
        body: '{"mutations": [',
      });
      expect(notJson.status).toBe(400);
      const anonymous = await fetch(`${base}/v1/mutations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ mutations: [insertWorkspace(randomUUID())] }),
      });
      expect(anonymous.status).toBe(401);
    });

    it('limits the batch size in the service too', async () => {
      const small = createMutationService(pool, { maxMutationsPerBatch: 2 });
      const answer = await small(
        { mutations: [1, 2, 3].map(() => insertWorkspace(randomUUID())) },
        await principalOf('acmeAdmin'),
      );
      expect(answer.status).toBe(413);
    });
  });

  describe('idempotency ledger', () => {
    it("shows a session only its own user's rows, and lets outpost_app neither change nor remove them", async () => {
      const admin = who('acmeAdmin');
      const m = insertWorkspace(randomUUID());
      expect((await send('acmeAdmin', [m])).status).toBe(200);
      const asApp = async (tenant: string, user: string, sql: string) => {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query('SET LOCAL ROLE outpost_app');
          await client.query(
            `SELECT set_config('app.tenant_id', $1, true), set_config('app.user_id', $2, true)`,
            [tenant, user],
          );
          return (await client.query(sql, [m['id']])).rowCount;
        } catch (error) {
          return (error as { code?: string }).code;
        } finally {
          await client.query('ROLLBACK');
          client.release();
        }
      };
      const select = `SELECT * FROM outpost_writes.applied_mutations WHERE mutation_id = $1`;
      expect(await asApp(admin.tenant.id, admin.user.id, select)).toBe(1);
      expect(await asApp(admin.tenant.id, who('acmeApprover').user.id, select)).toBe(0);
      expect(await asApp(who('globexAdmin').tenant.id, admin.user.id, select)).toBe(0);
      expect(
        await asApp(
          admin.tenant.id,
          admin.user.id,
          `UPDATE outpost_writes.applied_mutations SET txid = 0 WHERE mutation_id = $1`,
        ),
      ).toBe('42501');
      expect(
        await asApp(
          admin.tenant.id,
          admin.user.id,
          `DELETE FROM outpost_writes.applied_mutations WHERE mutation_id = $1`,
        ),
      ).toBe('42501');
    });
  });
});
