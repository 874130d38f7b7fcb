/**
 * renderer/app/expose-registry.ts: a read-only description of the registry on
 * `window.__outpostRegistry`, for the end-to-end tests to compare the palette and the shortcut sheet
 * with (e2e/app.spec.ts), and for anyone curious in the developer tools.
 *
 * Security: it describes, it cannot run anything: ids, titles, keys and when-clauses of the app's own
 * code, and the ids of the palette entries available now (which the palette shows the user anyway).
 */
import { contextForPalette } from '../context-keys/current-context.ts';
import { currentPlatform, formatSequence } from '../keyboard/keys.ts';
import { paletteEntries } from '../palette/palette-entries.ts';
import type { Registry } from '../shell/registry.ts';

export interface RegistryDescription {
  readonly views: readonly { readonly id: string; readonly path: string; readonly nav: string | null }[];
  readonly commands: readonly {
    readonly id: string;
    readonly title: string;
    readonly category: string;
    readonly palette: boolean;
  }[];
  readonly keybindings: readonly { readonly keys: string; readonly command: string; readonly when: string }[];
  readonly elementKeys: readonly { readonly keys: readonly string[]; readonly title: string }[];
  /** The ids the palette would list if it opened now (registered commands, then providers'). */
  paletteEntryIds(): string[];
}

export const REGISTRY_GLOBAL = '__outpostRegistry';

export function describeRegistry(registry: Registry): RegistryDescription {
  return Object.freeze({
    views: registry.views.map((v) => ({ id: v.id, path: v.route.path, nav: v.nav?.label ?? null })),
    commands: registry.commands.map((c) => ({
      id: c.command.id,
      title: c.command.title,
      category: c.command.category,
      palette: c.command.palette !== false,
    })),
    keybindings: registry.keybindings.map((k) => ({
      keys: formatSequence(k.sequence),
      command: k.command.command.id,
      when: k.when.canonical,
    })),
    elementKeys: registry.elementKeys.map((e) => ({ keys: e.keys.map(formatSequence), title: e.title })),
    paletteEntryIds: () =>
      paletteEntries(registry, contextForPalette(registry), currentPlatform()).map((e) => e.id),
  });
}

export function exposeRegistry(registry: Registry): void {
  Object.defineProperty(window, REGISTRY_GLOBAL, { value: describeRegistry(registry), configurable: true });
}
