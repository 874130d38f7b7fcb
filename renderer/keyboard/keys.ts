/**
 * renderer/keyboard/keys.ts: keys as the app writes, matches and shows them (pure; tested beside).
 *
 *   binding text   'Mod+K'   '?'   'n'   'Shift+X'   'Escape'   'g h' (a chord: g, then h)
 *        │ parseKeySequence (throws KeyParseError with the reason)
 *        ▼
 *   KeySequence    [{ mod, ctrl, alt, shift, meta, key }]    key: 'k', '?', 'Escape', 'ArrowDown', …
 *        │ strokeOf(chord, platform): `Mod` is Ctrl on Linux and Windows, ⌘ (Meta) on macOS
 *        ▼
 *   stroke         'Ctrl+k' | 'Meta+k' | '?' | 'Shift+x' | 'Escape'   ◄── strokeFromEvent(KeyboardEvent)
 *
 * Strokes are compared as strings: modifiers in the order Ctrl, Alt, Shift, Meta, then the key.
 * Letters are lower case, Shift is explicit for them (`Shift+X`) and case in binding text is ignored
 * (`Mod+K` = `Mod+k`). Other characters are matched as typed, so `?` is `?` on every layout and
 * Shift with them is refused (`Shift+/` would never match where `/` and `?` share no key). With
 * Ctrl, Alt or ⌘ held, a letter or digit comes from the physical key when the layout does not give
 * one (Alt+K on a Mac types `˚`; a Cyrillic layout types `л`), so Mod+K works on any layout.
 * Modifier keys alone are not strokes (pressing Shift to type `?` does not break a chord).
 */

export type Platform = 'mac' | 'other';

export interface KeyChord {
  /** Ctrl on Linux and Windows, ⌘ on macOS. */
  readonly mod: boolean;
  readonly ctrl: boolean;
  readonly alt: boolean;
  readonly shift: boolean;
  readonly meta: boolean;
  /** A lower-case letter, another single character, or a key name from NAMED_KEYS. */
  readonly key: string;
}

export type KeySequence = readonly KeyChord[];

export class KeyParseError extends Error {
  constructor(
    readonly text: string,
    problem: string,
  ) {
    super(`Invalid key "${text}": ${problem}`);
    this.name = 'KeyParseError';
  }
}

/** Key names a binding may use (KeyboardEvent.key values, and Space for ' '). */
export const NAMED_KEYS: readonly string[] = [
  'Escape',
  'Enter',
  'Tab',
  'Space',
  'Backspace',
  'Delete',
  'Insert',
  'ArrowUp',
  'ArrowDown',
  'ArrowLeft',
  'ArrowRight',
  'Home',
  'End',
  'PageUp',
  'PageDown',
  ...Array.from({ length: 12 }, (_, i) => `F${i + 1}`),
];

const ALIASES: Readonly<Record<string, string>> = {
  esc: 'Escape',
  return: 'Enter',
  del: 'Delete',
  up: 'ArrowUp',
  down: 'ArrowDown',
  left: 'ArrowLeft',
  right: 'ArrowRight',
  pgup: 'PageUp',
  pgdn: 'PageDown',
  ' ': 'Space',
};
const NAMED = new Map(NAMED_KEYS.map((name) => [name.toLowerCase(), name]));

const MODIFIERS: Readonly<Record<string, 'mod' | 'ctrl' | 'alt' | 'shift' | 'meta'>> = {
  mod: 'mod',
  ctrl: 'ctrl',
  control: 'ctrl',
  alt: 'alt',
  option: 'alt',
  shift: 'shift',
  meta: 'meta',
  cmd: 'meta',
  command: 'meta',
};

/** KeyboardEvent.key values that are not strokes of their own. */
const NOT_A_STROKE = new Set([
  '',
  'Shift',
  'Control',
  'Alt',
  'AltGraph',
  'Meta',
  'OS',
  'Super',
  'Hyper',
  'Fn',
  'FnLock',
  'CapsLock',
  'NumLock',
  'ScrollLock',
  'Dead',
  'Unidentified',
  'Process',
]);

const isLetter = (key: string) => /^[a-z]$/i.test(key);
const isCharacter = (key: string) => [...key].length === 1;

