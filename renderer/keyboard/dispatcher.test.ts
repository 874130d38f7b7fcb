import { describe, expect, it } from 'vitest';
import type { ContextValues } from '../context-keys/when-clause.ts';
import type { Contribution, View } from '../shell/contribution.ts';
import { buildRegistry, keybindingApplies, type Registry } from '../shell/registry.ts';
import { REGISTRY } from '../views.ts';
import { KeyDispatcher, CHORD_TIMEOUT_MS } from './dispatcher.ts';
import { dispatchedKeybindings, type DispatchedKeybinding } from './install-keyboard.ts';
import type { Platform } from './keys.ts';

const noop = () => undefined;
const command = (id: string, when?: string) => ({
  id,
  title: id,
  category: 'Test',
  run: noop,
  ...(when ? { when } : {}),
});

const shell: Contribution = {
  id: 'shell',
  title: 'Everywhere',
  commands: [
    command('shell.palette'),
    command('shell.next'),
    command('shell.home'),
    command('shell.help'),
    command('shell.rename'),
  ],
  keybindings: [
    { key: 'Mod+K', command: 'shell.palette' },
    { key: 'F2', command: 'shell.rename', when: '!inputFocus' },
    { key: 'j', command: 'shell.next', when: '!overlay' },
    { key: 'g h', command: 'shell.home', when: '!overlay' },
    { key: '?', command: 'shell.help', when: '!overlay' },
  ],
};
const list: View = {
  id: 'list',
  title: 'List',
  permission: null,
  route: { path: 'list', parse: () => ({}), format: () => [], examples: [{}] },
  render: () => null,
  contextKeys: [{ key: 'list.hasRows', description: 'rows are shown' }],
  commands: [command('list.down', 'list.hasRows'), command('list.close')],
  keybindings: [
    { key: 'j', command: 'list.down', when: 'view == list && listFocus' },
    { key: 'Escape', command: 'list.close', when: 'view == list' },
  ],
};
const secret: View = {
  ...list,
  id: 'secret',
  title: 'Secret',
  permission: 'secret:read',
  route: { ...list.route, path: 'secret' },
  contextKeys: [],
  commands: [command('secret.open')],
  keybindings: [{ key: 'g x', command: 'secret.open', when: '!overlay' }],
};

const registry: Registry = buildRegistry({
  views: [list, secret],
  global: [shell],
  home: list,
  signIn: list,
});

/** Presses keys in a context; returns the id of the command each press runs ('…' pending, '-' none). */
function session(reg: Registry, platform: Platform = 'other') {
  const dispatcher = new KeyDispatcher<DispatchedKeybinding>(dispatchedKeybindings(reg, platform));
  let now = 1_000;
  return {
    press(stroke: string | null, keys: ContextValues = {}, permissions: string[] = [], after = 10): string {
      now += after;
      const context = { keys: { view: 'list', ...keys }, permissions: new Set(permissions) };
      const outcome = dispatcher.press({ stroke, typing: keys['inputFocus'] === true, now }, (binding) =>
        keybindingApplies(binding, context),
      );
      return outcome.kind === 'run'
        ? outcome.binding.command.command.id
        : outcome.kind === 'pending'
          ? '…'
          : '-';
    },
  };
}

describe('KeyDispatcher: context', () => {
  it('runs the listFocus binding only while the list has focus', () => {
    const keys = session(registry);
    expect(keys.press('j', { listFocus: true, 'list.hasRows': true })).toBe('list.down');
    expect(keys.press('j', { listFocus: false, 'list.hasRows': true })).toBe('shell.next');
    expect(keys.press('j', { view: 'other', listFocus: true, 'list.hasRows': true })).toBe('shell.next');
  });

  it("falls back to another binding when the command's own when-clause does not hold", () => {
    expect(session(registry).press('j', { listFocus: true, 'list.hasRows': false })).toBe('shell.next');
  });

  it('leaves a key no binding applies to alone', () => {
    expect(session(registry).press('j', { overlay: 'palette' })).toBe('-');
    expect(session(registry).press('Escape', { view: 'home' })).toBe('-');
    expect(session(registry).press('z')).toBe('-');
  });

  it("needs the view's permission", () => {
    const keys = session(registry);
    expect(keys.press('g')).toBe('…');
    expect(keys.press('x')).toBe('-');
    expect(keys.press('g', {}, ['secret:read'])).toBe('…');
    expect(keys.press('x', {}, ['secret:read'])).toBe('secret.open');
  });
});

