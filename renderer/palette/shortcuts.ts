/**
 * renderer/palette/shortcuts.ts: every keyboard shortcut of the app, in one list that the `?` overlay
 * shows and the handlers follow.
 */
export interface Shortcut {
  readonly keys: readonly string[];
  readonly what: string;
  readonly where: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: ['Ctrl', 'K'], what: 'Open the command palette (⌘K on macOS)', where: 'Everywhere' },
  { keys: ['?'], what: 'Show these shortcuts', where: 'Everywhere' },
  { keys: ['Esc'], what: 'Close the palette, a dialog or the row detail', where: 'Everywhere' },
  { keys: ['g', 'h'], what: 'Go home', where: 'Everywhere' },
  { keys: ['g', 'e'], what: 'Go to the data explorer', where: 'Everywhere' },
  { keys: ['g', 's'], what: 'Go to settings', where: 'Everywhere' },
  { keys: ['Tab'], what: 'Move between controls (focus is always visible)', where: 'Everywhere' },
  { keys: ['↑', '↓'], what: 'Move the active row; in the palette, the selection', where: 'Grid, palette' },
  {
    keys: ['PgUp', 'PgDn', 'Home', 'End'],
    what: 'Move the active row by a page, or to the ends',
    where: 'Grid',
  },
  { keys: ['Enter'], what: 'Open the active row; in the palette, run the command', where: 'Grid, palette' },
  { keys: ['/'], what: 'Filter the table', where: 'Explorer' },
  { keys: ['n'], what: 'New row (where you may insert)', where: 'Explorer' },
];