function normaliseKey(text: string, whole: string): string {
  if (isCharacter(text)) {
    if (/\s/.test(text)) throw new KeyParseError(whole, 'write Space for the space bar');
    return isLetter(text) ? text.toLowerCase() : text;
  }
  const name = ALIASES[text.toLowerCase()] ?? NAMED.get(text.toLowerCase());
  if (!name)
    throw new KeyParseError(whole, `unknown key '${text}' (a character, or one of ${NAMED_KEYS.join(', ')})`);
  return name;
}

function parseChord(text: string, whole: string): KeyChord {
  // A trailing '+' is the plus key itself ('Mod++' or '+').
  const parts = text.endsWith('++')
    ? [...text.slice(0, -2).split('+'), '+']
    : text === '+'
      ? ['+']
      : text.split('+');
  const keyText = parts.pop() ?? '';
  if (keyText === '') throw new KeyParseError(whole, `'${text}' has no key after its modifiers`);
  const chord = { mod: false, ctrl: false, alt: false, shift: false, meta: false, key: '' };
  for (const part of parts) {
    const modifier = MODIFIERS[part.toLowerCase()];
    if (!modifier) throw new KeyParseError(whole, `unknown modifier '${part}' (Mod, Ctrl, Alt, Shift, Meta)`);
    if (chord[modifier]) throw new KeyParseError(whole, `'${part}' appears twice`);
    chord[modifier] = true;
  }
  chord.key = normaliseKey(keyText, whole);
  if (chord.shift && isCharacter(chord.key) && !isLetter(chord.key))
    throw new KeyParseError(
      whole,
      `write the character Shift types ('?' rather than 'Shift+/'): characters are matched as typed`,
    );
  return chord;
}

/** Parses binding text: strokes separated by spaces, each `Modifier+…+Key`. */
export function parseKeySequence(text: string): KeySequence {
  const strokes = text.trim().split(/\s+/);
  if (text.trim() === '') throw new KeyParseError(text, 'no key');
  return strokes.map((stroke) => parseChord(stroke, text));
}

function joinStroke(ctrl: boolean, alt: boolean, shift: boolean, meta: boolean, key: string): string {
  return `${ctrl ? 'Ctrl+' : ''}${alt ? 'Alt+' : ''}${shift ? 'Shift+' : ''}${meta ? 'Meta+' : ''}${key}`;
}

/** The stroke a chord is on a platform (Mod resolved), comparable with strokeFromEvent's. */
export function strokeOf(chord: KeyChord, platform: Platform): string {
  const ctrl = chord.ctrl || (chord.mod && platform === 'other');
  const meta = chord.meta || (chord.mod && platform === 'mac');
  return joinStroke(ctrl, chord.alt, chord.shift, meta, chord.key);
}

/** Binding text in one canonical spelling ('mod+k' → 'Mod+K'), for comparing bindings. */
export function formatSequence(sequence: KeySequence): string {
  return sequence
    .map((c) => {
      const mods = `${c.mod ? 'Mod+' : ''}${c.ctrl ? 'Ctrl+' : ''}${c.alt ? 'Alt+' : ''}${c.shift ? 'Shift+' : ''}${c.meta ? 'Meta+' : ''}`;
      return mods + (mods !== '' && isLetter(c.key) ? c.key.toUpperCase() : c.key);
    })
    .join(' ');
}

/** The parts of a KeyboardEvent a stroke is made of. */
export interface KeyEventLike {
  readonly key: string;
  readonly code?: string;
  readonly ctrlKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey: boolean;
  readonly metaKey: boolean;
}

/** The stroke of a key event, or null for a key that is no stroke of its own (a modifier, a dead key). */
export function strokeFromEvent(event: KeyEventLike): string | null {
  if (NOT_A_STROKE.has(event.key)) return null;
  let key = event.key === ' ' ? 'Space' : (ALIASES[event.key.toLowerCase()] ?? event.key);
  const chorded = event.ctrlKey || event.altKey || event.metaKey;
  const physical = /^(?:Key([A-Z])|Digit([0-9]))$/.exec(event.code ?? '');
  if (chorded && physical && !/^[a-z0-9]$/i.test(key))
    key = (physical[1] ?? physical[2] ?? key).toLowerCase();
  const letter = isLetter(key);
  if (letter) key = key.toLowerCase();
  // A character other than a letter already says whether Shift was held ('?' is Shift+/ on US keyboards).
  const shift = event.shiftKey && (letter || !isCharacter(key));
  return joinStroke(event.ctrlKey, event.altKey, shift, event.metaKey, key);
}

