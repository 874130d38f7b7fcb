/**
 * renderer/context-keys/typing.ts: the one answer to "is the user typing?", which the keyboard
 * dispatcher turns into the `inputFocus` context key: a text field, a text area, a select, anything
 * content-editable, or anything inside a Monaco editor (`.monaco-editor`, whose own hidden textarea
 * and view lines are both inside it).
 *
 * Guarantee: a single-character shortcut (`?`, `/`, `n`, `g h`) never fires while this is true
 * (renderer/keyboard/dispatcher.ts). Buttons, checkboxes, radios and other inputs that take no text
 * are not typing, so `?` still works with a checkbox focused.
 */

/** What the check reads of an element (a DOM Element satisfies it; tests pass plain objects). */
export interface TypingTarget {
  readonly tagName?: string;
  readonly isContentEditable?: boolean;
  readonly type?: string;
  closest?(selector: string): unknown;
}

/** Inputs that do not take text. */
const NOT_TEXT = new Set([
  'button',
  'checkbox',
  'color',
  'file',
  'image',
  'radio',
  'range',
  'reset',
  'submit',
]);

export const EDITOR_SELECTOR = '.monaco-editor';

export function isTypingTarget(target: unknown): boolean {
  if (typeof target !== 'object' || target === null) return false;
  const element = target as TypingTarget;
  if (element.isContentEditable === true) return true;
  const tag = (element.tagName ?? '').toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return !NOT_TEXT.has((element.type ?? 'text').toLowerCase());
  return typeof element.closest === 'function' && element.closest(EDITOR_SELECTOR) != null;
}
