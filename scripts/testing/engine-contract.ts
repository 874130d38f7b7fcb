/**
 * scripts/testing/engine-contract.ts: the behaviour every engine host must show through the RPC
 * contract, written once and run against each host: the Node host (core/host/node-host.pg.test.ts)
 * and the Web Worker host in Chromium (e2e/engine-contract.spec.ts). Framework-free (node:assert), so
 * vitest and Playwright both run the same scenarios, in order (later ones build on earlier ones).
 *
 * Needs: a seeded central database (scale 1) behind a gated sync server, and a way to open a fresh
 * client (a device with its own local data) whose network can be switched off.
 */
import assert from 'node:assert/strict';
import type pg from 'pg';
import type { RpcClient } from '../../common/rpc/client.ts';
import type { SubscriptionEvent, SubscriptionName, SubscriptionParams } from '../../common/rpc/contract.ts';
import { readableRules } from '../../common/sync/rules.ts';
import { eventually } from './eventually.ts';
import { rowsUnderRls } from './gated.ts';

export const DEMO_PASSWORD = 'outpost-demo';
/**
 * How long a scenario waits for a live query to show a state: a bound for a loaded 2-core machine, not
 * a speed target (bench/engine.ts measures central commit → live query).
 */
const LIVE_WAIT_MS = 90_000;

export interface EngineClientHandle {
  readonly client: RpcClient;
  /** Cuts or restores this client's network (requests fail as they do when offline). */
  setOnline(online: boolean): Promise<void>;
}

export interface EngineContractEnv {
  readonly central: pg.Client;
  /** The sync server's base URL, as the client reaches it. */
  readonly serverUrl: string;
  openClient(): Promise<EngineClientHandle>;
}

export interface EngineScenario {
  readonly name: string;
  readonly timeoutMs: number;
  run(): Promise<void>;
}