/**
 * Whether a stroke belongs to a text field while the user types: no Ctrl, Alt or ⌘, and not Escape
 * or a function key. Such strokes never start a shortcut while typing (renderer/keyboard/dispatcher.ts).
 */
export function isTypingStroke(stroke: string): boolean {
  if (/(^|\+)(Ctrl|Alt|Meta)\+/.test(stroke)) return false;
  const key = stroke.replace(/^Shift\+/, '');
  return key !== 'Escape' && !/^F\d{1,2}$/.test(key);
}

const DISPLAY_KEYS: Readonly<Record<string, string>> = {
  Escape: 'Esc',
  ArrowUp: '↑',
  ArrowDown: '↓',
  ArrowLeft: '←',
  ArrowRight: '→',
  PageUp: 'PgUp',
  PageDown: 'PgDn',
};

/** How a chord is shown on a platform: 'Ctrl+K' / '⌘K', 'Shift+X' / '⇧X', '?', 'n', 'Esc', '↑'. */
export function displayChord(chord: KeyChord, platform: Platform): string {
  const ctrl = chord.ctrl || (chord.mod && platform === 'other');
  const meta = chord.meta || (chord.mod && platform === 'mac');
  const modified = ctrl || chord.alt || chord.shift || meta;
  const key =
    platform === 'mac' && chord.key === 'Enter'
      ? '↩'
      : (DISPLAY_KEYS[chord.key] ?? (modified && isLetter(chord.key) ? chord.key.toUpperCase() : chord.key));
  if (platform === 'mac')
    return `${ctrl ? '⌃' : ''}${chord.alt ? '⌥' : ''}${chord.shift ? '⇧' : ''}${meta ? '⌘' : ''}${key}`;
  return `${ctrl ? 'Ctrl+' : ''}${chord.alt ? 'Alt+' : ''}${chord.shift ? 'Shift+' : ''}${meta ? 'Meta+' : ''}${key}`;
}

/** Each stroke of a sequence as shown on a platform ('g h' → ['g', 'h']). */
export function displaySequence(sequence: KeySequence, platform: Platform): string[] {
  return sequence.map((chord) => displayChord(chord, platform));
}

/** The sequence in the `aria-keyshortcuts` syntax ('Control+K', 'Meta+K', 'G H'). */
export function ariaKeyShortcuts(sequence: KeySequence, platform: Platform): string {
  return sequence
    .map((chord) => {
      const ctrl = chord.ctrl || (chord.mod && platform === 'other');
      const meta = chord.meta || (chord.mod && platform === 'mac');
      const key = chord.key === 'Space' ? 'Space' : isLetter(chord.key) ? chord.key.toUpperCase() : chord.key;
      return `${ctrl ? 'Control+' : ''}${chord.alt ? 'Alt+' : ''}${chord.shift ? 'Shift+' : ''}${meta ? 'Meta+' : ''}${key}`;
    })
    .join(' ');
}

/** macOS or not, from what the browser says about itself. */
export function detectPlatform(
  nav: { readonly platform?: string; readonly userAgent?: string } | undefined,
): Platform {
  const text = `${nav?.platform ?? ''} ${nav?.userAgent ?? ''}`;
  return /Mac|iPhone|iPad|iPod/.test(text) ? 'mac' : 'other';
}

/** The platform this window runs on. */
export function currentPlatform(): Platform {
  return detectPlatform(typeof navigator === 'undefined' ? undefined : navigator);
}

/** Binding text as this platform shows it, stroke by stroke ('Mod+K' → ['Ctrl+K'] or ['⌘K']). */
export function displayKeys(text: string): string[] {
  return displaySequence(parseKeySequence(text), currentPlatform());
}
