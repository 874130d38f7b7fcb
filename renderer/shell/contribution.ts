/**
 * renderer/shell/contribution.ts: what a view (or a global part of the shell) contributes to the app,
 * declared in one place: its route, title, permission, nav entry, palette commands, command providers,
 * keybindings and context keys. renderer/views.ts lists every contribution; renderer/shell/registry.ts
 * checks them and derives the router, the nav, the command palette, the `?` shortcut sheet and the one
 * keyboard dispatcher from them, so a new view is one folder and one line in renderer/views.ts.
 *
 *   renderer/<domain>/view.ts ── export const inboxView: View<InboxParams> = {
 *     id: 'inbox', title: 'Approvals', permission: 'approvals:review',
 *     nav: { label: 'Inbox', order: 20, params: {} },
 *     route: { path: 'inbox', parse, format, examples },          #/inbox/<request id>
 *     render: (params) => <Inbox selected={params.request} />,
 *     contextKeys: [{ key: 'inbox.hasSelection', description: '…' }],
 *     commands: [{ id: 'inbox.approve', title: 'Approve', category: 'Inbox',
 *                  when: 'inbox.hasSelection', run: (context) => … }],
 *     keybindings: [{ key: 'a', command: 'inbox.approve', when: 'inboxFocus' },
 *                   { key: 'g i', command: 'inbox.open', when: '!overlay' }],
 *     providers: [{ id: 'inbox.requests', commands: (context) => [...one per open request] }],
 *   }
 *
 * Context keys a when-clause may read: the built-in ones (renderer/shell/registry-checks.ts
 * BUILT_IN_CONTEXT_KEYS: inputFocus, overlay, signedIn, view, listFocus, inboxFocus, editorFocus) and
 * those a contribution declares. A component sets a key with useContextKey (a value while mounted) or
 * useFocusContextKey (true while an element has focus), from renderer/context-keys/held-keys.ts.
 *
 * Guarantees (checked by buildRegistry at startup, with an error naming the contribution and the
 * item): ids are unique and command ids start with their contribution's id; every when-clause parses,
 * reads only declared keys and compares `view` only with view ids; every key parses; every keybinding
 * runs a declared command; no two keybindings have the same keys (or one the prefix of the other) with
 * the same when-clause.
 */
import type { ComponentType, ReactNode } from 'react';
import type { ContextValues } from '../context-keys/when-clause.ts';

/** Where and how a command runs. */
export interface CommandContext {
  /** The context keys where it was invoked (for the palette: where the user was when it opened). */
  readonly keys: ContextValues;
  readonly source: 'keyboard' | 'palette';
}

export interface Command {
  /** Unique, `<contribution id>.<name>`: 'explorer.newRow'. */
  readonly id: string;
  /** What it does, as the palette and the shortcut sheet say it. */
  readonly title: string;
  /** The palette section: 'Go to', 'Account', 'Explorer', … */
  readonly category: string;
  /** When it is available (palette and keybindings); absent: always. */
  readonly when?: string;
  /** false: reachable only through its keybinding (Escape's "close"); listed in the shortcut sheet. */
  readonly palette?: boolean;
  readonly run: (context: CommandContext) => void;
}

export interface Keybinding {
  /** 'Mod+K', '?', 'n', 'Shift+X', 'Escape', 'g h' (renderer/keyboard/keys.ts). */
  readonly key: string;
  /** The id of the command it runs (any contribution's). */
  readonly command: string;
  /** The context it applies in, e.g. 'view == explorer && !overlay'; absent: everywhere. */
  readonly when?: string;
}

/**
 * Keys an element handles itself while it has focus (the grid's arrows, the palette's list): listed
 * in the shortcut sheet, never dispatched.
 */
export interface ElementKeys {
  /** Shown together: ['ArrowUp', 'ArrowDown']. */
  readonly keys: readonly string[];
  readonly title: string;
  /** Absent: everywhere. */
  readonly when?: string;
}

/** A command made at palette time from data (one per table, one per tenant). */
export interface ProvidedCommand {
  /** Unique among the provider's commands. */
  readonly id: string;
  readonly title: string;
  readonly category: string;
  /** Shown on the right of the palette entry. */
  readonly hint?: string;
  readonly run: (context: CommandContext) => void;
}

export interface CommandProvider {
  /** Unique, `<contribution id>.<name>`. */
  readonly id: string;
  readonly when?: string;
  /** Reads the stores it needs (useEngine.getState()); called each time the palette's data changes. */
  commands(context: CommandContext): readonly ProvidedCommand[];
}

export interface ContextKeyDeclaration {
  /** 'explorer.detailOpen'; a contribution's own keys start with its id. */
  readonly key: string;
  readonly description: string;
  /** For focus keys: how the shortcut sheet names the context ('when the list has focus'). */
  readonly label?: string;
}

export interface Contribution {
  /** Unique, lower-case: 'shell', 'explorer'. A view's id is the value of the `view` context key. */
  readonly id: string;
  /** The shortcut sheet's group title for its keybindings. */
  readonly title: string;
  /** A permission code from the session's user.permissions that its commands need; null: none. */
  readonly permission?: string | null;
  readonly commands?: readonly Command[];
  readonly keybindings?: readonly Keybinding[];
  readonly elementKeys?: readonly ElementKeys[];
  readonly providers?: readonly CommandProvider[];
  readonly contextKeys?: readonly ContextKeyDeclaration[];
}

/** How a view's hash URL reads and writes: `#/<path>/<segments…>`. */
export interface ViewRoute<P> {
  /** The first segment ('' for the home view): lower-case letters, digits and '-'. */
  readonly path: string;
  /**
   * The params of the segments after the path, or null when they are not this view's (the router
   * then shows home). Validate every segment (a table name must be an SQL identifier): a URL is input.
   */
  parse(segments: readonly string[]): P | null;
  format(params: P): readonly string[];
  /** Params that must survive format then parse (the registry's tests round-trip them all). */
  readonly examples: readonly P[];
}

export interface NavEntry<P> {
  readonly label: string;
  /** Position in the title bar's navigation, ascending. */
  readonly order: number;
  /** Where the entry leads. */
  readonly params: P;
  /** Shown after the label while signed in (a count of what waits there). */
  readonly Badge?: ComponentType;
}

/**
 * What navigate() needs of a view: its id and route. A view's components that link to their own view
 * import this from the view's route module (renderer/explorer/route.ts), not the view, so that the
 * view module (which imports the components) is not part of an import cycle.
 */
export interface ViewAddress<P> {
  readonly id: string;
  readonly route: ViewRoute<P>;
}

/** No route params. */
export type NoParams = Readonly<Record<string, never>>;

/**
 * A view: a contribution with a route. `render` is a method so that a View<P> is a View (a View of
 * unknown params) and the registry can hold views of different params.
 */
export interface View<P = unknown> extends Contribution, ViewAddress<P> {
  readonly permission: string | null;
  readonly nav?: NavEntry<P>;
  render(params: P): ReactNode;
}