/** The latest event of a subscription, and a way to wait for one that satisfies a condition. */
export function follow<N extends SubscriptionName>(
  client: RpcClient,
  topic: N,
  params: SubscriptionParams<N>,
) {
  let latest: SubscriptionEvent<N> | undefined;
  let error: Error | undefined;
  const stop = client.subscribe(
    topic,
    params,
    (value) => (latest = value),
    (e) => (error = e),
  );
  return {
    stop,
    get latest() {
      return latest;
    },
    async until(ok: (v: SubscriptionEvent<N>) => boolean, timeoutMs = 60_000): Promise<SubscriptionEvent<N>> {
      const started = Date.now();
      for (;;) {
        if (error) throw error;
        if (latest !== undefined && ok(latest)) return latest;
        if (Date.now() - started > timeoutMs)
          throw new Error(`${topic}: timed out; latest ${String(JSON.stringify(latest)).slice(0, 600)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

/** Signs a fresh client in and waits for its initial sync to finish without an error. */
export async function signedInClient(
  env: EngineContractEnv,
  email: string,
  tenant: string,
): Promise<EngineClientHandle> {
  const handle = await env.openClient();
  await handle.client.call('session.signIn', {
    serverUrl: env.serverUrl,
    email,
    password: DEMO_PASSWORD,
    tenant,
  });
  const status = follow(handle.client, 'sync.status', undefined);
  try {
    const done = await status.until((s) => s.state === 'up-to-date' || s.state === 'error', 240_000);
    assert.equal(done.lastError, null, `initial sync failed: ${JSON.stringify(done.lastError)}`);
  } finally {
    status.stop();
  }
  return handle;
}

export function engineContract(env: EngineContractEnv): EngineScenario[] {
  let first: EngineClientHandle;
  let second: EngineClientHandle;
  let acmeId = '';

  const centralName = async (id: string) =>
    (await env.central.query<{ name: string }>(`SELECT name FROM workflows WHERE id = $1`, [id])).rows[0]
      ?.name;

  return [
    {
      name: 'syncs every table the acme admin may read to exactly what RLS shows them centrally',
      timeoutMs: 300_000,
      async run() {
        const { rows } = await env.central.query<{ id: string }>(
          `SELECT id FROM tenants WHERE slug = 'acme'`,
        );
        acmeId = rows[0]?.id ?? '';
        first = await signedInClient(env, 'admin@acme.test', 'acme');
        const session = await first.client.call('session.get', undefined);
        assert.ok(session, 'signed in');
        const readable = readableRules(new Set(session.user.permissions)).map((r) => r.table);
        const tables = await first.client.call('catalog.tables', undefined);
        assert.deepEqual(tables.map((t) => t.table).sort(), [...readable].sort());
        const mismatches: string[] = [];
        for (const table of readable) {
          const local = await first.client.call('table.query', { table, limit: 1 });
          const central = await rowsUnderRls(env.central, session.tenant.id, session.user.id, table);
          if (local.total !== central) mismatches.push(`${table}: local ${local.total}, central ${central}`);
        }
        assert.deepEqual(mismatches, []);
      },
    },
    {
      name: 'answers the named queries from the synced data as the central database would',
      timeoutMs: 180_000,
      async run() {
        const session = await first.client.call('session.get', undefined);
        assert.ok(session, 'signed in');
        const userId = session.user.id;
        // What waits for the acme admin, computed centrally: pending or escalated approvals naming
        // them as an approver (the seed's delegations run the other way), and work items awaiting one.
        const approvals = await env.central.query<{ id: string }>(
          `SELECT id::text AS id FROM approvals
            WHERE tenant_id = $1 AND status IN ('pending', 'escalated') AND $2::uuid = ANY (approver_ids)
            ORDER BY expires_at, risk_level DESC, created_at, id`,
          [acmeId, userId],
        );
        const waiting = await first.client.call('query.run', { name: 'approvals.waitingForMe' });
        assert.ok(approvals.rows.length > 0, 'the seed has approvals waiting for the acme admin');
        assert.deepEqual(
          waiting.rows.filter((r) => r['on_behalf_of'] === null).map((r) => r['id']),
          approvals.rows.map((r) => r.id),
        );
        for (const row of waiting.rows) {
          assert.equal(typeof row['tenant_name'], 'string');
          assert.equal(typeof row['work_item_title'], 'string');
        }
        const items = await env.central.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM work_items WHERE tenant_id = $1 AND status = 'awaiting_approval'`,
          [acmeId],
        );
        const local = await first.client.call('query.run', {
          name: 'workItems.byStatus',
          params: { status: 'awaiting_approval', limit: 1000 },
        });
        assert.ok((items.rows[0]?.n ?? 0) > 0, 'the seed has work items awaiting approval');
        assert.equal(local.rows.length, items.rows[0]?.n);
        // Live, as Home follows it: the first event is the same list.
        const live = follow(first.client, 'query.live', {
          name: 'workItems.byStatus',
          params: { status: 'awaiting_approval', tenantId: null, limit: 100 },
        });
        try {
          const event = await live.until((e) => e.rows.length > 0, LIVE_WAIT_MS);
          assert.equal(event.rows.length, Math.min(100, items.rows[0]?.n ?? 0));
        } finally {
          live.stop();
        }
      },
    },
    {
      name: 'shows a change made on the server in a live table query',
      timeoutMs: 180_000,
      async run() {
        const live = follow(first.client, 'table.query', {
          table: 'workflows',
          filters: [{ column: 'name', op: 'eq', value: 'made centrally' }],
        });
        try {
          await live.until((page) => page.total === 0);
          await env.central.query(`INSERT INTO workflows (tenant_id, name) VALUES ($1, 'made centrally')`, [
            acmeId,
          ]);
          const page = await live.until((p) => p.total === 1, LIVE_WAIT_MS);
          assert.equal(page.rows[0]?.['name'], 'made centrally');
          assert.equal(page.rows[0]?.['tenant_id'], acmeId);
        } finally {
          live.stop();
        }
      },
    },
    {
      name: 'uploads a write made offline after reconnecting, and a second client receives it',
      timeoutMs: 300_000,
      async run() {
        // A second device of the same user (only admins may write workflows in the seed).
        second = await signedInClient(env, 'admin@acme.test', 'acme');
        await first.setOnline(false);
        const { mutationId } = await first.client.call('table.write', {
          table: 'workflows',
          op: 'insert',
          values: { name: 'written offline' },
        });
        const writes = follow(first.client, 'writes.list', undefined);
        const status = follow(first.client, 'sync.status', undefined);
        try {
          await writes.until((list) => list.some((w) => w.id === mutationId && w.status !== 'rejected'));
          await status.until((s) => s.pendingWrites >= 1);
          await new Promise((r) => setTimeout(r, 500));
          const before = await env.central.query(`SELECT 1 FROM workflows WHERE name = 'written offline'`);
          assert.equal(before.rowCount, 0, 'nothing reaches the server while offline');
          const local = await first.client.call('table.query', {
            table: 'workflows',
            filters: [{ column: 'name', op: 'eq', value: 'written offline' }],
          });
          assert.equal(local.total, 1, 'the local view shows the write at once');

          await first.setOnline(true);
          await first.client.call('sync.retry', undefined);
          await writes.until((list) => !list.some((w) => w.id === mutationId), 60_000);
          const after = await env.central.query<{ tenant_id: string }>(
            `SELECT tenant_id FROM workflows WHERE name = 'written offline'`,
          );
          assert.deepEqual(after.rows, [{ tenant_id: acmeId }]);
        } finally {
          writes.stop();
          status.stop();
        }
        const onSecond = follow(second.client, 'table.query', {
          table: 'workflows',
          filters: [{ column: 'name', op: 'eq', value: 'written offline' }],
        });
        try {
          await onSecond.until((p) => p.total === 1, LIVE_WAIT_MS);
        } finally {
          onSecond.stop();
        }
      },
    },
    {
      name: 'rolls back a write the server refuses and reports its code and reason',
      timeoutMs: 240_000,
      async run() {
        const { rows } = await env.central.query<{ id: string }>(
          `INSERT INTO workflows (tenant_id, name) VALUES ($1, 'to be deleted centrally') RETURNING id`,
          [acmeId],
        );
        const id = rows[0]?.id ?? '';
        const live = follow(first.client, 'table.query', {
          table: 'workflows',
          filters: [{ column: 'id', op: 'eq', value: id }],
        });
        const writes = follow(first.client, 'writes.list', undefined);
        try {
          await live.until((p) => p.total === 1, LIVE_WAIT_MS);
          await first.setOnline(false);
          const { mutationId } = await first.client.call('table.write', {
            table: 'workflows',
            op: 'update',
            key: { id },
            values: { name: 'renamed offline' },
          });
          await live.until((p) => p.rows[0]?.['name'] === 'renamed offline');
          await env.central.query(`DELETE FROM workflows WHERE id = $1`, [id]);
          await first.setOnline(true);
          await first.client.call('sync.retry', undefined);
          const list = await writes.until(
            (l) => l.some((w) => w.id === mutationId && w.status === 'rejected'),
            60_000,
          );
          const rejected = list.find((w) => w.id === mutationId);
          assert.equal(rejected?.error?.code, 'not_found');
          assert.match(rejected?.error?.message ?? '', /This workflow no longer exists/);
          // Rolled back; the server's deletion arrives too: the row is gone.
          await live.until((p) => p.total === 0, LIVE_WAIT_MS);
          await first.client.call('writes.dismiss', { id: mutationId });
          await writes.until((l) => !l.some((w) => w.id === mutationId));
        } finally {
          writes.stop();
          live.stop();
        }
      },
    },
    {
      name: 'converges two clients that edit one row offline to the order the server applied them',
      timeoutMs: 240_000,
      async run() {
        const { rows } = await env.central.query<{ id: string }>(
          `INSERT INTO workflows (tenant_id, name) VALUES ($1, 'shared') RETURNING id`,
          [acmeId],
        );
        const id = rows[0]?.id ?? '';
        const query = { table: 'workflows', filters: [{ column: 'id', op: 'eq' as const, value: id }] };
        const onFirst = follow(first.client, 'table.query', query);
        const onSecond = follow(second.client, 'table.query', query);
        try {
          await onFirst.until((p) => p.total === 1, LIVE_WAIT_MS);
          await onSecond.until((p) => p.total === 1, LIVE_WAIT_MS);
          await first.setOnline(false);
          await second.setOnline(false);
          await first.client.call('table.write', {
            table: 'workflows',
            op: 'update',
            key: { id },
            values: { name: 'first' },
          });
          await second.client.call('table.write', {
            table: 'workflows',
            op: 'update',
            key: { id },
            values: { name: 'second', steps: [{ kind: 'review' }] },
          });
          // The first client reconnects first, so the server applies its write first.
          await first.setOnline(true);
          await first.client.call('sync.retry', undefined);
          await eventually(
            async () => (await centralName(id)) === 'first',
            'the first write on the server',
            60_000,
          );
          await second.setOnline(true);
          await second.client.call('sync.retry', undefined);
          await eventually(
            async () => (await centralName(id)) === 'second',
            'the second write on the server',
            60_000,
          );
          for (const side of [onFirst, onSecond]) {
            const page = await side.until((p) => p.rows[0]?.['name'] === 'second', LIVE_WAIT_MS);
            assert.deepEqual(page.rows[0]?.['steps'], [{ kind: 'review' }]);
          }
        } finally {
          onFirst.stop();
          onSecond.stop();
        }
      },
    },
    {
      name: 'never shows the previous account rows after switching to a user of another tenant',
      timeoutMs: 300_000,
      async run() {
        await second.client.call('session.signOut', undefined);
        await assert.rejects(second.client.call('table.query', { table: 'workflows' }), {
          code: 'signed_out',
        });
        await second.client.call('session.signIn', {
          serverUrl: env.serverUrl,
          email: 'admin@northwind.test',
          password: DEMO_PASSWORD,
          tenant: 'northwind',
        });
        const status = follow(second.client, 'sync.status', undefined);
        try {
          await status.until((s) => s.state === 'up-to-date', 240_000);
        } finally {
          status.stop();
        }
        const session = await second.client.call('session.get', undefined);
        const visible = new Set(session?.tenant.visibleTenantIds);
        assert.equal(visible.has(acmeId), false);
        const page = await second.client.call('table.query', { table: 'workflows', limit: 1000 });
        assert.ok(page.total > 0, 'northwind has workflows');
        assert.deepEqual(
          page.rows.filter((r) => !visible.has(String(r['tenant_id']))),
          [],
          'only rows of the tenants northwind sees',
        );
        const acmeRows = await second.client.call('table.query', {
          table: 'workflows',
          filters: [{ column: 'tenant_id', op: 'eq', value: acmeId }],
        });
        assert.equal(acmeRows.total, 0);
      },
    },
  ];
}
