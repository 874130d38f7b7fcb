/**
 * common/workspaces/merge.ts: a line-based three-way merge (diff3) of a file: the common `base`, `ours`
 * (a changeset's version) and `theirs` (the workspace's current version, changed by someone else since
 * the changeset was made). Built on jsdiff's `diffArrays` (LCS), so no second diff library is needed.
 *
 *   base ──diff──► ours     the changes of each side are hunks over base line ranges [start, end)
 *   base ──diff──► theirs   with the lines that replace them
 *   sweep the hunks of both sides in base order; hunks that overlap or touch form a group:
 *     one side only                 ─► that side's lines
 *     both sides, same result       ─► it (the same edit made twice)
 *     both sides, different result  ─► a conflict: base, ours and theirs of the group's range
 *   base lines outside every group are copied.
 *
 * Guarantees:
 *   - A merge is clean only when no line was changed differently on both sides; changes on the same or
 *     on adjacent lines are a conflict (as git's merge does), so nothing changed concurrently is
 *     overwritten silently.
 *   - Lines keep their own endings (`\n`, `\r\n`, or none for the last line), so a CRLF file stays
 *     CRLF and a missing final newline stays missing.
 *   - merge(b, b, t) = t, merge(b, o, b) = o, merge(b, x, x) = x.
 *   - A conflicted merge's `text` holds git-style markers (`<<<<<<< changeset`, `||||||| base`,
 *     `=======`, `>>>>>>> workspace`) for an editor; `conflicts` lists each region with its first
 *     line in that text (1-based).
 */
import { diffArrays } from 'diff';

export interface MergeConflict {
  /** The 1-based line of the region's `<<<<<<<` marker in the merged text. */
  readonly line: number;
  readonly base: string;
  readonly ours: string;
  readonly theirs: string;
}

export type MergeResult =
  | { readonly clean: true; readonly text: string }
  | { readonly clean: false; readonly text: string; readonly conflicts: readonly MergeConflict[] };

export const CONFLICT_MARKERS = {
  ours: '<<<<<<< changeset',
  base: '||||||| base',
  separator: '=======',
  theirs: '>>>>>>> workspace',
} as const;

/** The lines of `text`, each with its own line ending ('' has none). */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

interface Hunk {
  readonly side: 'ours' | 'theirs';
  readonly start: number;
  readonly end: number;
  readonly lines: readonly string[];
}

function hunksOf(base: readonly string[], side: readonly string[], name: Hunk['side']): Hunk[] {
  const hunks: Hunk[] = [];
  let at = 0;
  let open: { start: number; end: number; lines: string[] } | null = null;
  for (const change of diffArrays(base as string[], side as string[])) {
    const count = change.value.length;
    if (!change.added && !change.removed) {
      if (open) hunks.push({ side: name, ...open });
      open = null;
      at += count;
      continue;
    }
    open ??= { start: at, end: at, lines: [] };
    if (change.removed) {
      open.end += count;
      at += count;
    } else open.lines.push(...change.value);
  }
  if (open) hunks.push({ side: name, ...open });
  return hunks;
}

/** Whether `h` belongs to a group covering base lines [start, end): overlapping or touching it. */
const touches = (h: Hunk, start: number, end: number) => h.start <= end && start <= h.end;

/** One side's text of base[start, end) with that side's hunks of the group applied. */
function sideOf(base: readonly string[], hunks: readonly Hunk[], start: number, end: number): string[] {
  const out: string[] = [];
  let at = start;
  for (const h of hunks) {
    out.push(...base.slice(at, h.start), ...h.lines);
    at = h.end;
  }
  out.push(...base.slice(at, end));
  return out;
}

/** A line ending so that a marker after `text` starts on its own line. */
const ended = (lines: readonly string[]) => {
  const last = lines.at(-1);
  return last === undefined || last.endsWith('\n') ? '' : '\n';
};

export function merge3(base: string, ours: string, theirs: string): MergeResult {
  const baseLines = splitLines(base);
  const all = [
    ...hunksOf(baseLines, splitLines(ours), 'ours'),
    ...hunksOf(baseLines, splitLines(theirs), 'theirs'),
  ].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: string[] = [];
  const conflicts: MergeConflict[] = [];
  let at = 0;
  let i = 0;
  while (i < all.length) {
    const first = all[i] as Hunk;
    const group: Hunk[] = [first];
    let start = first.start;
    let end = first.end;
    for (i++; i < all.length && touches(all[i] as Hunk, start, end); i++) {
      const h = all[i] as Hunk;
      group.push(h);
      start = Math.min(start, h.start);
      end = Math.max(end, h.end);
    }
    out.push(...baseLines.slice(at, start));
    at = end;
    const mine = group.filter((h) => h.side === 'ours');
    const yours = group.filter((h) => h.side === 'theirs');
    const oursText = sideOf(baseLines, mine, start, end);
    const theirsText = sideOf(baseLines, yours, start, end);
    if (yours.length === 0) out.push(...oursText);
    else if (mine.length === 0 || oursText.join('') === theirsText.join('')) out.push(...theirsText);
    else {
      const baseText = baseLines.slice(start, end);
      conflicts.push({
        line: out.join('').split('\n').length,
        base: baseText.join(''),
        ours: oursText.join(''),
        theirs: theirsText.join(''),
      });
      out.push(`${CONFLICT_MARKERS.ours}\n`, ...oursText, ended(oursText) + `${CONFLICT_MARKERS.base}\n`);
      out.push(...baseText, ended(baseText) + `${CONFLICT_MARKERS.separator}\n`);
      out.push(...theirsText, ended(theirsText) + `${CONFLICT_MARKERS.theirs}\n`);
    }
  }
  out.push(...baseLines.slice(at));
  const text = out.join('');
  return conflicts.length === 0 ? { clean: true, text } : { clean: false, text, conflicts };
}
