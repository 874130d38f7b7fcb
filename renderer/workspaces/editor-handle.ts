/**
 * renderer/workspaces/editor-handle.ts: how the rest of the workspace view reaches the Monaco editor
 * without importing Monaco (which is loaded lazily with CodeEditor.tsx): a place to reveal in a file
 * once that file is on screen (a line and column, and how many characters to select there: a search
 * result), focus, and the selected text (to start a search with).
 *
 * Guarantees: a reveal asked before the file's model is shown waits for it (CodeEditor takes it when
 * it shows that path); a newer request replaces an older one. Focus asked while no editor exists (the
 * first file of a workspace, Monaco still loading) is taken by the next editor once it shows a file
 * (takeFocusRequest), within FOCUS_WAIT_MS (so a request whose file never opened does not take focus
 * minutes later).
 */

export interface EditorHandle {
  focus(): void;
  /** The selection's text when it is within one line and not empty; null otherwise. */
  selectedText(): string | null;
}

export interface Reveal {
  readonly line: number;
  readonly column: number;
  /** Characters to select from the column (0: the cursor only). */
  readonly length: number;
}

let handle: EditorHandle | null = null;
let pending: ({ path: string } & Reveal) | null = null;
/** When focus was asked with no editor to take it (epoch ms); null: not asked. */
let focusAskedAt: number | null = null;
const FOCUS_WAIT_MS = 30_000;

export function setEditorHandle(next: EditorHandle | null): void {
  handle = next;
}

/** Whether focus was asked before this editor existed, taken (CodeEditor, once it shows a file). */
export function takeFocusRequest(): boolean {
  const asked = focusAskedAt !== null && Date.now() - focusAskedAt <= FOCUS_WAIT_MS;
  focusAskedAt = null;
  return asked;
}

/** Asks the editor to reveal `line`, `column` of `path` (now, or once it shows `path`). */
export function requestReveal(path: string, line: number, column: number, length = 0): void {
  pending = { path, line, column, length };
}

/** The reveal waiting for `path`, taken (CodeEditor calls this when it shows `path`). */
export function takeReveal(path: string): Reveal | null {
  if (pending?.path !== path) return null;
  const { line, column, length } = pending;
  pending = null;
  return { line, column, length };
}

export function focusEditor(): void {
  if (handle) handle.focus();
  else focusAskedAt = Date.now();
}

/** The editor's selected text (one line, not empty), or null. */
export function editorSelection(): string | null {
  return handle?.selectedText() ?? null;
}
