/**
 * renderer/palette/shortcut-sheet.ts: what the `?` sheet lists, derived from the registry (pure;
 * tested beside): every keybinding (with its command's title) and every element's own keys, shown
 * with the platform's key names, grouped by context:
 *
 *   the when-clause requires `view == X`         ─► X's title ('Explorer')
 *   else a global contribution's                 ─► its title ('Everywhere', 'Command palette')
 *   else (a view's binding that works anywhere)  ─► 'Everywhere'  (g e, g s)
 *   + the label of each focus key it requires    ─► 'Explorer · when the list has focus'
 *
 * Groups come in the order of their first row, rows in registration order (global contributions
 * first, then views; a contribution's keybindings before its element keys).
 */
import { requiredKeys, type WhenClause } from '../context-keys/when-clause.ts';
import { displaySequence, formatSequence, type KeySequence, type Platform } from '../keyboard/keys.ts';
import type { Contribution } from '../shell/contribution.ts';
import type { Registry } from '../shell/registry.ts';

export const EVERYWHERE = 'Everywhere';

export interface ShortcutRow {
  /** 'keybinding': dispatched, runs `command`; 'element': handled by the focused element itself. */
  readonly kind: 'keybinding' | 'element';
  /** The command a keybinding runs; null for element keys. */
  readonly command: string | null;
  /** The keys as written in the registry, canonical ('Mod+K', 'g h'); alternatives for element keys. */
  readonly keys: readonly string[];
  /** Per alternative, its strokes as this platform shows them: [['Ctrl+K']], [['g', 'h']], [['↑'], ['↓']]. */
  readonly display: readonly (readonly string[])[];
  readonly title: string;
  /**
   * A keybinding's command category ('Go to'), shown before the title ("Go to: Home"); null for
   * element keys, and where the group already says it (Explorer's commands in the Explorer group).
   */
  readonly category: string | null;
}

export interface ShortcutGroup {
  readonly title: string;
  readonly rows: readonly ShortcutRow[];
}

function groupTitle(registry: Registry, owner: Contribution, when: WhenClause): string {
  const node = when.node;
  const operands = node.kind === 'and' ? node.operands : [node];
  const viewId = operands.flatMap((o) =>
    o.kind === 'equals' && o.key === 'view' && !o.negated ? [o.value] : [],
  )[0];
  const isView = registry.views.some((v) => v.id === owner.id);
  const base =
    viewId !== undefined ? (registry.view(viewId)?.title ?? viewId) : isView ? EVERYWHERE : owner.title;
  const labels = requiredKeys(when).flatMap((key) => {
    const label = registry.contextKeys.get(key)?.label;
    return label ? [label] : [];
  });
  return [base, ...labels].join(' · ');
}

export function shortcutSheet(registry: Registry, platform: Platform): ShortcutGroup[] {
  const groups = new Map<string, ShortcutRow[]>();
  const add = (title: string, row: ShortcutRow) => groups.set(title, [...(groups.get(title) ?? []), row]);
  const shown = (sequences: readonly KeySequence[]) => ({
    keys: sequences.map(formatSequence),
    display: sequences.map((s) => displaySequence(s, platform)),
  });
  for (const owner of registry.contributions) {
    for (const k of registry.keybindings.filter((k) => k.owner === owner)) {
      const group = groupTitle(registry, owner, k.when);
      const { title, category } = k.command.command;
      add(group, {
        kind: 'keybinding',
        command: k.command.command.id,
        ...shown([k.sequence]),
        title,
        category: group.split(' · ')[0] === category ? null : category,
      });
    }
    for (const e of registry.elementKeys.filter((e) => e.owner === owner))
      add(groupTitle(registry, owner, e.when), {
        kind: 'element',
        command: null,
        ...shown(e.keys),
        title: e.title,
        category: null,
      });
  }
  return [...groups].map(([title, rows]) => ({ title, rows }));
}
