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
 * Guarantees: buildRegistry throws a RegistryError naming the contribution and the item for every
 * problem listed in contribution.ts (duplicate ids, keys or contexts; clauses that do not parse or
 * read undeclared keys; keybindings of unknown commands), so a mistake fails the first test or the
 * first start, never a key press. Availability is one function each (commandAvailable,
 * keybindingApplies): a when-clause and the contribution's permission.
 */
import {
  parseWhen,
  WhenClauseError,
  type ContextValues,
  type WhenClause,
} from '../context-keys/when-clause.ts';
import {
  KeyParseError,
  formatSequence,
  parseKeySequence,
  strokeOf,
  type KeySequence,
} from '../keyboard/keys.ts';
import type {
  Command,
  CommandProvider,
  ContextKeyDeclaration,
  Contribution,
  Keybinding,
  View,
} from './contribution.ts';

export const BUILT_IN_CONTEXT_KEYS: readonly ContextKeyDeclaration[] = [
  { key: 'inputFocus', description: 'the user is typing in a field (renderer/context-keys/typing.ts)' },
  { key: 'overlay', description: "'palette', 'shortcuts' or 'dialog' while one is open; false otherwise" },
  { key: 'signedIn', description: 'an account is signed in' },
  { key: 'view', description: 'the id of the view on screen' },
  { key: 'listFocus', description: 'a list or grid has focus', label: 'when the list has focus' },
  { key: 'inboxFocus', description: 'the approvals inbox has focus', label: 'when the inbox has focus' },
  { key: 'editorFocus', description: 'a code editor has focus', label: 'when the editor has focus' },
];

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

