/**
 * The workspace editor's named queries (common/queries/workspaces.ts) on a client's local database:
 * what each returns, the visible-tenant limit, and the permission each needs. Fixtures are the write
 * operations' (a workspace "Scripts" with a.js and changesets in every state).
 */
import type { PGlite } from '@electric-sql/pglite';
import type { LiveNamespace } from '@electric-sql/pglite/live';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOutpostError } from '../../common/errors.ts';
import { fixturesSql, IDS } from '../../common/mutations/operations.testkit.ts';
import type { QueryReader } from '../../common/queries/query.ts';
import { asServerState, createLocalPGlite } from '../../scripts/testing/migrated.ts';
import { QueryService } from './query-service.ts';

const READS = ['workspaces:read', 'changesets:read'];

const reader = (permissions = READS, visible: string[] = [IDS.tenant]): QueryReader => ({
  userId: IDS.admin,
  tenantId: IDS.tenant,
  visibleTenantIds: visible,
  permissions: new Set(permissions),
});

describe('workspace queries', () => {
  let db: PGlite & { live: LiveNamespace };
  let queries: QueryService;

  beforeAll(async () => {
    db = (await createLocalPGlite()) as PGlite & { live: LiveNamespace };
    await asServerState(db, (tx) => tx.exec(fixturesSql()));
    queries = new QueryService(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('workspaces.list names the visible workspaces with their file count', async () => {
    const { rows } = await queries.run(reader(), { name: 'workspaces.list' });
    expect(rows).toEqual([
      expect.objectContaining({ id: IDS.workspace, name: 'Scripts', tenant_id: IDS.tenant, file_count: 1 }),
    ]);
    expect((await queries.run(reader(READS, [IDS.other]), { name: 'workspaces.list' })).rows).toEqual([]);
  });

  it('workspaces.files gives paths and sizes; workspaces.fileTexts the contents', async () => {
    const params = { workspaceId: IDS.workspace };
    expect((await queries.run(reader(), { name: 'workspaces.files', params })).rows).toEqual([
      expect.objectContaining({ id: IDS.fileA, path: 'a.js', size: 4 }),
    ]);
    expect((await queries.run(reader(), { name: 'workspaces.fileTexts', params })).rows).toEqual([
      { path: 'a.js', content: 'x\ny\n' },
    ]);
    expect(
      (await queries.run(reader(READS, [IDS.other]), { name: 'workspaces.fileTexts', params })).rows,
    ).toEqual([]);
  });

  it('workspaces.changesets lists a workspace’s changesets with the author by name, and needs changesets:read', async () => {
    const { rows } = await queries.run(reader(), {
      name: 'workspaces.changesets',
      params: { workspaceId: IDS.workspace },
    });
    expect(rows.map((r) => r['title']).sort()).toEqual(
      ['Approved', 'Draft', 'Empty', 'In review', 'Rejected', 'Stale'].sort(),
    );
    expect(rows.every((r) => typeof r['proposer_name'] === 'string')).toBe(true);
    try {
      await queries.run(reader(['workspaces:read']), {
        name: 'workspaces.changesets',
        params: { workspaceId: IDS.workspace },
      });
      expect.unreachable('workspaces.changesets needs changesets:read');
    } catch (error) {
      expect(isOutpostError(error) && error.code).toBe('forbidden');
    }
  });
});
