/**
 * common/workspaces/changeset-input.ts: the files of a `changeset.create` from a user's drafts, one
 * patch per file (common/mutations/changeset-create.ts checks them again).
 *
 *   draft (operation, base text and hash, saved text) ─► { path, operation, base_sha256?, unified_diff?,
 *                                                          new_content? }
 *     create  the saved text as new_content, its diff from the empty text
 *     modify  the diff from the base to the saved text, the base hash, the saved text
 *     delete  the diff from the base to the empty text, the base hash
 *
 * Guarantees: a changeset holds what the user saved: unsaved buffers are not part of it (the editor
 * asks to save first); a modify draft whose saved text equals its base is no change and is left out;
 * files are ordered by path, so the same drafts give the same arguments (and patch positions).
 */
import { makePatch } from './patch.ts';

export interface WorkspaceDraft {
  readonly path: string;
  readonly operation: 'create' | 'modify' | 'delete';
  /** The file's text when editing began; null for a new file. */
  readonly baseContent: string | null;
  readonly baseSha256: string | null;
  /** The text as last saved; null for a delete (or a draft never saved). */
  readonly savedContent: string | null;
}

export interface ChangesetFileInput {
  readonly path: string;
  readonly operation: 'create' | 'modify' | 'delete';
  readonly base_sha256?: string;
  readonly unified_diff?: string;
  readonly new_content?: string;
}

export async function changesetFiles(drafts: readonly WorkspaceDraft[]): Promise<ChangesetFileInput[]> {
  const files: ChangesetFileInput[] = [];
  for (const d of [...drafts].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    if (d.operation === 'create') {
      if (d.savedContent === null) continue;
      const { unifiedDiff } = await makePatch(d.path, '', d.savedContent);
      files.push({
        path: d.path,
        operation: 'create',
        unified_diff: unifiedDiff,
        new_content: d.savedContent,
      });
      continue;
    }
    if (d.baseContent === null || d.baseSha256 === null) continue;
    if (d.operation === 'modify' && (d.savedContent === null || d.savedContent === d.baseContent)) continue;
    const next = d.operation === 'delete' ? '' : (d.savedContent ?? '');
    const { unifiedDiff } = await makePatch(d.path, d.baseContent, next);
    files.push({
      path: d.path,
      operation: d.operation,
      base_sha256: d.baseSha256,
      unified_diff: unifiedDiff,
      ...(d.operation === 'modify' ? { new_content: next } : {}),
    });
  }
  return files;
}
