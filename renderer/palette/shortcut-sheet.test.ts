import { describe, expect, it } from 'vitest';
import { formatSequence } from '../keyboard/keys.ts';
import { REGISTRY } from '../views.ts';
import { shortcutSheet } from './shortcut-sheet.ts';

describe('shortcutSheet', () => {
  it('lists every keybinding and every element key of the registry, once', () => {
    const rows = shortcutSheet(REGISTRY, 'other').flatMap((g) => g.rows);
    const bindings = rows.filter((r) => r.kind === 'keybinding');
    expect(bindings.map((r) => `${r.keys.join()} ${r.command ?? ''}`).sort()).toEqual(
      REGISTRY.keybindings.map((k) => `${formatSequence(k.sequence)} ${k.command.command.id}`).sort(),
    );
    const element = rows.filter((r) => r.kind === 'element');
    expect(element.map((r) => r.title).sort()).toEqual(REGISTRY.elementKeys.map((e) => e.title).sort());
  });

  it('groups by context', () => {
    const groups = shortcutSheet(REGISTRY, 'other').map((g) => ({
      title: g.title,
      rows: g.rows.map((r) => r.keys.join(' / ')),
    }));
    expect(groups).toEqual([
      {
        title: 'Everywhere',
        rows: [
          'Mod+K',
          '?',
          'Escape',
          'Tab / Shift+Tab',
          'g h',
          'g i',
          'g d',
          'g w',
          'g e',
          'g f',
          'g a',
          'g k',
          'g s',
        ],
      },
      { title: 'Command palette', rows: ['ArrowUp / ArrowDown', 'Enter'] },
      { title: 'Inbox', rows: ['j', 'k', 'a', 'r', 'x', 'Shift+X', 'z', '/', 'Escape'] },
      { title: 'Inbox · when the inbox has focus', rows: ['Enter', 'ArrowUp / ArrowDown'] },
      { title: 'Delegations', rows: ['n'] },
      {
        title: 'Workspaces',
        rows: [
          'Mod+S',
          'Mod+Shift+M',
          'Mod+P',
          'Mod+Shift+F',
          'ArrowUp / ArrowDown / Enter',
          'Alt+C / Alt+W / Alt+R',
          'ArrowUp / ArrowDown / Enter',
        ],
      },
      {
        title: 'Workspaces · when the file tree has focus',
        rows: ['n', 'F2', 'Delete', 'ArrowUp / ArrowDown', 'ArrowRight / ArrowLeft', 'Home / End', 'Enter'],
      },
      { title: 'Changeset review', rows: ['j', 'k', 'v', 't', 'c', 'a', 'r'] },
      { title: 'Explorer', rows: ['/', 'n', 'Escape'] },
      {
        title: 'Explorer · when the list has focus',
        rows: ['ArrowUp / ArrowDown', 'PageUp / PageDown / Home / End', 'Enter'],
      },
      { title: 'Search', rows: ['/', 'f'] },
      { title: 'Search · when the search field has focus', rows: ['ArrowUp / ArrowDown', 'Enter'] },
      { title: 'Audit', rows: ['j', 'k', 'Enter', 'v', 'ArrowUp / ArrowDown'] },
      { title: 'Dashboards', rows: ['1', '2', '3', 'r', 'c'] },
    ]);
  });

  it("shows keys the platform's way", () => {
    const palette = (platform: 'mac' | 'other') =>
      shortcutSheet(REGISTRY, platform)
        .flatMap((g) => g.rows)
        .find((r) => r.command === 'shell.palette')?.display;
    expect(palette('other')).toEqual([['Ctrl+K']]);
    expect(palette('mac')).toEqual([['⌘K']]);
    const home = shortcutSheet(REGISTRY, 'other')
      .flatMap((g) => g.rows)
      .find((r) => r.command === 'home.open');
    expect(home).toMatchObject({ display: [['g', 'h']], title: 'Home', category: 'Go to' });
    const filter = shortcutSheet(REGISTRY, 'other')
      .flatMap((g) => g.rows)
      .find((r) => r.command === 'explorer.filter');
    expect(filter).toMatchObject({ title: 'Filter the table', category: null });
  });
});
