/**
 * renderer/palette/palette-entries.ts: what the command palette lists, derived from the registry
 * (pure; tested beside): every registered command whose contribution the user is permitted and whose
 * when-clause holds, except those marked `palette: false`, grouped by category in registration order
 * ("Go to" first), each with its first keybinding as the hint; then the commands of every provider
 * that applies (the explorer's tables, the tenant scopes), as they return them.
 *
 * The context is the one where the user was when the palette opened (CommandPalette.tsx takes it
 * before the palette takes focus), so a list's commands stay listed while the palette has the keys.
 */
import { displaySequence, type Platform } from '../keyboard/keys.ts';
import type { CommandContext } from '../shell/contribution.ts';
import {
  commandAvailable,
  providerApplies,
  type InvocationContext,
  type RegisteredCommand,
  type Registry,
} from '../shell/registry.ts';
import type { PaletteEntry } from './match.ts';

function byCategory(commands: readonly RegisteredCommand[]): RegisteredCommand[] {
  const order = new Map<string, number>();
  for (const c of commands) if (!order.has(c.command.category)) order.set(c.command.category, order.size);
  return commands
    .map((c, index) => ({ c, index, rank: order.get(c.command.category) ?? 0 }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ c }) => c);
}

export function paletteEntries(
  registry: Registry,
  context: InvocationContext,
  platform: Platform,
): PaletteEntry[] {
  const invocation: CommandContext = { keys: context.keys, source: 'palette' };
  const registered = byCategory(
    registry.commands.filter((c) => c.command.palette !== false && commandAvailable(c, context)),
  ).map((c): PaletteEntry => {
    const binding = registry.keybindingsOf(c.command.id)[0];
    return {
      id: c.command.id,
      title: c.command.title,
      section: c.command.category,
      ...(binding ? { hint: displaySequence(binding.sequence, platform).join(' ') } : {}),
      run: () => c.command.run(invocation),
    };
  });
  const provided = registry.providers
    .filter((p) => providerApplies(p, context))
    .flatMap((p) =>
      p.provider.commands(invocation).map((c): PaletteEntry => ({
        id: c.id,
        title: c.title,
        section: c.category,
        ...(c.hint !== undefined ? { hint: c.hint } : {}),
        run: () => c.run(invocation),
      })),
    );
  return [...registered, ...provided];
}
