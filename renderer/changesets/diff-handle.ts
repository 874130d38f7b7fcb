/**
 * renderer/changesets/diff-handle.ts: how the review reaches the diff editor without importing Monaco
 * (loaded lazily with DiffEditor.tsx): reveal a line of a file, now if that file is shown, else once
 * it is.
 *
 * Guarantees: a newer request replaces an older one; a request for a file not shown waits for it.
 */

export type Side = 'old' | 'new';

let pending: { path: string; line: number; side: Side } | null = null;
let shown: { path: string; reveal: (line: number, side: Side) => void } | null = null;

/** Reveals `line` of `path` on `side` (now if shown, else once it is). */
export function revealLine(path: string, line: number, side: Side = 'new'): void {
  if (shown?.path === path) shown.reveal(line, side);
  else pending = { path, line, side };
}

/** The diff editor shows `path` (null: none) and reveals lines with `reveal`. */
export function setShown(path: string | null, reveal: ((line: number, side: Side) => void) | null): void {
  shown = path && reveal ? { path, reveal } : null;
}

/** The reveal waiting for `path`, taken. */
export function takePending(path: string): { line: number; side: Side } | null {
  if (pending?.path !== path) return null;
  const { line, side } = pending;
  pending = null;
  return { line, side };
}
