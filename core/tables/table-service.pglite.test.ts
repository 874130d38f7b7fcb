/**
 * The table explorer against a real local PGlite (shared + client migrations): the catalog per
 * permission set, queries (filters, sort, paging, total), identifiers and values that try to inject
 * SQL, live queries over local writes and server state, reads by key, and writes through the outbox.
 *
 *   workflows  writable (a view over local.workflows_state), full CRUD, every column
 *   jobs       read-only (server state in a plain public table)
 */
import type { PGlite } from '@electric-sql/pglite';
import type { LiveNamespace } from '@electric-sql/pglite/live';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isOutpostError, type ErrorCode } from '../../common/errors.ts';
import type { TablePage, TableQuery } from '../../common/rpc/contract.ts';
import { readableRules } from '../../common/sync/rules.ts';
import { asServerState, createLocalPGlite } from '../../scripts/testing/migrated.ts';
import { allMutations, pendingMutations } from '../outbox/outbox.ts';
import { TableService } from './table-service.ts';

const TENANT = '10000000-0000-4000-8000-000000000001';
const OTHER_TENANT = '10000000-0000-4000-8000-000000000009';
const WF = (n: number) => `20000000-0000-4000-8000-00000000000${n}`;
const JOB = (n: number) => `30000000-0000-4000-8000-00000000000${n}`;

const READER = new Set(['workflows:read', 'jobs:read']);
const EDITOR = new Set(['workflows:read', 'workflows:write', 'jobs:read']);
const USER = '40000000-0000-4000-8000-000000000001';
const ACTOR = { userId: USER, tenantId: TENANT, permissions: EDITOR, visibleTenantIds: [TENANT] };

async function seed(db: PGlite): Promise<void> {
  await asServerState(db, async (tx) => {
    await tx.query(
      `INSERT INTO tenants (id, name, slug) VALUES ($1, 'Acme', 'acme'), ($2, 'Other', 'other')`,
      [TENANT, OTHER_TENANT],
    );
    const flows: [number, string, string][] = [
      [1, 'Alpha', 'active'],
      [2, 'beta', 'archived'],
      [3, 'Gamma 100%', 'active'],
      [4, 'delta_x', 'active'],
      [5, 'Epsilon', 'archived'],
    ];
    for (const [n, name, status] of flows)
      await tx.query(
        `INSERT INTO workflows (id, tenant_id, name, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5)`,
        [WF(n), TENANT, name, status, `2026-01-0${n} 00:00:00+00`],
      );
    await tx.query(
      `INSERT INTO jobs (id, tenant_id, job_type, status, started_at) VALUES
         ($1, $3, 'sync', 'completed', '2026-02-01 10:00:00+00'), ($2, $3, 'export', 'failed', NULL)`,
      [JOB(1), JOB(2), TENANT],
    );
  });
}

/** The error `run` rejects with, which must be an OutpostError with `code`. */
async function outpostError(run: Promise<unknown>, code: ErrorCode): Promise<Error> {
  const error = await run.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isOutpostError(error)) throw new Error(`expected an OutpostError ${code}, got ${String(error)}`);
  expect(error.code).toBe(code);
  return error;
}

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const names = (page: TablePage) => page.rows.map((r) => r['name']);

