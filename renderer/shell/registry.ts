/**
 * renderer/shell/registry.ts: checks every contribution (renderer/shell/contribution.ts) once, at
 * startup, and holds them in the forms the shell derives its parts from:
 *
 *   renderer/views.ts: buildRegistry({ views: [homeView, explorerView, …], global: [shell, …] })
 *     ├─ views                 ─► router (renderer/app/routes.ts), nav (AppShell), App's outlet
 *     ├─ commands, providers   ─► command palette (renderer/palette/palette-entries.ts)
 *     ├─ keybindings           ─► keyboard dispatcher (renderer/keyboard/install-keyboard.ts)
 *     └─ keybindings, elementKeys ─► `?` shortcut sheet (renderer/palette/shortcut-sheet.ts)
 *
 * Order: `commands` lists views' commands before the global ones (the palette shows "Go to" first);
 * `keybindings` lists the global ones first, so that when several apply to the same keys the last,
 * a view's, wins (renderer/keyboard/dispatcher.ts).
 *
 * Guarantees: buildRegistry throws a RegistryError (renderer/shell/registry-checks.ts) naming the
 * contribution and the item for every problem listed in contribution.ts (duplicate ids, keys or
 * contexts; clauses that do not parse or read undeclared keys; keybindings of unknown commands), so a
 * mistake fails the first test or the first start, never a key press. Availability is one function
 * each (commandAvailable, keybindingApplies, providerApplies): a when-clause and the contribution's
 * permission.
 */
import type { ContextValues, WhenClause } from '../context-keys/when-clause.ts';
import { formatSequence, strokeOf, type KeySequence } from '../keyboard/keys.ts';
import type {
  Command,
  CommandProvider,
  ContextKeyDeclaration,
  Contribution,
  Keybinding,
  View,
} from './contribution.ts';
import { checkContributions, ContributionChecker, declaredContextKeys, fail } from './registry-checks.ts';

export interface RegisteredCommand {
  readonly command: Command;
  readonly owner: Contribution;
  readonly when: WhenClause;
  readonly permission: string | null;
}

export interface RegisteredKeybinding {
  readonly binding: Keybinding;
  readonly sequence: KeySequence;
  readonly when: WhenClause;
  readonly command: RegisteredCommand;
  readonly owner: Contribution;
}

export interface RegisteredElementKeys {
  readonly title: string;
  readonly keys: readonly KeySequence[];
  readonly when: WhenClause;
  readonly owner: Contribution;
}

export interface RegisteredProvider {
  readonly provider: CommandProvider;
  readonly owner: Contribution;
  readonly when: WhenClause;
  readonly permission: string | null;
}

export interface Registry {
  readonly views: readonly View[];
  /** Where unknown URLs go. */
  readonly home: View;
  /** Where a window without a session goes. */
  readonly signIn: View;
  readonly contributions: readonly Contribution[];
  /** Palette order: views' commands, then global ones. */
  readonly commands: readonly RegisteredCommand[];
  /** Priority order: global ones first, the last that applies wins. */
  readonly keybindings: readonly RegisteredKeybinding[];
  readonly elementKeys: readonly RegisteredElementKeys[];
  readonly providers: readonly RegisteredProvider[];
  readonly contextKeys: ReadonlyMap<string, ContextKeyDeclaration>;
  view(id: string): View | undefined;
  /** The view whose route path is `path`. */
  viewAt(path: string): View | undefined;
  command(id: string): RegisteredCommand | undefined;
  keybindingsOf(commandId: string): readonly RegisteredKeybinding[];
}

/** What a command or keybinding is checked against when invoked. */
export interface InvocationContext {
  readonly keys: ContextValues;
  /** The session's user.permissions (empty without a session). */
  readonly permissions: ReadonlySet<string>;
}

export function permitted(permission: string | null, permissions: ReadonlySet<string>): boolean {
  return permission === null || permissions.has(permission);
}

export function commandAvailable(command: RegisteredCommand, context: InvocationContext): boolean {
  return permitted(command.permission, context.permissions) && command.when.holds(context.keys);
}

export function keybindingApplies(binding: RegisteredKeybinding, context: InvocationContext): boolean {
  return binding.when.holds(context.keys) && commandAvailable(binding.command, context);
}

export function providerApplies(provider: RegisteredProvider, context: InvocationContext): boolean {
  return permitted(provider.permission, context.permissions) && provider.when.holds(context.keys);
}

export interface RegistryInput {
  /** Every view, each once (its folder's view.tsx). */
  readonly views: readonly View[];
  /** Contributions that are no view (the shell's own commands, sync). */
  readonly global: readonly Contribution[];
  readonly home: View;
  readonly signIn: View;
}

