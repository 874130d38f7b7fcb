/**
 * renderer/keyboard/install-keyboard.ts: the app's one window `keydown` listener. Every keybinding of
 * the registry goes through it; components only handle keys on their own focused element (the grid's
 * arrows, the palette's list), and those are no keybindings.
 *
 *   keydown (window, bubbling: an element that handled the key called preventDefault, and it is left
 *   alone; IME composition is left alone)
 *     ─► strokeFromEvent ─► KeyDispatcher.press(stroke, typing = inputFocus, now)
 *           applies(binding) = keybindingApplies(binding, currentContext(registry, event.target))
 *     ─► run: preventDefault, command.run({ keys, source: 'keyboard' }) │ pending: preventDefault
 *
 * Guarantees: single-key shortcuts never fire while the user types (the dispatcher's rule), Mod+K
 * does; a key no binding applies to is not prevented, so the browser and the focused element keep it.
 */
import { currentContext } from '../context-keys/current-context.ts';
import { keybindingApplies, type Registry, type RegisteredKeybinding } from '../shell/registry.ts';
import { KeyDispatcher } from './dispatcher.ts';
import { currentPlatform, strokeFromEvent, strokeOf, type Platform } from './keys.ts';

export interface DispatchedKeybinding extends RegisteredKeybinding {
  readonly strokes: readonly string[];
}

/** The registry's keybindings with their strokes on `platform`, in priority order. */
export function dispatchedKeybindings(registry: Registry, platform: Platform): DispatchedKeybinding[] {
  return registry.keybindings.map((k) => ({ ...k, strokes: k.sequence.map((c) => strokeOf(c, platform)) }));
}

export function installKeyboard(registry: Registry, platform: Platform = currentPlatform()): () => void {
  const dispatcher = new KeyDispatcher(dispatchedKeybindings(registry, platform));
  const onKey = (event: KeyboardEvent) => {
    if (event.defaultPrevented || event.isComposing) return;
    const context = currentContext(registry, event.target);
    const outcome = dispatcher.press(
      { stroke: strokeFromEvent(event), typing: context.keys['inputFocus'] === true, now: event.timeStamp },
      (binding) => keybindingApplies(binding, context),
    );
    if (outcome.kind === 'none') return;
    event.preventDefault();
    if (outcome.kind === 'run')
      outcome.binding.command.command.run({ keys: context.keys, source: 'keyboard' });
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