describe('KeyDispatcher: typing', () => {
  it('never lets a single-key shortcut fire while the user types', () => {
    const keys = session(registry);
    expect(keys.press('?', { inputFocus: true })).toBe('-');
    expect(keys.press('j', { inputFocus: true, listFocus: true, 'list.hasRows': true })).toBe('-');
    expect(keys.press('g', { inputFocus: true })).toBe('-');
    expect(keys.press('h', { inputFocus: false })).toBe('-'); // no chord was started
    expect(keys.press('?')).toBe('shell.help');
  });

  it('honours !inputFocus for keys a field does not take (F2)', () => {
    const keys = session(registry);
    expect(keys.press('F2', { inputFocus: true })).toBe('-');
    expect(keys.press('F2', { inputFocus: false })).toBe('shell.rename');
  });

  it('lets Mod+K and Escape through while typing', () => {
    const keys = session(registry);
    expect(keys.press('Ctrl+k', { inputFocus: true })).toBe('shell.palette');
    expect(keys.press('Escape', { inputFocus: true })).toBe('list.close');
  });

  it('ends a chord when the next stroke is typed into a field', () => {
    const keys = session(registry);
    expect(keys.press('g')).toBe('…');
    expect(keys.press('h', { inputFocus: true })).toBe('-');
    expect(keys.press('h')).toBe('-');
  });
});

describe('KeyDispatcher: chords', () => {
  it('runs a chord whose second stroke comes in time', () => {
    const keys = session(registry);
    expect(keys.press('g')).toBe('…');
    expect(keys.press('h', {}, [], CHORD_TIMEOUT_MS - 1)).toBe('shell.home');
  });

  it('forgets the first stroke after the chord timeout', () => {
    const keys = session(registry);
    expect(keys.press('g')).toBe('…');
    expect(keys.press('h', {}, [], CHORD_TIMEOUT_MS + 1)).toBe('-');
  });

  it('starts again with a stroke that does not continue the chord', () => {
    const keys = session(registry);
    expect(keys.press('g')).toBe('…');
    expect(keys.press('j')).toBe('shell.next');
    expect(keys.press('h')).toBe('-');
  });

  it('is not broken by a modifier pressed alone (Shift before ?)', () => {
    const keys = session(registry);
    expect(keys.press('g')).toBe('…');
    expect(keys.press(null)).toBe('-');
    expect(keys.press('h')).toBe('shell.home');
  });
});

describe('KeyDispatcher: platforms', () => {
  it('maps Mod to Ctrl on Linux and Windows and to ⌘ on macOS', () => {
    expect(session(registry, 'other').press('Ctrl+k')).toBe('shell.palette');
    expect(session(registry, 'other').press('Meta+k')).toBe('-');
    expect(session(registry, 'mac').press('Meta+k')).toBe('shell.palette');
    expect(session(registry, 'mac').press('Ctrl+k')).toBe('-');
  });
});

describe("the app's keybindings", () => {
  const keys = () => session(REGISTRY);
  const signedIn = { signedIn: true, overlay: false };

  it('navigate with g h / g e / g s, open the palette and the sheet, and close overlays', () => {
    const k = keys();
    expect(k.press('g', signedIn)).toBe('…');
    expect(k.press('e', signedIn)).toBe('explorer.open');
    expect(k.press('g', signedIn)).toBe('…');
    expect(k.press('s', signedIn)).toBe('settings.open');
    expect(k.press('g', signedIn)).toBe('…');
    expect(k.press('h', signedIn)).toBe('home.open');
    expect(k.press('Ctrl+k', { ...signedIn, inputFocus: true })).toBe('shell.palette');
    expect(k.press('?', { ...signedIn, view: 'home' })).toBe('shell.shortcuts');
    expect(k.press('?', { ...signedIn, overlay: 'shortcuts' })).toBe('-');
    expect(k.press('Escape', { ...signedIn, overlay: 'palette', inputFocus: true })).toBe(
      'shell.closeOverlay',
    );
  });

  it('give the explorer /, n and Escape only where they apply', () => {
    const k = keys();
    const onTable = { ...signedIn, view: 'explorer', 'explorer.tableOpen': true };
    expect(k.press('/', onTable)).toBe('explorer.filter');
    expect(k.press('/', { ...onTable, inputFocus: true })).toBe('-');
    expect(k.press('n', { ...onTable, 'explorer.canInsert': false })).toBe('-');
    expect(k.press('n', { ...onTable, 'explorer.canInsert': true })).toBe('explorer.newRow');
    expect(k.press('Escape', onTable)).toBe('-');
    expect(k.press('Escape', { ...onTable, 'explorer.detailOpen': true, inputFocus: true })).toBe(
      'explorer.closeDetail',
    );
    expect(k.press('Escape', { ...onTable, 'explorer.detailOpen': true, overlay: 'palette' })).toBe(
      'shell.closeOverlay',
    );
    expect(k.press('/', { ...onTable, view: 'home' })).toBe('-');
  });
});