export class RegistryError extends Error {
  constructor(message: string) {
    super(`View registry: ${message}`);
    this.name = 'RegistryError';
  }
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

const CONTRIBUTION_ID = /^[a-z][a-z0-9-]*$/;
const MEMBER_ID = /^[a-z][a-z0-9-]*\.[A-Za-z][A-Za-z0-9.-]*$/;
const PATH = /^(?:|[a-z][a-z0-9-]*)$/;

export interface RegistryInput {
  /** Every view, each once (its folder's view.ts). */
  readonly views: readonly View[];
  /** Contributions that are no view (the shell's own commands, sync). */
  readonly global: readonly Contribution[];
  readonly home: View;
  readonly signIn: View;
}

function describe(owner: Contribution, what: string): string {
  return `'${owner.id}' ${what}`;
}

export function buildRegistry(input: RegistryInput): Registry {
  const fail = (message: string): never => {
    throw new RegistryError(message);
  };
  const all: readonly Contribution[] = [...input.global, ...input.views];

  const ids = new Set<string>();
  for (const owner of all) {
    if (!CONTRIBUTION_ID.test(owner.id))
      fail(`contribution id '${owner.id}' must be lower-case letters, digits and '-'`);
    if (ids.has(owner.id)) fail(`two contributions have the id '${owner.id}'`);
    ids.add(owner.id);
  }
  const paths = new Map<string, string>();
  for (const view of input.views) {
    if (!PATH.test(view.route.path))
      fail(describe(view, `route path '${view.route.path}' is not a path segment`));
    const other = paths.get(view.route.path);
    if (other !== undefined)
      fail(`views '${other}' and '${view.id}' both have the route path '${view.route.path}'`);
    paths.set(view.route.path, view.id);
    if (view.route.examples.length === 0) fail(describe(view, 'route has no examples to test it with'));
    if (view.nav && view.nav.label.trim() === '') fail(describe(view, 'nav entry has no label'));
  }
  for (const special of [input.home, input.signIn])
    if (!input.views.includes(special)) fail(`'${special.id}' is not among the registered views`);

  const contextKeys = new Map<string, ContextKeyDeclaration>();
  for (const declaration of BUILT_IN_CONTEXT_KEYS) contextKeys.set(declaration.key, declaration);
  for (const owner of all)
    for (const declaration of owner.contextKeys ?? []) {
      if (contextKeys.has(declaration.key))
        fail(describe(owner, `declares the context key '${declaration.key}' again`));
      if (!declaration.key.startsWith(`${owner.id}.`))
        fail(describe(owner, `context key '${declaration.key}' must start with '${owner.id}.'`));
      contextKeys.set(declaration.key, declaration);
    }

  const viewIds = new Set(input.views.map((v) => v.id));
  const when = (owner: Contribution, what: string, source: string | undefined): WhenClause => {
    let clause: WhenClause;
    try {
      clause = parseWhen(source);
    } catch (error) {
      if (error instanceof WhenClauseError) return fail(`${describe(owner, what)}: ${error.message}`);
      throw error;
    }
    for (const key of clause.keys)
      if (!contextKeys.has(key))
        fail(
          `${describe(owner, what)}: when-clause "${clause.source}" reads '${key}', which no contribution declares`,
        );
    for (const { key, value } of clause.comparisons)
      if (key === 'view' && !viewIds.has(value))
        fail(
          `${describe(owner, what)}: when-clause "${clause.source}" compares view with '${value}', which is no view id`,
        );
    return clause;
  };
  const keys = (owner: Contribution, what: string, text: string): KeySequence => {
    try {
      return parseKeySequence(text);
    } catch (error) {
      if (error instanceof KeyParseError) return fail(`${describe(owner, what)}: ${error.message}`);
      throw error;
    }
  };
  const member = (owner: Contribution, kind: string, id: string) => {
    if (!MEMBER_ID.test(id) || !id.startsWith(`${owner.id}.`))
      fail(describe(owner, `${kind} id '${id}' must be '${owner.id}.<name>'`));
  };

  const commands = new Map<string, RegisteredCommand>();
  const paletteOrder = [...input.views, ...input.global];
  for (const owner of paletteOrder)
    for (const command of owner.commands ?? []) {
      member(owner, 'command', command.id);
      if (commands.has(command.id)) fail(`two commands have the id '${command.id}'`);
      if (command.title.trim() === '') fail(describe(owner, `command '${command.id}' has no title`));
      commands.set(command.id, {
        command,
        owner,
        when: when(owner, `command '${command.id}'`, command.when),
        permission: owner.permission ?? null,
      });
    }

  const keybindings: RegisteredKeybinding[] = [];
  for (const owner of all)
    for (const binding of owner.keybindings ?? []) {
      const what = `keybinding '${binding.key}'`;
      const command = commands.get(binding.command);
      if (!command)
        return fail(`${describe(owner, what)} runs '${binding.command}', which no contribution declares`);
      const registered: RegisteredKeybinding = {
        binding,
        sequence: keys(owner, what, binding.key),
        when: when(owner, what, binding.when),
        command,
        owner,
      };
      for (const other of keybindings) conflict(other, registered, fail);
      keybindings.push(registered);
    }

  const elementKeys: RegisteredElementKeys[] = all
    .flatMap((owner) => (owner.elementKeys ?? []).map((e) => ({ owner, e })))
    .map(({ owner, e }) => ({
      title: e.title,
      keys: e.keys.map((k) => keys(owner, `element key '${k}'`, k)),
      when: when(owner, `element keys '${e.title}'`, e.when),
      owner,
    }));

  const providerIds = new Set<string>();
  const providers: RegisteredProvider[] = [];
  for (const owner of paletteOrder)
    for (const provider of owner.providers ?? []) {
      member(owner, 'provider', provider.id);
      if (providerIds.has(provider.id)) fail(`two command providers have the id '${provider.id}'`);
      providerIds.add(provider.id);
      providers.push({
        provider,
        owner,
        when: when(owner, `provider '${provider.id}'`, provider.when),
        permission: owner.permission ?? null,
      });
    }

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

/** Same keys (or one a prefix of the other) in the same context, on either platform: refused. */
function conflict(a: RegisteredKeybinding, b: RegisteredKeybinding, fail: (message: string) => never): void {
  if (a.when.canonical !== b.when.canonical) return;
  for (const platform of ['other', 'mac'] as const) {
    const left = a.sequence.map((c) => strokeOf(c, platform));
    const right = b.sequence.map((c) => strokeOf(c, platform));
    const shorter = left.length <= right.length ? left : right;
    const longer = shorter === left ? right : left;
    if (!shorter.every((stroke, i) => longer[i] === stroke)) continue;
    const context = a.when.canonical === 'true' ? 'everywhere' : `when "${a.when.canonical}"`;
    const where = `'${a.owner.id}' '${formatSequence(a.sequence)}' (${a.command.command.id}) and '${b.owner.id}' '${formatSequence(b.sequence)}' (${b.command.command.id})`;
    fail(
      left.length === right.length
        ? `keybindings ${where} have the same keys ${context}`
        : `keybindings ${where}: one is the start of the other ${context}, so the shorter could never run`,
    );
  }
}
