/**
 * renderer/palette/contribution.ts: the command palette's own keys, which its input handles
 * (CommandPalette.tsx), listed in the shortcut sheet.
 */
import type { Contribution } from '../shell/contribution.ts';

export const paletteContribution: Contribution = {
  id: 'palette',
  title: 'Command palette',
  elementKeys: [
    { keys: ['ArrowUp', 'ArrowDown'], title: 'Choose a command', when: 'overlay == palette' },
    { keys: ['Enter'], title: 'Run the chosen command', when: 'overlay == palette' },
  ],
};
