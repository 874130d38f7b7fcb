/**
 * renderer/shell/registry-checks.ts: the checks buildRegistry (renderer/shell/registry.ts) runs on
 * every contribution, each throwing a RegistryError that names the contribution and the item:
 *
 *   ids          contribution ids unique and lower case; command, provider and context key ids
 *                `<contribution id>.<name>`; view route paths unique path segments; views have
 *                route examples; home and sign-in are registered views
 *   when-clauses parse (WhenClauseError with the position), read only declared context keys, and
 *                compare `view` only with view ids
 *   keys         parse (KeyParseError with the reason)
 */
import { parseWhen, WhenClauseError, type WhenClause } from '../context-keys/when-clause.ts';
import { KeyParseError, parseKeySequence, type KeySequence } from '../keyboard/keys.ts';
import type { ContextKeyDeclaration, Contribution, View } from './contribution.ts';

export class RegistryError extends Error {
  constructor(message: string) {
    super(`View registry: ${message}`);
    this.name = 'RegistryError';
  }
}

export function fail(message: string): never {
  throw new RegistryError(message);
}

/** The context keys every when-clause may read; contributions declare more. */
export const BUILT_IN_CONTEXT_KEYS: readonly ContextKeyDeclaration[] = [
  { key: 'inputFocus', description: 'the user is typing in a field (renderer/context-keys/typing.ts)' },
  { key: 'overlay', description: "'palette', 'shortcuts' or 'dialog' while one is open; false otherwise" },
  { key: 'signedIn', description: 'an account is signed in' },
  { key: 'view', description: 'the id of the view on screen' },
  { key: 'listFocus', description: 'a list or grid has focus', label: 'when the list has focus' },
  { key: 'inboxFocus', description: 'the approvals inbox has focus', label: 'when the inbox has focus' },
  { key: 'editorFocus', description: 'a code editor has focus', label: 'when the editor has focus' },
];

const CONTRIBUTION_ID = /^[a-z][a-z0-9-]*$/;
const MEMBER_ID = /^[a-z][a-z0-9-]*\.[A-Za-z][A-Za-z0-9.-]*$/;
const PATH = /^(?:|[a-z][a-z0-9-]*)$/;

/** Ids, route paths and the home and sign-in views. */
export function checkContributions(
  input: { readonly views: readonly View[]; readonly home: View; readonly signIn: View },
  all: readonly Contribution[],
): void {
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
      fail(`'${view.id}' route path '${view.route.path}' is not a path segment`);
    const other = paths.get(view.route.path);
    if (other !== undefined)
      fail(`views '${other}' and '${view.id}' both have the route path '${view.route.path}'`);
    paths.set(view.route.path, view.id);
    if (view.route.examples.length === 0) fail(`'${view.id}' route has no examples to test it with`);
    if (view.nav && view.nav.label.trim() === '') fail(`'${view.id}' nav entry has no label`);
  }
  for (const special of [input.home, input.signIn])
    if (!input.views.includes(special)) fail(`'${special.id}' is not among the registered views`);
}

/** The built-in keys and every contribution's own, each declared once. */
export function declaredContextKeys(all: readonly Contribution[]): Map<string, ContextKeyDeclaration> {
  const keys = new Map<string, ContextKeyDeclaration>();
  for (const declaration of BUILT_IN_CONTEXT_KEYS) keys.set(declaration.key, declaration);
  for (const owner of all)
    for (const declaration of owner.contextKeys ?? []) {
      if (keys.has(declaration.key))
        fail(`'${owner.id}' declares the context key '${declaration.key}' again`);
      if (!declaration.key.startsWith(`${owner.id}.`))
        fail(`'${owner.id}' context key '${declaration.key}' must start with '${owner.id}.'`);
      keys.set(declaration.key, declaration);
    }
  return keys;
}

/** Parses and checks one contribution's clauses, keys and member ids, naming the item on failure. */
export class ContributionChecker {
  constructor(
    private readonly contextKeys: ReadonlyMap<string, ContextKeyDeclaration>,
    private readonly viewIds: ReadonlySet<string>,
  ) {}

  when(owner: Contribution, what: string, source: string | undefined): WhenClause {
    const where = `'${owner.id}' ${what}`;
    let clause: WhenClause;
    try {
      clause = parseWhen(source);
    } catch (error) {
      if (error instanceof WhenClauseError) return fail(`${where}: ${error.message}`);
      throw error;
    }
    for (const key of clause.keys)
      if (!this.contextKeys.has(key))
        fail(`${where}: when-clause "${clause.source}" reads '${key}', which no contribution declares`);
    for (const { key, value } of clause.comparisons)
      if (key === 'view' && !this.viewIds.has(value))
        fail(`${where}: when-clause "${clause.source}" compares view with '${value}', which is no view id`);
    return clause;
  }

  keys(owner: Contribution, what: string, text: string): KeySequence {
    try {
      return parseKeySequence(text);
    } catch (error) {
      if (error instanceof KeyParseError) return fail(`'${owner.id}' ${what}: ${error.message}`);
      throw error;
    }
  }

  member(owner: Contribution, kind: string, id: string): void {
    if (!MEMBER_ID.test(id) || !id.startsWith(`${owner.id}.`))
      fail(`'${owner.id}' ${kind} id '${id}' must be '${owner.id}.<name>'`);
  }
}
