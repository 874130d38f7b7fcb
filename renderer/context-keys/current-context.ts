/**
 * renderer/context-keys/current-context.ts: the context a when-clause is evaluated in, at the moment
 * of a key press or of opening the palette:
 *
 *   held keys (useContextKey, useFocusContextKey: listFocus, explorer.detailOpen, …)
 *   + inputFocus  isTypingTarget(the focused element)                  renderer/context-keys/typing.ts
 *   + overlay     the open overlay ('palette', 'shortcuts'), a Modal's 'dialog', or false
 *   + signedIn    a session exists
 *   + view        the id of the view on screen (sign-in without a session)
 *   and the session's permissions, for contributions that need one.
 */
import { screenView, useRouter, type ViewLocation } from '../app/routes.ts';
import type { InvocationContext, Registry } from '../shell/registry.ts';
import { useEngine } from '../state/engine-store.ts';
import { useUi } from '../state/ui-store.ts';
import { heldContextKeys } from './held-keys.ts';
import { isTypingTarget } from './typing.ts';

export function currentContext(registry: Registry, focused: unknown): InvocationContext {
  const held = heldContextKeys();
  const session = useEngine.getState().session;
  const location: ViewLocation = useRouter.getState().location ?? { view: registry.home.id, params: {} };
  return {
    keys: {
      ...held,
      inputFocus: isTypingTarget(focused),
      overlay: useUi.getState().overlay ?? held['overlay'] ?? false,
      signedIn: session !== null,
      view: screenView(registry, location, session).id,
    },
    permissions: new Set(session?.user.permissions ?? []),
  };
}

/**
 * The context the palette lists commands for: where the user is, as if no overlay were open (the
 * palette reads it in its first render, before it takes focus, so a focused list still counts).
 */
export function contextForPalette(registry: Registry): InvocationContext {
  const context = currentContext(registry, document.activeElement);
  return { ...context, keys: { ...context.keys, overlay: false } };
}
