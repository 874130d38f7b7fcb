import { describe, expect, it } from 'vitest';
import {
  ariaKeyShortcuts,
  detectPlatform,
  displaySequence,
  formatSequence,
  isTypingStroke,
  KeyParseError,
  parseKeySequence,
  strokeFromEvent,
  strokeOf,
  type KeyEventLike,
} from './keys.ts';

const press = (key: string, extra: Partial<KeyEventLike> = {}): string | null =>
  strokeFromEvent({ key, ctrlKey: false, altKey: false, shiftKey: false, metaKey: false, ...extra });
const strokes = (text: string, platform: 'mac' | 'other' = 'other') =>
  parseKeySequence(text).map((chord) => strokeOf(chord, platform));

describe('parseKeySequence', () => {
  it('reads single keys, modifiers and chords', () => {
    expect(strokes('?')).toEqual(['?']);
    expect(strokes('/')).toEqual(['/']);
    expect(strokes('n')).toEqual(['n']);
    expect(strokes('Shift+X')).toEqual(['Shift+x']);
    expect(strokes('g h')).toEqual(['g', 'h']);
    expect(strokes('Escape')).toEqual(['Escape']);
    expect(strokes('esc')).toEqual(['Escape']);
    expect(strokes('Ctrl+Alt+Delete')).toEqual(['Ctrl+Alt+Delete']);
    expect(strokes('Mod++')).toEqual(['Ctrl++']);
  });

  it('maps Mod to Ctrl on Linux and Windows and to ⌘ on macOS', () => {
    expect(strokes('Mod+K', 'other')).toEqual(['Ctrl+k']);
    expect(strokes('Mod+K', 'mac')).toEqual(['Meta+k']);
    expect(strokes('Mod+Shift+P', 'mac')).toEqual(['Shift+Meta+p']);
    expect(strokes('Ctrl+K', 'mac')).toEqual(['Ctrl+k']);
  });

  it('ignores case and spacing in how a binding is written', () => {
    expect(formatSequence(parseKeySequence('mod+k'))).toBe('Mod+K');
    expect(formatSequence(parseKeySequence('  g   h '))).toBe('g h');
    expect(formatSequence(parseKeySequence('shift+x'))).toBe('Shift+X');
    expect(formatSequence(parseKeySequence('X'))).toBe('x');
  });

  it('refuses what could never match, saying why', () => {
    const message = (text: string) => {
      try {
        parseKeySequence(text);
      } catch (e) {
        if (e instanceof KeyParseError) return e.message;
        throw e;
      }
      return 'parsed';
    };
    expect(message('')).toBe('Invalid key "": no key');
    expect(message('Hyper+K')).toContain("unknown modifier 'Hyper'");
    expect(message('Mod+')).toContain('has no key after its modifiers');
    expect(message('Shift+Shift+x')).toContain("'Shift' appears twice");
    expect(message('Escpe')).toContain("unknown key 'Escpe'");
    expect(message('Shift+/')).toContain("'?' rather than 'Shift+/'");
  });
});

describe('strokeFromEvent', () => {
  it('matches what the binding text says', () => {
    expect(press('?', { shiftKey: true })).toBe(strokes('?')[0]);
    expect(press('/')).toBe(strokes('/')[0]);
    expect(press('n')).toBe(strokes('n')[0]);
    expect(press('X', { shiftKey: true })).toBe(strokes('Shift+X')[0]);
    expect(press('k', { ctrlKey: true })).toBe(strokes('Mod+K', 'other')[0]);
    expect(press('k', { metaKey: true })).toBe(strokes('Mod+K', 'mac')[0]);
    expect(press('Escape')).toBe('Escape');
    expect(press('ArrowDown', { shiftKey: true })).toBe('Shift+ArrowDown');
    expect(press(' ')).toBe('Space');
  });

  it('reads a letter without Shift under Caps Lock as the plain letter', () => {
    expect(press('N')).toBe('n');
  });

  it('takes the physical key for shortcuts when the layout gives another character', () => {
    expect(press('˚', { altKey: true, code: 'KeyK' })).toBe('Alt+k'); // Option+K on a Mac
    expect(press('л', { ctrlKey: true, code: 'KeyK' })).toBe('Ctrl+k'); // a Cyrillic layout
    expect(press('л', { code: 'KeyK' })).toBe('л'); // typing is typing
  });

  it('is no stroke for a modifier alone or a dead key', () => {
    for (const key of ['Shift', 'Control', 'Alt', 'Meta', 'Dead', 'Unidentified', 'CapsLock'])
      expect(press(key, { shiftKey: key === 'Shift' })).toBeNull();
  });
});

describe('isTypingStroke', () => {
  it('is true for what a text field takes, false for shortcuts, Escape and function keys', () => {
    for (const stroke of ['n', '?', '/', 'Shift+x', 'Space', 'Enter', 'ArrowDown', 'Backspace'])
      expect(isTypingStroke(stroke), stroke).toBe(true);
    for (const stroke of ['Ctrl+k', 'Meta+k', 'Alt+n', 'Shift+Meta+p', 'Escape', 'Shift+Escape', 'F2'])
      expect(isTypingStroke(stroke), stroke).toBe(false);
  });
});

describe('display', () => {
  it('shows keys the way each platform writes them', () => {
    expect(displaySequence(parseKeySequence('Mod+K'), 'other')).toEqual(['Ctrl+K']);
    expect(displaySequence(parseKeySequence('Mod+K'), 'mac')).toEqual(['⌘K']);
    expect(displaySequence(parseKeySequence('Shift+X'), 'other')).toEqual(['Shift+X']);
    expect(displaySequence(parseKeySequence('Shift+X'), 'mac')).toEqual(['⇧X']);
    expect(displaySequence(parseKeySequence('g h'), 'other')).toEqual(['g', 'h']);
    expect(displaySequence(parseKeySequence('Escape'), 'mac')).toEqual(['Esc']);
    expect(displaySequence(parseKeySequence('ArrowUp'), 'other')).toEqual(['↑']);
    expect(displaySequence(parseKeySequence('Enter'), 'mac')).toEqual(['↩']);
  });

  it('writes aria-keyshortcuts', () => {
    expect(ariaKeyShortcuts(parseKeySequence('Mod+K'), 'other')).toBe('Control+K');
    expect(ariaKeyShortcuts(parseKeySequence('Mod+K'), 'mac')).toBe('Meta+K');
    expect(ariaKeyShortcuts(parseKeySequence('g h'), 'other')).toBe('G H');
  });

  it('knows a Mac when it sees one', () => {
    expect(detectPlatform({ platform: 'MacIntel' })).toBe('mac');
    expect(detectPlatform({ platform: 'Linux x86_64' })).toBe('other');
    expect(detectPlatform({ userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)' })).toBe('other');
    expect(detectPlatform(undefined)).toBe('other');
  });
});