export function buildRegistry(input: RegistryInput): Registry {
  const all: readonly Contribution[] = [...input.global, ...input.views];
  const paletteOrder: readonly Contribution[] = [...input.views, ...input.global];
  checkContributions(input, all);
  const contextKeys = declaredContextKeys(all);
  const check = new ContributionChecker(contextKeys, new Set(input.views.map((v) => v.id)));
  const commands = registerCommands(paletteOrder, check);
  const keybindings = registerKeybindings(all, commands, check);
  const elementKeys = all.flatMap((owner) =>
    (owner.elementKeys ?? []).map((e): RegisteredElementKeys => ({
      title: e.title,
      keys: e.keys.map((k) => check.keys(owner, `element key '${k}'`, k)),
      when: check.when(owner, `element keys '${e.title}'`, e.when),
      owner,
    })),
  );
  const providers = registerProviders(paletteOrder, check);
  const views = new Map(input.views.map((v) => [v.id, v]));
  const byPath = new Map(input.views.map((v) => [v.route.path, v]));
  return {
    views: input.views,
    home: input.home,
    signIn: input.signIn,
    contributions: all,
    commands: [...commands.values()],
    keybindings,
    elementKeys,
    providers,
    contextKeys,
    view: (id) => views.get(id),
    viewAt: (path) => byPath.get(path),
    command: (id) => commands.get(id),
    keybindingsOf: (id) => keybindings.filter((k) => k.command.command.id === id),
  };
}

function registerCommands(
  owners: readonly Contribution[],
  check: ContributionChecker,
): Map<string, RegisteredCommand> {
  const commands = new Map<string, RegisteredCommand>();
  for (const owner of owners)
    for (const command of owner.commands ?? []) {
      check.member(owner, 'command', command.id);
      if (commands.has(command.id)) fail(`two commands have the id '${command.id}'`);
      if (command.title.trim() === '') fail(`'${owner.id}' command '${command.id}' has no title`);
      commands.set(command.id, {
        command,
        owner,
        when: check.when(owner, `command '${command.id}'`, command.when),
        permission: owner.permission ?? null,
      });
    }
  return commands;
}

function registerKeybindings(
  owners: readonly Contribution[],
  commands: ReadonlyMap<string, RegisteredCommand>,
  check: ContributionChecker,
): RegisteredKeybinding[] {
  const keybindings: RegisteredKeybinding[] = [];
  for (const owner of owners)
    for (const binding of owner.keybindings ?? []) {
      const what = `keybinding '${binding.key}'`;
      const command = commands.get(binding.command);
      if (!command)
        return fail(`'${owner.id}' ${what} runs '${binding.command}', which no contribution declares`);
      const registered: RegisteredKeybinding = {
        binding,
        sequence: check.keys(owner, what, binding.key),
        when: check.when(owner, what, binding.when),
        command,
        owner,
      };
      for (const other of keybindings) refuseConflict(other, registered);
      keybindings.push(registered);
    }
  return keybindings;
}

function registerProviders(
  owners: readonly Contribution[],
  check: ContributionChecker,
): RegisteredProvider[] {
  const ids = new Set<string>();
  return owners.flatMap((owner) =>
    (owner.providers ?? []).map((provider): RegisteredProvider => {
      check.member(owner, 'provider', provider.id);
      if (ids.has(provider.id)) fail(`two command providers have the id '${provider.id}'`);
      ids.add(provider.id);
      return {
        provider,
        owner,
        when: check.when(owner, `provider '${provider.id}'`, provider.when),
        permission: owner.permission ?? null,
      };
    }),
  );
}

/** Same keys (or one a prefix of the other) in the same context, on either platform: refused. */
function refuseConflict(a: RegisteredKeybinding, b: RegisteredKeybinding): void {
  if (a.when.canonical !== b.when.canonical) return;
  for (const platform of ['other', 'mac'] as const) {
    const left = a.sequence.map((c) => strokeOf(c, platform));
    const right = b.sequence.map((c) => strokeOf(c, platform));
    const shorter = left.length <= right.length ? left : right;
    const longer = shorter === left ? right : left;
    if (!shorter.every((stroke, i) => longer[i] === stroke)) continue;
    const context = a.when.canonical === 'true' ? 'everywhere' : `when "${a.when.canonical}"`;
    const name = (k: RegisteredKeybinding) =>
      `'${k.owner.id}' '${formatSequence(k.sequence)}' (${k.command.command.id})`;
    const where = `${name(a)} and ${name(b)}`;
    fail(
      left.length === right.length
        ? `keybindings ${where} have the same keys ${context}`
        : `keybindings ${where}: one is the start of the other ${context}, so the shorter could never run`,
    );
  }
}
