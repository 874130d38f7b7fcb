/**
 * renderer/context-keys/held-keys.ts: context keys that components set while they are mounted or
 * focused, for when-clauses to read (renderer/context-keys/current-context.ts adds the keys the shell
 * knows itself: inputFocus, overlay, signedIn, view).
 *
 *   useContextKey('explorer.detailOpen', detail !== null)   a value while the component is mounted
 *   useFocusContextKey('listFocus', gridRef)                 true while focus is inside the element
 *
 * Guarantees: a key is held until its holder releases it (unmount, value change, focus leaving), and
 * with several holders the latest one's value counts, so two lists on screen cannot leave `listFocus`
 * stuck: each releases only its own hold. Reading is a plain function call at key-press time; nothing
 * re-renders when a key changes.
 */
import { useEffect, type RefObject } from 'react';
import type { ContextValue } from './when-clause.ts';

const holds = new Map<string, { readonly id: number; readonly value: ContextValue }[]>();
let nextHold = 1;

/** Sets `key` to `value` until the returned function is called. */
export function holdContextKey(key: string, value: ContextValue): () => void {
  const id = nextHold++;
  holds.set(key, [...(holds.get(key) ?? []), { id, value }]);
  return () => {
    const rest = (holds.get(key) ?? []).filter((h) => h.id !== id);
    if (rest.length > 0) holds.set(key, rest);
    else holds.delete(key);
  };
}

/** Every held key with its latest holder's value. */
export function heldContextKeys(): Record<string, ContextValue> {
  const values: Record<string, ContextValue> = {};
  for (const [key, list] of holds) values[key] = list[list.length - 1]?.value;
  return values;
}

/** Holds `key` at `value` while the calling component is mounted. */
export function useContextKey(key: string, value: ContextValue): void {
  useEffect(() => holdContextKey(key, value), [key, value]);
}

/** Holds `key` at true while focus is on `ref`'s element or inside it. */
export function useFocusContextKey(key: string, ref: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    let release: (() => void) | null = null;
    const enter = () => {
      release ??= holdContextKey(key, true);
    };
    const leave = (event: FocusEvent) => {
      if (event.relatedTarget instanceof Node && element.contains(event.relatedTarget)) return;
      release?.();
      release = null;
    };
    if (element.contains(document.activeElement)) enter();
    element.addEventListener('focusin', enter);
    element.addEventListener('focusout', leave);
    return () => {
      element.removeEventListener('focusin', enter);
      element.removeEventListener('focusout', leave);
      release?.();
    };
  }, [key, ref]);
}
