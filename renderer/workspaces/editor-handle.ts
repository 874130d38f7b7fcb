/**
 * renderer/workspaces/editor-handle.ts: how the rest of the workspace view reaches the Monaco editor
 * without importing Monaco (which is loaded lazily with CodeEditor.tsx): a position to reveal in a
 * file once that file is on screen, and focus.
 *
 * Guarantees: a reveal asked before the file's model is shown waits for it (CodeEditor takes it when
 * it shows that path); a newer request replaces an older one.
 */

export interface EditorHandle {
  focus(): void;
}

let handle: EditorHandle | null = null;
let pending: { path: string; line: number; column: number } | null = null;

export function setEditorHandle(next: EditorHandle | null): void {
  handle = next;
}

/** Asks the editor to reveal `line`, `column` of `path` (now, or once it shows `path`). */
export function requestReveal(path: string, line: number, column: number): void {
  pending = { path, line, column };
}

/** The reveal waiting for `path`, taken (CodeEditor calls this when it shows `path`). */
export function takeReveal(path: string): { line: number; column: number } | null {
  if (pending?.path !== path) return null;
  const { line, column } = pending;
  pending = null;
  return { line, column };
}

export function focusEditor(): void {
  handle?.focus();
}
