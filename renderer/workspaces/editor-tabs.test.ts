import { describe, expect, it } from 'vitest';
import type { WorkspaceDraftState } from '../../common/rpc/contract.ts';
import {
  activate,
  closeTab,
  edit,
  isChanged,
  isDirty,
  markSaved,
  NO_TABS,
  openTab,
  tabLabels,
  type TabsState,
} from './editor-tabs.ts';

const draft = (path: string, over: Partial<WorkspaceDraftState> = {}): WorkspaceDraftState => ({
  path,
  operation: 'modify',
  baseContent: 'base',
  baseSha256: 'a'.repeat(64),
  savedContent: 'base',
  unsavedContent: null,
  ...over,
});

const tab = (state: TabsState, path: string) => state.tabs.find((t) => t.path === path);

describe('editor tabs', () => {
  it('opens a tab once and activates it; the editor starts from the unsaved buffer', () => {
    let state = openTab(NO_TABS, draft('a.js'));
    state = openTab(state, draft('b.js', { savedContent: 'saved', unsavedContent: 'typing' }));
    state = openTab(state, draft('a.js', { savedContent: 'ignored' }));
    expect(state.tabs.map((t) => t.path)).toEqual(['a.js', 'b.js']);
    expect(state.active).toBe('a.js');
    expect(tab(state, 'a.js')?.text).toBe('base');
    const b = tab(state, 'b.js');
    expect(b && [b.text, b.saved, isDirty(b), isChanged(b)]).toEqual(['typing', 'saved', true, true]);
    expect(activate(state, 'b.js').active).toBe('b.js');
    expect(activate(state, 'nope.js')).toBe(state);
  });

  it('an edit makes a tab dirty; saving that text clears it, a keystroke during the save keeps it', () => {
    let state = openTab(NO_TABS, draft('a.js'));
    state = edit(state, 'a.js', 'base!');
    expect(isDirty(tab(state, 'a.js')!)).toBe(true);
    expect(isChanged(tab(state, 'a.js')!)).toBe(false);
    const saving = edit(state, 'a.js', 'base!!');
    const saved = markSaved(saving, 'a.js', 'base!');
    expect(isDirty(tab(saved, 'a.js')!)).toBe(true);
    state = markSaved(state, 'a.js', 'base!');
    expect(isDirty(tab(state, 'a.js')!)).toBe(false);
    expect(isChanged(tab(state, 'a.js')!)).toBe(true);
    state = edit(state, 'a.js', 'base');
    state = markSaved(state, 'a.js', 'base');
    expect(isChanged(tab(state, 'a.js')!)).toBe(false);
  });

  it('a new file is always changed', () => {
    const state = openTab(
      NO_TABS,
      draft('n.js', { operation: 'create', baseContent: null, baseSha256: null, savedContent: '' }),
    );
    expect(isChanged(tab(state, 'n.js')!)).toBe(true);
  });

  it('closing the active tab activates the right-hand neighbour, else the left one', () => {
    let state = ['a', 'b', 'c'].reduce((s, p) => openTab(s, draft(p)), NO_TABS);
    state = activate(state, 'b');
    state = closeTab(state, 'b');
    expect([state.tabs.map((t) => t.path), state.active]).toEqual([['a', 'c'], 'c']);
    state = closeTab(state, 'c');
    expect(state.active).toBe('a');
    state = openTab(state, draft('d'));
    expect(closeTab(state, 'a').active).toBe('d');
    expect(closeTab(closeTab(state, 'a'), 'd')).toEqual({ tabs: [], active: null });
    expect(closeTab(state, 'zz')).toBe(state);
  });

  it('labels tabs by file name, with parent folders only to tell equal names apart', () => {
    const labels = tabLabels(['src/a/index.js', 'src/b/index.js', 'src/x/y.js', 'top.js']);
    expect([...labels.values()]).toEqual(['a/index.js', 'b/index.js', 'y.js', 'top.js']);
  });
});