describe('TableService', () => {
  let db: PGlite & { live: LiveNamespace };
  let service: TableService;

  beforeEach(async () => {
    db = (await createLocalPGlite()) as PGlite & { live: LiveNamespace };
    await seed(db);
    service = new TableService({ db });
  });
  afterEach(async () => {
    await db?.close();
  });

  describe('catalog', () => {
    it('lists exactly the readable tables, in rule order, each existing locally', async () => {
      const tables = await service.tables(EDITOR);
      expect(tables.map((t) => t.table)).toEqual(readableRules(EDITOR).map((r) => r.table));
      expect(tables.map((t) => t.table)).toEqual(expect.arrayContaining(['tenants', 'workflows', 'jobs']));
      expect(tables.map((t) => t.table)).not.toContain('orders');
      expect(tables.map((t) => t.table)).not.toContain('accounts');
    });

    it('describes a writable table: columns, key, domain, tenant, and what the user may write', async () => {
      const workflows = (await service.tables(EDITOR)).find((t) => t.table === 'workflows');
      expect(workflows).toMatchObject({
        table: 'workflows',
        title: 'Workflows',
        noun: 'workflow',
        domain: 'workflows',
        domainLabel: 'Workflows',
        primaryKey: ['id'],
        writable: {
          operations: ['insert', 'update', 'delete'],
          insertColumns: ['id', 'tenant_id', 'name', 'steps'],
          updateColumns: ['name', 'steps'],
        },
        hasTenant: true,
      });
      expect(workflows?.columns.map((c) => [c.name, c.type, c.nullable, c.presentation.label])).toEqual([
        ['id', 'uuid', false, 'ID'],
        ['tenant_id', 'uuid', false, 'Tenant'],
        ['name', 'text', false, 'Name'],
        ['steps', 'jsonb', false, 'Steps'],
        ['status', 'character varying(20)', false, 'Status'],
        ['created_at', 'timestamp with time zone', false, 'Created'],
        ['updated_at', 'timestamp with time zone', false, 'Updated'],
      ]);
      expect(workflows?.columns.find((c) => c.name === 'status')?.presentation).toEqual({
        label: 'Status',
        format: 'lifecycle',
        lifecycle: 'workflow',
        choices: ['active', 'archived'],
      });
    });

    it('is read-only without the write permission, and for tables without a write rule', async () => {
      const tables = await service.tables(READER);
      expect(tables.find((t) => t.table === 'workflows')?.writable).toBeNull();
      const jobs = tables.find((t) => t.table === 'jobs');
      expect(jobs).toMatchObject({ primaryKey: ['id'], hasTenant: true, writable: null });
      expect(jobs?.columns).toContainEqual(
        expect.objectContaining({ name: 'started_at', type: 'timestamp with time zone', nullable: true }),
      );
      expect(
        (await service.tables(new Set(['admin:tenant']))).find((t) => t.table === 'tenants'),
      ).toMatchObject({
        primaryKey: ['id'],
        hasTenant: false,
        writable: {
          operations: ['update'],
          insertColumns: [],
          updateColumns: ['name', 'industry', 'settings', 'metadata'],
        },
      });
    });

    it('never offers generated or server-only columns for writing, nor columns for a delete-only rule', async () => {
      const roles = (await service.tables(new Set(['admin:roles']))).find((t) => t.table === 'roles');
      expect(roles?.columns.map((c) => c.name)).toContain('scope_id');
      expect(roles?.writable?.insertColumns).not.toContain('scope_id');
      expect(roles?.writable?.updateColumns).toEqual(['name', 'description', 'permissions']);

      const connections = await service.tables(new Set(['connections:read', 'connections:write']));
      const webhooks = connections.find((t) => t.table === 'crm_webhooks');
      expect(webhooks?.columns.map((c) => c.name)).toContain('secret');
      expect(webhooks?.writable?.insertColumns).not.toContain('secret');
      expect(webhooks?.writable?.insertColumns).toContain('url');
      // The connection a webhook belongs to is chosen when it is created, then fixed.
      expect(webhooks?.writable?.insertColumns).toContain('connection_id');
      expect(webhooks?.writable?.updateColumns).not.toContain('connection_id');

      const security = await service.tables(new Set(['admin:security']));
      expect(security.find((t) => t.table === 'active_sessions')?.writable).toEqual({
        operations: ['delete'],
        insertColumns: [],
        updateColumns: [],
      });
    });

    it('caches per permission set', async () => {
      const first = await service.tables(EDITOR);
      expect(await service.tables(new Set([...EDITOR].reverse()))).toEqual(first);
      expect((await service.tables(READER)).find((t) => t.table === 'workflows')?.writable).toBeNull();
    });
  });

  describe('query', () => {
    it('returns plain rows in primary-key order with the total', async () => {
      const page = await service.query(READER, { table: 'workflows' });
      expect(page.total).toBe(5);
      expect(page.rows.map((r) => r['id'])).toEqual([1, 2, 3, 4, 5].map(WF));
      expect(page.rows[0]).toEqual({
        id: WF(1),
        tenant_id: TENANT,
        name: 'Alpha',
        steps: [],
        status: 'active',
        created_at: '2026-01-01T00:00:00.000Z',
        updated_at: '2026-01-01T00:00:00.000Z',
      });
      expect(structuredClone(page)).toEqual(page);
    });

    it('filters: eq, neq, comparisons, contains (case-insensitive, % and _ literal), null tests', async () => {
      const q = (filters: TableQuery['filters']) =>
        service.query(READER, {
          table: 'workflows',
          filters,
          sort: [{ column: 'created_at', direction: 'asc' }],
        });
      expect(names(await q([{ column: 'status', op: 'eq', value: 'archived' }]))).toEqual([
        'beta',
        'Epsilon',
      ]);
      expect((await q([{ column: 'status', op: 'neq', value: 'archived' }])).total).toBe(3);
      expect(names(await q([{ column: 'created_at', op: 'gte', value: '2026-01-04T00:00:00Z' }]))).toEqual([
        'delta_x',
        'Epsilon',
      ]);
      expect(names(await q([{ column: 'created_at', op: 'lt', value: '2026-01-02' }]))).toEqual(['Alpha']);
      expect(
        names(
          await q([
            { column: 'created_at', op: 'gt', value: '2026-01-01' },
            { column: 'created_at', op: 'lte', value: '2026-01-03' },
          ]),
        ),
      ).toEqual(['beta', 'Gamma 100%']);
      expect(names(await q([{ column: 'name', op: 'contains', value: 'ALP' }]))).toEqual(['Alpha']);
      expect(names(await q([{ column: 'name', op: 'contains', value: '%' }]))).toEqual(['Gamma 100%']);
      expect(names(await q([{ column: 'name', op: 'contains', value: '_' }]))).toEqual(['delta_x']);
      expect(names(await q([{ column: 'created_at', op: 'contains', value: '2026-01-05' }]))).toEqual([
        'Epsilon',
      ]);
      expect(names(await q([{ column: 'name', op: 'eq', value: null }]))).toEqual([]);

      const jobs = (op: 'is_null' | 'not_null') =>
        service.query(READER, { table: 'jobs', filters: [{ column: 'started_at', op }] });
      expect((await jobs('is_null')).rows.map((r) => r['job_type'])).toEqual(['export']);
      expect((await jobs('not_null')).rows.map((r) => r['job_type'])).toEqual(['sync']);
    });

    it('sorts, breaks ties by primary key, pages with limit and offset, and counts every match', async () => {
      const byName = await service.query(READER, {
        table: 'workflows',
        sort: [{ column: 'name', direction: 'desc' }],
      });
      // The local database sorts text bytewise (PGlite's C collation): upper case first.
      expect(names(byName)).toEqual(['delta_x', 'beta', 'Gamma 100%', 'Epsilon', 'Alpha']);

      const byStatus = await service.query(READER, {
        table: 'workflows',
        sort: [{ column: 'status', direction: 'asc' }],
      });
      expect(byStatus.rows.map((r) => r['id'])).toEqual([1, 3, 4, 2, 5].map(WF));

      const page = await service.query(READER, {
        table: 'workflows',
        sort: [{ column: 'created_at', direction: 'asc' }],
        limit: 2,
        offset: 2,
      });
      expect(page).toMatchObject({ total: 5 });
      expect(names(page)).toEqual(['Gamma 100%', 'delta_x']);

      const beyond = await service.query(READER, { table: 'workflows', limit: 2, offset: 10 });
      expect(beyond).toEqual({ rows: [], total: 5, rowLabels: [], labels: {} });
      const none = await service.query(READER, {
        table: 'workflows',
        filters: [{ column: 'name', op: 'eq', value: 'nobody' }],
      });
      expect(none).toEqual({ rows: [], total: 0, rowLabels: [], labels: {} });
    });

    it('reads a read-only table (server state in public)', async () => {
      const page = await service.query(READER, {
        table: 'jobs',
        sort: [{ column: 'job_type', direction: 'asc' }],
      });
      expect(page.total).toBe(2);
      expect(page.rows.map((r) => [r['job_type'], r['started_at']])).toEqual([
        ['export', null],
        ['sync', '2026-02-01T10:00:00.000Z'],
      ]);
    });

    it('refuses identifiers that are not in the catalog, naming them', async () => {
      const badTable = await outpostError(
        service.query(READER, { table: 'workflows; DROP TABLE tenants' }),
        'validation',
      );
      expect(badTable.message).toContain('table');
      expect((await outpostError(service.query(READER, { table: 'nope' }), 'validation')).message).toContain(
        'nope',
      );
      // A table with no sync rule is unknown to the explorer, even though it exists locally.
      expect(
        (await outpostError(service.query(READER, { table: 'accounts' }), 'validation')).message,
      ).toContain('accounts');
      const badColumn = await outpostError(
        service.query(READER, {
          table: 'workflows',
          filters: [{ column: 'name" OR 1=1 --', op: 'eq', value: 'x' }],
        }),
        'validation',
      );
      expect(badColumn.message).toContain('filters.0.column');
      const unknownColumn = await outpostError(
        service.query(READER, {
          table: 'workflows',
          filters: [{ column: 'pg_sleep', op: 'eq', value: '1' }],
        }),
        'validation',
      );
      expect(unknownColumn.message).toBe('workflows has no column "pg_sleep".');
      const unknownSort = await outpostError(
        service.query(READER, { table: 'workflows', sort: [{ column: 'secret', direction: 'asc' }] }),
        'validation',
      );
      expect(unknownSort.message).toContain('"secret"');
    });

    it('treats values as data', async () => {
      for (const value of [`' OR '1'='1`, `x'); DROP TABLE tenants; --`, '$1', '%L %s %%'])
        for (const op of ['eq', 'contains'] as const)
          expect(
            await service.query(READER, { table: 'workflows', filters: [{ column: 'name', op, value }] }),
          ).toEqual({ rows: [], total: 0, rowLabels: [], labels: {} });
      expect((await db.query(`SELECT count(*)::int AS n FROM tenants`)).rows).toEqual([{ n: 2 }]);
      const badUuid = await outpostError(
        service.query(READER, {
          table: 'workflows',
          filters: [{ column: 'id', op: 'eq', value: 'not-a-uuid' }],
        }),
        'validation',
      );
      expect(badUuid.message).toContain('uuid');
      const noValue = await outpostError(
        service.query(READER, { table: 'workflows', filters: [{ column: 'name', op: 'lt' }] }),
        'validation',
      );
      expect(noValue.message).toBe('The lt filter on name needs a value.');
    });

    it('is forbidden for a table the user may not read', async () => {
      const error = await outpostError(service.query(READER, { table: 'orders' }), 'forbidden');
      expect(error.message).toBe('Reading orders needs the permission commerce:read.');
    });
  });

  describe('get', () => {
    it('returns the row by its primary key, or null', async () => {
      expect(await service.get(READER, 'workflows', { id: WF(2) })).toMatchObject({
        name: 'beta',
        status: 'archived',
      });
      expect(await service.get(READER, 'workflows', { id: WF(9) })).toBeNull();
    });

    it('needs exactly the primary key and read permission', async () => {
      expect((await outpostError(service.get(READER, 'workflows', {}), 'validation')).message).toContain(
        'id is missing',
      );
      expect(
        (await outpostError(service.get(READER, 'workflows', { id: WF(1), name: 'Alpha' }), 'validation'))
          .message,
      ).toContain('"name" is not part of the primary key of workflows');
      await outpostError(service.get(READER, 'orders', { id: WF(1) }), 'forbidden');
    });
  });

  describe('write', () => {
    it('inserts through the view: the actor tenant by default, one outbox mutation, visible to queries', async () => {
      const { mutationId } = await service.write(EDITOR, ACTOR, {
        table: 'workflows',
        op: 'insert',
        values: { id: WF(6), name: 'Zeta', steps: [{ kind: 'step' }] },
      });
      const [mutation] = await pendingMutations(db);
      expect(mutation).toMatchObject({
        id: mutationId,
        table: 'workflows',
        op: 'insert',
        key: { id: WF(6) },
        values: expect.objectContaining({
          tenant_id: TENANT,
          name: 'Zeta',
          steps: [{ kind: 'step' }],
        }) as unknown,
      });
      expect(await service.get(READER, 'workflows', { id: WF(6) })).toMatchObject({
        tenant_id: TENANT,
        name: 'Zeta',
        steps: [{ kind: 'step' }],
        status: 'active',
      });
      expect((await service.query(READER, { table: 'workflows' })).total).toBe(6);
    });

    it('updates and deletes by key, each returning its own mutation', async () => {
      const updated = await service.write(EDITOR, ACTOR, {
        table: 'workflows',
        op: 'update',
        key: { id: WF(1) },
        values: { name: 'Alpha 2', steps: [{ kind: 'review' }] },
      });
      expect(await service.get(READER, 'workflows', { id: WF(1) })).toMatchObject({
        name: 'Alpha 2',
        steps: [{ kind: 'review' }],
      });
      const deleted = await service.write(EDITOR, ACTOR, {
        table: 'workflows',
        op: 'delete',
        key: { id: WF(2) },
      });
      expect(await service.get(READER, 'workflows', { id: WF(2) })).toBeNull();
      expect((await pendingMutations(db)).map((m) => [m.id, m.op, m.key, m.values])).toEqual([
        [updated.mutationId, 'update', { id: WF(1) }, { name: 'Alpha 2', steps: [{ kind: 'review' }] }],
        [deleted.mutationId, 'delete', { id: WF(2) }, null],
      ]);
    });

    it('refuses what the rule or the permissions do not allow, naming the reason', async () => {
      const cases: [Parameters<TableService['write']>, ErrorCode, string][] = [
        [
          [READER, ACTOR, { table: 'workflows', op: 'insert', values: { name: 'x' } }],
          'forbidden',
          'Writing workflows needs the permission workflows:write.',
        ],
        [
          [EDITOR, ACTOR, { table: 'jobs', op: 'insert', values: { job_type: 'x' } }],
          'forbidden',
          'jobs is not writable through the API.',
        ],
        [
          [
            new Set(['approvals:read', 'approvals:write']),
            ACTOR,
            { table: 'approvals', op: 'update', key: { id: WF(1) }, values: { title: 'x' } },
          ],
          'forbidden',
          'approvals allows only insert through the API, not update; approval.decide decides an approval.',
        ],
        [
          [
            new Set(['approvals:read', 'approvals:write']),
            ACTOR,
            { table: 'approvals', op: 'insert', values: { status: 'approved' } },
          ],
          'forbidden',
          'Column status of approvals is not writable through the API (approval.decide decides an approval).',
        ],
        [
          [
            new Set(['connections:read', 'connections:write']),
            ACTOR,
            { table: 'crm_webhooks', op: 'insert', values: { url: 'https://x.test', secret: 's' } },
          ],
          'forbidden',
          'Column secret of crm_webhooks is server-only: it is never written or read through the API.',
        ],
        [
          [
            new Set(['admin:roles']),
            ACTOR,
            { table: 'roles', op: 'insert', values: { name: 'r', scope_id: TENANT } },
          ],
          'validation',
          'Column scope_id of roles is generated by the database.',
        ],
        [
          [EDITOR, ACTOR, { table: 'workflows', op: 'insert', values: { name: 'x', colour: 'red' } }],
          'validation',
          'workflows has no column "colour".',
        ],
        [
          [
            EDITOR,
            ACTOR,
            { table: 'workflows', op: 'insert', values: { name: 'x', tenant_id: OTHER_TENANT } },
          ],
          'forbidden',
          `You may not write rows of tenant "${OTHER_TENANT}".`,
        ],
        [
          [
            EDITOR,
            ACTOR,
            { table: 'workflows', op: 'update', key: { id: WF(1) }, values: { tenant_id: OTHER_TENANT } },
          ],
          'forbidden',
          'An update never changes tenant_id of workflows (the key and the tenant are fixed).',
        ],
        [
          [EDITOR, ACTOR, { table: 'workflows', op: 'update', key: { id: WF(9) }, values: { name: 'x' } }],
          'not_found',
          'This workflow no longer exists, or you can no longer see it: it may have been deleted.',
        ],
        [
          [EDITOR, ACTOR, { table: 'workflows', op: 'delete', key: { id: WF(9) } }],
          'not_found',
          'This workflow no longer exists, or you can no longer see it: it may have been deleted.',
        ],
        [
          [EDITOR, ACTOR, { table: 'workflows', op: 'delete' }],
          'validation',
          'The key of workflows is exactly its primary key (id).',
        ],
        [
          [
            EDITOR,
            { ...ACTOR, tenantId: OTHER_TENANT, visibleTenantIds: [OTHER_TENANT] },
            { table: 'workflows', op: 'delete', key: { id: WF(1) } },
          ],
          'not_found',
          'This workflow no longer exists, or you can no longer see it: it may have been deleted.',
        ],
        [
          [
            EDITOR,
            ACTOR,
            { table: 'workflows', op: 'update', key: { id: WF(1) }, values: { status: 'archived' } },
          ],
          'forbidden',
          'Column status of workflows is not writable through the API.',
        ],
        [
          [
            EDITOR,
            ACTOR,
            { table: 'workflows', op: 'insert', values: { name: 'x', created_at: '2026-01-01' } },
          ],
          'forbidden',
          'Column created_at of workflows is not writable through the API.',
        ],
        [
          [
            EDITOR,
            ACTOR,
            { table: 'workflow_steps', op: 'update', key: { id: WF(1) }, values: { workflow_id: WF(2) } },
          ],
          'forbidden',
          'Column workflow_id of workflow_steps is set when the row is created and cannot change afterwards.',
        ],
        [
          [
            EDITOR,
            ACTOR,
            { table: 'workflows', op: 'update', key: { id: WF(1) }, values: { name: 'Alpha' } },
          ],
          'validation',
          'The update changes nothing in workflows: every value equals the current one.',
        ],
      ];
      for (const [args, code, message] of cases) {
        const error = await outpostError(service.write(...args), code);
        expect(error.message, JSON.stringify(args[2])).toBe(message);
      }
      expect(await allMutations(db)).toEqual([]);
    });

    it('returns the database refusals (not-null, check, unique) as OutpostErrors with a clear message', async () => {
      const notNull = await outpostError(
        service.write(EDITOR, ACTOR, { table: 'workflows', op: 'insert', values: { name: null } }),
        'validation',
      );
      // Sentences naming the field and the rule, not the database's words.
      expect(notNull.message).toBe('Name is required.');
      expect(notNull.message).not.toContain('workflows_state');
      const check = await outpostError(
        service.write(EDITOR, ACTOR, {
          table: 'workflow_steps',
          op: 'insert',
          values: { workflow_id: WF(1), name: 'Fetch', executor: 'bogus', position: 1 },
        }),
        'validation',
      );
      expect(check.message).toBe('Executor must be one of Python worker or API call.');
      const unique = await outpostError(
        service.write(EDITOR, ACTOR, {
          table: 'workflows',
          op: 'insert',
          values: { id: WF(1), name: 'again' },
        }),
        'conflict',
      );
      expect(unique.message).toBe('This workflow already exists (the same ID).');
      const badValue = await outpostError(
        service.write(EDITOR, ACTOR, {
          table: 'workflow_steps',
          op: 'insert',
          values: { workflow_id: WF(1), name: 'Fetch', executor: 'api_call', position: 'soon' },
        }),
        'validation',
      );
      expect(badValue.message).toContain('integer');
      expect(await allMutations(db)).toEqual([]);
    });
  });

  describe('liveQuery', () => {
    it('emits the first page, then after a write through the view and after a server change; stops on dispose', async () => {
      const events: TablePage[] = [];
      const failures: unknown[] = [];
      const dispose = await service.liveQuery(
        EDITOR,
        {
          table: 'workflows',
          filters: [{ column: 'status', op: 'eq', value: 'active' }],
          sort: [{ column: 'name', direction: 'asc' }],
        },
        (page) => events.push(page),
        (error) => failures.push(error),
      );
      expect(events).toHaveLength(1);
      expect(events[0]?.total).toBe(3);
      expect(names(events[0]!)).toEqual(['Alpha', 'Gamma 100%', 'delta_x']);

      // A local write through the view.
      await db.query(`INSERT INTO workflows (id, tenant_id, name) VALUES ($1, $2, 'Beta local')`, [
        WF(6),
        TENANT,
      ]);
      await until(() => events.length === 2, 'the event of the local insert');
      expect(events[1]?.total).toBe(4);
      expect(names(events[1]!)).toEqual(['Alpha', 'Beta local', 'Gamma 100%', 'delta_x']);

      // A change that does not touch the result (an archived row) emits nothing; the next one that does
      // (server state, as the sync applier writes it) emits exactly one page.
      await service.write(EDITOR, ACTOR, {
        table: 'workflows',
        op: 'update',
        key: { id: WF(5) },
        values: { name: 'Eps' },
      });
      await db.transaction(async (tx) => {
        await tx.exec(`SET LOCAL electric.syncing = true`);
        await tx.query(
          `UPDATE synced.workflows SET name = 'Alpha (server)', _synced_txid = 700 WHERE id = $1`,
          [WF(1)],
        );
      });
      await until(() => events.length === 3, 'the event of the server change');
      expect(names(events[2]!)).toEqual(['Alpha (server)', 'Beta local', 'Gamma 100%', 'delta_x']);

      dispose();
      await db.query(`INSERT INTO workflows (id, tenant_id, name) VALUES ($1, $2, 'after dispose')`, [
        WF(7),
        TENANT,
      ]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(events).toHaveLength(3);
      expect(failures).toEqual([]);
    });

    it('emits a new total when rows are added beyond the page, and drops its temporary view on dispose', async () => {
      const events: TablePage[] = [];
      const liveViews = async () =>
        (
          await db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_class WHERE relname LIKE 'live_query_' || '%'`,
          )
        ).rows[0]?.n;
      const dispose = await service.liveQuery(
        READER,
        { table: 'workflows', sort: [{ column: 'name', direction: 'asc' }], limit: 2 },
        (page) => events.push(page),
        () => undefined,
      );
      expect(events.map((e) => [e.total, names(e)])).toEqual([[5, ['Alpha', 'Epsilon']]]);
      await db.query(`INSERT INTO workflows (id, tenant_id, name) VALUES ($1, $2, 'zz last')`, [
        WF(6),
        TENANT,
      ]);
      await until(() => events.length === 2, 'the new total');
      expect(events.map((e) => [e.total, names(e)])).toEqual([
        [5, ['Alpha', 'Epsilon']],
        [6, ['Alpha', 'Epsilon']],
      ]);
      expect(await liveViews()).toBeGreaterThan(0);
      dispose();
      dispose();
      let views: number | undefined = 1;
      const start = Date.now();
      while (views !== 0 && Date.now() - start < 5000) {
        views = await liveViews();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(views).toBe(0);
    });

    it('refuses a bad query before it starts', async () => {
      await outpostError(
        service.liveQuery(
          READER,
          { table: 'orders' },
          () => undefined,
          () => undefined,
        ),
        'forbidden',
      );
      await outpostError(
        service.liveQuery(
          READER,
          { table: 'workflows', filters: [{ column: 'id', op: 'eq', value: 'nope' }] },
          () => undefined,
          () => undefined,
        ),
        'validation',
      );
    });
  });
});
