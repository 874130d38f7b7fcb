/**
 * The editor's drafts on a client's local schema: keystrokes and saves stay in
 * editor.workspace_drafts (no outbox mutation, nothing synced), kept across closing the database; a
 * changeset made of them is one changeset.create in the outbox with one patch per saved file, whose
 * base hash is the file's content when editing began, and the drafts it used are gone.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { live } from '@electric-sql/pglite/live';
import { vector } from '@electric-sql/pglite-pgvector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorOf, fixturesSql, IDS } from '../../common/mutations/operations.testkit.ts';
import { contentSha256 } from '../../common/workspaces/patch.ts';
import { asServerState, migratedPGliteDump } from '../../scripts/testing/migrated.ts';
import { applyWriteRules } from '../database/write-rules.ts';
import { allMutations } from '../outbox/outbox.ts';
import { isOutpostError } from '../../common/errors.ts';
import {
  createChangesetFromDrafts,
  createFile,
  deleteFile,
  discardDrafts,
  keepUnsaved,
  listDrafts,
  openDraft,
  renameFile,
  saveDraft,
} from './drafts.ts';

const scope = { userId: IDS.admin, tenantId: IDS.tenant, workspaceId: IDS.workspace };

describe('workspace drafts', () => {
  let dir: string;
  let db: PGlite;
  const open = async (loadDataDir?: Blob) => {
    db = await PGlite.create({
      dataDir: dir,
      extensions: { vector, live },
      ...(loadDataDir ? { loadDataDir } : {}),
    });
    await applyWriteRules(db);
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'outpost-drafts-'));
    await open(await migratedPGliteDump('local'));
    await asServerState(db, (tx) => tx.exec(fixturesSql()));
  });
  afterAll(async () => {
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps saved and unsaved text locally, never in the outbox, across closing the database', async () => {
    const draft = await openDraft(db, scope, 'a.js');
    expect(draft).toMatchObject({
      operation: 'modify',
      baseContent: 'x\ny\n',
      baseSha256: await contentSha256('x\ny\n'),
      savedContent: 'x\ny\n',
    });
    await keepUnsaved(db, scope, 'a.js', 'x\ny\nw');
    await saveDraft(db, scope, 'a.js', 'x\ny\nw\n');
    await keepUnsaved(db, scope, 'a.js', 'x\ny\nw\nmore');
    await openDraft(db, scope, 'lib/new.js');
    await saveDraft(db, scope, 'lib/new.js', 'export {};\n');
    expect(await allMutations(db)).toEqual([]);
    await db.close();
    await open();
    expect(await listDrafts(db, scope)).toEqual([
      expect.objectContaining({ path: 'a.js', savedContent: 'x\ny\nw\n', unsavedContent: 'x\ny\nw\nmore' }),
      expect.objectContaining({ path: 'lib/new.js', operation: 'create', baseContent: null }),
    ]);
    expect(await listDrafts(db, { ...scope, userId: IDS.approver })).toEqual([]);
  });

  it('makes a changeset of the saved drafts: one outbox mutation, one patch per file', async () => {
    const made = await createChangesetFromDrafts(db, actorOf(IDS.admin), scope, { title: 'Edits' });
    expect(made.paths).toEqual(['a.js', 'lib/new.js']);
    const queued = await allMutations(db);
    expect(queued.map((m) => m.name)).toEqual(['changeset.create']);
    const { rows } = await db.query<{ file_path: string; operation: string; new_content: string }>(
      `SELECT file_path, operation, new_content FROM workspace_patches WHERE changeset_id = $1 ORDER BY position`,
      [made.changesetId],
    );
    expect(rows).toEqual([
      { file_path: 'a.js', operation: 'modify', new_content: 'x\ny\nw\n' },
      { file_path: 'lib/new.js', operation: 'create', new_content: 'export {};\n' },
    ]);
    expect(await listDrafts(db, scope)).toEqual([]);
  });

  it('turns a deleted file into a delete draft, and drops a new file’s draft', async () => {
    await deleteFile(db, scope, 'a.js');
    await openDraft(db, scope, 'tmp.js');
    await deleteFile(db, scope, 'tmp.js');
    expect(await listDrafts(db, scope)).toEqual([
      expect.objectContaining({ path: 'a.js', operation: 'delete', savedContent: null }),
    ]);
    await discardDrafts(db, scope, ['a.js']);
    expect(await listDrafts(db, scope)).toEqual([]);
  });

  const codeOf = async (run: Promise<unknown>) => {
    try {
      await run;
      return 'ok';
    } catch (error) {
      return isOutpostError(error) ? error.code : String(error);
    }
  };

  it('creates a new file’s draft, refusing a path that is taken', async () => {
    expect(await createFile(db, scope, 'src/b.js', 'export const b = 2;\n')).toMatchObject({
      path: 'src/b.js',
      operation: 'create',
      savedContent: 'export const b = 2;\n',
    });
    expect(await codeOf(createFile(db, scope, 'a.js'))).toBe('conflict');
    expect(await codeOf(createFile(db, scope, 'src/b.js'))).toBe('conflict');
    // A file being deleted may be made again: the delete becomes a change of its text.
    await deleteFile(db, scope, 'a.js');
    expect(await createFile(db, scope, 'a.js', 'again\n')).toMatchObject({
      operation: 'modify',
      savedContent: 'again\n',
      baseContent: 'x\ny\n',
    });
    await discardDrafts(db, scope, ['a.js', 'src/b.js']);
  });

  it('renames a file into a new file with its current text and a delete of the old path', async () => {
    await openDraft(db, scope, 'a.js');
    await keepUnsaved(db, scope, 'a.js', 'x\ny\nunsaved\n');
    await renameFile(db, scope, 'a.js', 'lib/a.js');
    expect(await listDrafts(db, scope)).toEqual([
      expect.objectContaining({ path: 'a.js', operation: 'delete' }),
      expect.objectContaining({ path: 'lib/a.js', operation: 'create', savedContent: 'x\ny\nunsaved\n' }),
    ]);
    // A new file renamed again leaves no trace of its first name.
    await renameFile(db, scope, 'lib/a.js', 'lib/b.js');
    expect((await listDrafts(db, scope)).map((d) => [d.path, d.operation])).toEqual([
      ['a.js', 'delete'],
      ['lib/b.js', 'create'],
    ]);
    expect(await codeOf(renameFile(db, scope, 'missing.js', 'x.js'))).toBe('not_found');
    expect(await codeOf(renameFile(db, scope, 'a.js', 'y.js'))).toBe('not_found');
    expect(await codeOf(renameFile(db, scope, 'lib/b.js', 'lib/b.js'))).toBe('validation');
    await openDraft(db, scope, 'c.js');
    expect(await codeOf(renameFile(db, scope, 'c.js', 'lib/b.js'))).toBe('conflict');
    expect(await allMutations(db)).toHaveLength(1);
    await discardDrafts(db, scope, ['a.js', 'lib/b.js', 'c.js']);
  });
});
