/**
 * The `drafts.*` calls of the RPC contract (core/workspaces/draft-calls.ts) on a client's local schema:
 * the scope is the session's user in the workspace's own tenant, a workspace outside the visible
 * tenants is `not_found` for every call, and only drafts.propose writes the outbox (and kicks the
 * uploader).
 */
import { PGlite } from '@electric-sql/pglite';
import { live } from '@electric-sql/pglite/live';
import { vector } from '@electric-sql/pglite-pgvector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorOf, fixturesSql, IDS } from '../../common/mutations/operations.testkit.ts';
import { asServerState, migratedPGliteDump } from '../../scripts/testing/migrated.ts';
import { applyWriteRules } from '../database/write-rules.ts';
import { allMutations } from '../outbox/outbox.ts';
import { draftCalls } from './draft-calls.ts';

describe('drafts.* calls', () => {
  let db: PGlite;
  let kicks = 0;
  let visible: string[] = [IDS.tenant];
  const calls = () =>
    draftCalls({
      db: () => db,
      actor: () => ({ ...actorOf(IDS.admin), visibleTenantIds: visible }),
      afterWrite: () => {
        kicks += 1;
      },
    });

  beforeAll(async () => {
    db = await PGlite.create({
      extensions: { vector, live },
      loadDataDir: await migratedPGliteDump('local'),
    });
    await applyWriteRules(db);
    await asServerState(db, (tx) => tx.exec(fixturesSql()));
  });
  afterAll(async () => {
    await db?.close();
  });

  it('opens, keeps and saves a draft for the session’s user, without a mutation', async () => {
    const c = calls();
    const workspaceId = IDS.workspace;
    const draft = await c['drafts.open']({ workspaceId, path: 'a.js' });
    expect(draft).toMatchObject({ path: 'a.js', operation: 'modify', baseContent: 'x\ny\n' });
    await c['drafts.keep']({ workspaceId, path: 'a.js', text: 'x\ny\ntyping' });
    expect(await c['drafts.list']({ workspaceId })).toEqual([
      expect.objectContaining({ path: 'a.js', savedContent: 'x\ny\n', unsavedContent: 'x\ny\ntyping' }),
    ]);
    await c['drafts.save']({ workspaceId, path: 'a.js', text: 'x\ny\nw\n' });
    const { rows } = await db.query<{ user_id: string; tenant_id: string }>(
      `SELECT user_id::text, tenant_id::text FROM editor.workspace_drafts`,
    );
    expect(rows).toEqual([{ user_id: IDS.admin, tenant_id: IDS.tenant }]);
    expect(await allMutations(db)).toEqual([]);
    expect(kicks).toBe(0);
  });

  it('refuses every call on a workspace outside the visible tenants', async () => {
    visible = [IDS.other];
    const c = calls();
    const workspaceId = IDS.workspace;
    await expect(c['drafts.list']({ workspaceId })).rejects.toMatchObject({ code: 'not_found' });
    await expect(c['drafts.open']({ workspaceId, path: 'a.js' })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(c['drafts.propose']({ workspaceId, title: 'Nope' })).rejects.toMatchObject({
      code: 'not_found',
    });
    visible = [IDS.tenant];
  });

  it('proposes the saved drafts as one changeset.create, kicks the uploader, and drops those drafts', async () => {
    const c = calls();
    const workspaceId = IDS.workspace;
    const { changesetId, paths } = await c['drafts.propose']({ workspaceId, title: 'Add w' });
    expect(paths).toEqual(['a.js']);
    expect(changesetId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await allMutations(db)).map((m) => m.name)).toEqual(['changeset.create']);
    expect(kicks).toBe(1);
    expect(await c['drafts.list']({ workspaceId })).toEqual([]);
  });

  it('creates, renames and deletes files as drafts, never as mutations', async () => {
    const c = calls();
    const workspaceId = IDS.workspace;
    await c['drafts.create']({ workspaceId, path: 'lib/new.js', text: 'export {};\n' });
    await expect(c['drafts.create']({ workspaceId, path: 'a.js' })).rejects.toMatchObject({
      code: 'conflict',
    });
    await c['drafts.rename']({ workspaceId, from: 'lib/new.js', to: 'lib/renamed.js' });
    await c['drafts.delete']({ workspaceId, path: 'a.js' });
    expect(
      (await c['drafts.list']({ workspaceId })).map((d) => [d.path, d.operation, d.savedContent]),
    ).toEqual([
      ['a.js', 'delete', null],
      ['lib/renamed.js', 'create', 'export {};\n'],
    ]);
    expect((await allMutations(db)).map((m) => m.name)).toEqual(['changeset.create']);
    await c['drafts.discard']({ workspaceId, paths: ['a.js', 'lib/renamed.js'] });
  });
});
