import { describe, expect, it } from 'vitest';
import { REGISTRY } from '../views.ts';
import type { Contribution, View } from './contribution.ts';
import { RegistryError } from './registry-checks.ts';
import { buildRegistry, type RegistryInput } from './registry.ts';

const noop = () => undefined;

function view(id: string, extra: Partial<View> = {}): View {
  return {
    id,
    title: id,
    permission: null,
    route: { path: id === 'home' ? '' : id, parse: () => ({}), format: () => [], examples: [{}] },
    render: () => null,
    ...extra,
  };
}

const home = view('home');
const signIn = view('sign-in');

function registry(global: Contribution[], views: View[] = []): ReturnType<typeof buildRegistry> {
  const input: RegistryInput = { views: [home, signIn, ...views], global, home, signIn };
  return buildRegistry(input);
}

function refusal(global: Contribution[], views: View[] = []): string {
  try {
    registry(global, views);
  } catch (error) {
    if (error instanceof RegistryError) return error.message;
    throw error;
  }
  throw new Error('the registry was accepted');
}

const shell = (extra: Partial<Contribution>): Contribution => ({
  id: 'shell',
  title: 'Everywhere',
  ...extra,
});
const command = (id: string, when?: string) => ({
  id,
  title: id,
  category: 'Test',
  run: noop,
  ...(when ? { when } : {}),
});

describe("the app's registry", () => {
  it('builds, with every view, command and keybinding the shell derives its parts from', () => {
    expect(REGISTRY.views.map((v) => v.id)).toEqual([
      'home',
      'inbox',
      'delegations',
      'workspaces',
      'changeset',
      'explorer',
      'search',
      'audit',
      'dashboards',
      'settings',
      'sign-in',
    ]);
    expect(REGISTRY.keybindings.map((k) => `${k.binding.key} → ${k.command.command.id}`)).toEqual([
      'Mod+K → shell.palette',
      '? → shell.shortcuts',
      'Escape → shell.closeOverlay',
      'g h → home.open',
      'g i → inbox.open',
      'j → inbox.next',
      'k → inbox.previous',
      'Enter → inbox.openRecord',
      'a → inbox.approve',
      'r → inbox.reject',
      'x → inbox.toggleSelect',
      'Shift+X → inbox.selectRange',
      'z → inbox.undo',
      '/ → inbox.search',
      'Escape → inbox.clearSelection',
      'g d → delegations.open',
      'n → delegations.new',
      'g w → workspaces.open',
      'Mod+S → workspaces.save',
      'Mod+Shift+M → workspaces.validate',
      'Mod+P → workspaces.quickOpen',
      'Mod+Shift+F → workspaces.searchFiles',
      'n → workspaces.newFile',
      'F2 → workspaces.renameFile',
      'Delete → workspaces.deleteFile',
      'j → changeset.nextFile',
      'k → changeset.previousFile',
      'v → changeset.toggleViewed',
      't → changeset.toggleLayout',
      'c → changeset.comment',
      'a → changeset.approve',
      'r → changeset.reject',
      'g e → explorer.open',
      '/ → explorer.filter',
      'n → explorer.newRow',
      'Escape → explorer.closeDetail',
      'g f → search.open',
      '/ → search.focus',
      'f → search.filters',
      'g a → audit.open',
      'j → audit.next',
      'k → audit.previous',
      'Enter → audit.openRecord',
      'v → audit.verify',
      'g k → dashboards.open',
      '1 → dashboards.last30',
      '2 → dashboards.last90',
      '3 → dashboards.last365',
      'r → dashboards.customRange',
      'c → dashboards.toggleCompare',
      'g s → settings.open',
    ]);
  });
});

