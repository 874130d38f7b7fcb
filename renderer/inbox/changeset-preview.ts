/**
 * renderer/inbox/changeset-preview.ts: a changeset's patches as lines to show, the way a review shows
 * "files changed": per file its path, what happens to it, the lines added and removed, and its hunks
 * with old and new line numbers. A patch's unified diff is parsed with jsdiff; a created file without
 * one shows its new content as added lines.
 *
 * Pure. Guarantees: a diff that does not parse is reported as such (the preview never guesses);
 * at most `maxLines` lines per file are returned, with how many were left out.
 */
import { parsePatch } from 'diff';

export type PreviewLineKind = 'hunk' | 'add' | 'del' | 'ctx';

export interface PreviewLine {
  readonly kind: PreviewLineKind;
  readonly text: string;
  readonly oldNo: number | null;
  readonly newNo: number | null;
}

export interface FilePreview {
  readonly path: string;
  readonly operation: 'create' | 'modify' | 'delete';
  readonly added: number;
  readonly removed: number;
  readonly lines: readonly PreviewLine[];
  /** Lines not returned (past maxLines). */
  readonly more: number;
  /** Why there is nothing to show ('the diff could not be read'), or null. */
  readonly problem: string | null;
}

export interface PatchInput {
  readonly file_path: string;
  readonly operation: 'create' | 'modify' | 'delete';
  readonly unified_diff: string | null;
  readonly new_content: string | null;
}

function diffLines(diff: string): PreviewLine[] {
  const parsed = parsePatch(diff);
  const lines: PreviewLine[] = [];
  for (const file of parsed)
    for (const hunk of file.hunks) {
      lines.push({
        kind: 'hunk',
        text: `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`,
        oldNo: null,
        newNo: null,
      });
      let oldNo = hunk.oldStart;
      let newNo = hunk.newStart;
      for (const line of hunk.lines) {
        const mark = line[0];
        const text = line.slice(1);
        if (mark === '+') lines.push({ kind: 'add', text, oldNo: null, newNo: newNo++ });
        else if (mark === '-') lines.push({ kind: 'del', text, oldNo: oldNo++, newNo: null });
        else if (mark === ' ') lines.push({ kind: 'ctx', text, oldNo: oldNo++, newNo: newNo++ });
        // '\\ No newline at end of file' belongs to the line before: not a line of its own here.
      }
    }
  return lines;
}

/** One patch as a file of the preview. */
export function previewPatch(patch: PatchInput, maxLines = 400): FilePreview {
  let lines: PreviewLine[] = [];
  let problem: string | null = null;
  if (patch.unified_diff) {
    try {
      lines = diffLines(patch.unified_diff);
      if (lines.length === 0 && patch.operation === 'modify') problem = 'No changed lines.';
    } catch (error) {
      problem = `The diff could not be read: ${error instanceof Error ? error.message : String(error)}.`;
    }
  } else if (patch.operation === 'create' && patch.new_content !== null) {
    const text = patch.new_content.endsWith('\n') ? patch.new_content.slice(0, -1) : patch.new_content;
    lines =
      text === ''
        ? []
        : text.split(/\r?\n/).map((t, i) => ({ kind: 'add', text: t, oldNo: null, newNo: i + 1 }));
  } else if (patch.operation !== 'delete') problem = 'This patch carries no diff.';
  return {
    path: patch.file_path,
    operation: patch.operation,
    added: lines.filter((l) => l.kind === 'add').length,
    removed: lines.filter((l) => l.kind === 'del').length,
    lines: lines.slice(0, maxLines),
    more: Math.max(0, lines.length - maxLines),
    problem,
  };
}
