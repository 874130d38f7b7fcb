/**
 * core/workspaces/draft-calls.ts: the RPC calls `drafts.*` (common/rpc/contract.ts) over
 * core/workspaces/drafts.ts, for the signed-in user.
 *
 *   drafts.list / open / keep / save / create / delete / rename / discard
 *                                                editor.workspace_drafts only (local, never synced)
 *   drafts.propose                               changeset.create of the saved drafts, queued; the
 *                                                uploader is kicked, as after any write
 *
 * Guarantees: the scope's user is the session's user and its tenant is the workspace's own, looked up
 * among the tenants the session may see; a workspace outside them is `not_found`, so nobody reads or
 * writes drafts (or proposes changes) in a workspace they cannot see. Only `drafts.propose` writes the
 * outbox.
 */
import type { PGliteInterface } from '@electric-sql/pglite';
import { OutpostError } from '../../common/errors.ts';
import type { MutationActor } from '../../common/mutations/types.ts';
import type { CallHandlers } from '../../common/rpc/server.ts';
import { toPgArrayLiteral } from '../../common/sync/pg-array-literal.ts';
import type { LocalOperationDatabase } from '../outbox/local-operation.ts';
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
  type DraftScope,
} from './drafts.ts';

export type DraftCallName =
  | 'drafts.list'
  | 'drafts.open'
  | 'drafts.keep'
  | 'drafts.save'
  | 'drafts.create'
  | 'drafts.delete'
  | 'drafts.rename'
  | 'drafts.discard'
  | 'drafts.propose';

export interface DraftCallContext {
  readonly db: () => LocalOperationDatabase & Pick<PGliteInterface, 'query'>;
  readonly actor: () => MutationActor;
  /** After a changeset was queued. */
  readonly afterWrite: () => void;
}

async function scopeOf(context: DraftCallContext, workspaceId: string): Promise<DraftScope> {
  const actor = context.actor();
  const { rows } = await context
    .db()
    .query<{ tenant_id: string }>(
      `SELECT tenant_id::text AS tenant_id FROM workspaces WHERE id = $1::uuid AND tenant_id = ANY ($2::uuid[])`,
      [workspaceId, toPgArrayLiteral(actor.visibleTenantIds)],
    );
  const tenantId = rows[0]?.tenant_id;
  if (!tenantId)
    throw new OutpostError('not_found', 'This workspace is not on this device, or not yours to see.');
  return { userId: actor.userId, tenantId, workspaceId };
}

export function draftCalls(context: DraftCallContext): Pick<CallHandlers, DraftCallName> {
  return {
    'drafts.list': async ({ workspaceId }) => listDrafts(context.db(), await scopeOf(context, workspaceId)),
    'drafts.open': async ({ workspaceId, path }) =>
      openDraft(context.db(), await scopeOf(context, workspaceId), path),
    'drafts.keep': async ({ workspaceId, path, text }) => {
      await keepUnsaved(context.db(), await scopeOf(context, workspaceId), path, text);
      return null;
    },
    'drafts.save': async ({ workspaceId, path, text }) => {
      await saveDraft(context.db(), await scopeOf(context, workspaceId), path, text);
      return null;
    },
    'drafts.create': async ({ workspaceId, path, text }) =>
      createFile(context.db(), await scopeOf(context, workspaceId), path, text ?? ''),
    'drafts.delete': async ({ workspaceId, path }) => {
      await deleteFile(context.db(), await scopeOf(context, workspaceId), path);
      return null;
    },
    'drafts.rename': async ({ workspaceId, from, to }) =>
      renameFile(context.db(), await scopeOf(context, workspaceId), from, to),
    'drafts.discard': async ({ workspaceId, paths }) => {
      await discardDrafts(context.db(), await scopeOf(context, workspaceId), paths);
      return null;
    },
    'drafts.propose': async ({ workspaceId, title, description }) => {
      const scope = await scopeOf(context, workspaceId);
      const result = await createChangesetFromDrafts(context.db(), context.actor(), scope, {
        title,
        ...(description ? { description } : {}),
      });
      context.afterWrite();
      return result;
    },
  };
}