describe('buildRegistry refuses, naming the contribution and the item', () => {
  it('duplicate contribution, command and provider ids', () => {
    expect(refusal([shell({}), shell({})])).toBe("View registry: two contributions have the id 'shell'");
    expect(refusal([shell({})], [view('shell')])).toBe(
      "View registry: two contributions have the id 'shell'",
    );
    expect(refusal([shell({ commands: [command('shell.a'), command('shell.a')] })])).toBe(
      "View registry: two commands have the id 'shell.a'",
    );
    const provider = { id: 'shell.p', commands: () => [] };
    expect(refusal([shell({ providers: [provider, provider] })])).toBe(
      "View registry: two command providers have the id 'shell.p'",
    );
  });

  it('command ids outside their contribution', () => {
    expect(refusal([shell({ commands: [command('explorer.open')] })])).toBe(
      "View registry: 'shell' command id 'explorer.open' must be 'shell.<name>'",
    );
  });

  it('the same keys twice in the same context', () => {
    const commands = [command('shell.a'), command('shell.b')];
    expect(
      refusal([
        shell({
          commands,
          keybindings: [
            { key: 'n', command: 'shell.a', when: 'listFocus && !overlay' },
            { key: 'N', command: 'shell.b', when: ' listFocus&&!overlay' },
          ],
        }),
      ]),
    ).toBe(
      "View registry: keybindings 'shell' 'n' (shell.a) and 'shell' 'n' (shell.b) have the same keys when \"listFocus && !overlay\"",
    );
    // Mod+K is Ctrl+K on Linux and Windows.
    expect(
      refusal([
        shell({
          commands,
          keybindings: [
            { key: 'Mod+K', command: 'shell.a' },
            { key: 'Ctrl+K', command: 'shell.b' },
          ],
        }),
      ]),
    ).toContain("'shell' 'Mod+K' (shell.a) and 'shell' 'Ctrl+K' (shell.b) have the same keys everywhere");
  });

  it('a key that starts a chord with the same context', () => {
    expect(
      refusal([
        shell({
          commands: [command('shell.a'), command('shell.b')],
          keybindings: [
            { key: 'g', command: 'shell.a' },
            { key: 'g h', command: 'shell.b' },
          ],
        }),
      ]),
    ).toContain('one is the start of the other everywhere, so the shorter could never run');
  });

  it('accepts the same keys in different contexts', () => {
    const built = registry([
      shell({
        commands: [command('shell.a'), command('shell.b')],
        keybindings: [
          { key: 'Escape', command: 'shell.a', when: 'overlay' },
          { key: 'Escape', command: 'shell.b', when: '!overlay && listFocus' },
        ],
      }),
    ]);
    expect(built.keybindingsOf('shell.b')).toHaveLength(1);
  });

  it('when-clauses that do not parse, read undeclared keys or name no view', () => {
    expect(refusal([shell({ commands: [command('shell.a', 'listFocus &')] })])).toBe(
      `View registry: 'shell' command 'shell.a': Invalid when-clause "listFocus &" at character 11: unexpected '&' (use '&&')`,
    );
    expect(refusal([shell({ commands: [command('shell.a', 'lsitFocus')] })])).toBe(
      `View registry: 'shell' command 'shell.a': when-clause "lsitFocus" reads 'lsitFocus', which no contribution declares`,
    );
    expect(
      refusal([
        shell({
          commands: [command('shell.a')],
          keybindings: [{ key: 'x', command: 'shell.a', when: 'view == inbox' }],
        }),
      ]),
    ).toBe(
      `View registry: 'shell' keybinding 'x': when-clause "view == inbox" compares view with 'inbox', which is no view id`,
    );
  });

  it('keybindings of unknown commands, and keys that do not parse', () => {
    expect(refusal([shell({ keybindings: [{ key: 'x', command: 'shell.nope' }] })])).toBe(
      "View registry: 'shell' keybinding 'x' runs 'shell.nope', which no contribution declares",
    );
    expect(
      refusal([
        shell({ commands: [command('shell.a')], keybindings: [{ key: 'Mod+Foo', command: 'shell.a' }] }),
      ]),
    ).toContain(`'shell' keybinding 'Mod+Foo': Invalid key "Mod+Foo": unknown key 'Foo'`);
    expect(refusal([shell({ elementKeys: [{ keys: ['Up', 'Dwn'], title: 'Move' }] })])).toContain(
      `'shell' element key 'Dwn': Invalid key "Dwn"`,
    );
  });

  it('context keys declared twice or outside their contribution', () => {
    const key = { key: 'shell.busy', description: 'busy' };
    expect(refusal([shell({ contextKeys: [key, key] })])).toBe(
      "View registry: 'shell' declares the context key 'shell.busy' again",
    );
    expect(refusal([shell({ contextKeys: [{ key: 'listFocus', description: 'x' }] })])).toContain(
      "declares the context key 'listFocus' again",
    );
    expect(refusal([shell({ contextKeys: [{ key: 'busy', description: 'x' }] })])).toBe(
      "View registry: 'shell' context key 'busy' must start with 'shell.'",
    );
  });

  it('two views on one path, a path that is no segment, and home or sign-in not registered', () => {
    const other = view('other', { route: { ...home.route, path: 'inbox' } });
    expect(refusal([], [view('inbox'), other])).toBe(
      "View registry: views 'inbox' and 'other' both have the route path 'inbox'",
    );
    expect(refusal([], [view('bad', { route: { ...home.route, path: 'a/b' } })])).toBe(
      "View registry: 'bad' route path 'a/b' is not a path segment",
    );
    expect(() => buildRegistry({ views: [home], global: [], home, signIn })).toThrow(
      "'sign-in' is not among the registered views",
    );
  });

  it('a view with a declared context key may use it, and others may read it', () => {
    const inbox = view('inbox', {
      contextKeys: [{ key: 'inbox.hasSelection', description: 'a request is selected' }],
      commands: [command('inbox.approve', 'inbox.hasSelection')],
      keybindings: [{ key: 'a', command: 'inbox.approve', when: 'inboxFocus && view == inbox' }],
    });
    const built = registry([shell({ commands: [command('shell.x', 'inbox.hasSelection')] })], [inbox]);
    expect(built.command('inbox.approve')?.when.canonical).toBe('inbox.hasSelection');
  });
});
