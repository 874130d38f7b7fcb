/**
 * renderer/palette/ShortcutsHelp.tsx: the `?` sheet: every keybinding and every element's own keys of
 * the registry (renderer/palette/shortcut-sheet.ts), grouped by context, with this platform's key
 * names. Escape closes it (the shell's keybinding).
 *
 * Each row carries data-shortcut-kind, data-command and data-keys, which the end-to-end test compares
 * with the registry the app exposes (renderer/app/expose-registry.ts).
 */
import { Fragment, useMemo, useRef } from 'react';
import { currentPlatform } from '../keyboard/keys.ts';
import { Modal } from '../shell/Modal.tsx';
import { useUi } from '../state/ui-store.ts';
import { REGISTRY } from '../views.ts';
import { shortcutSheet } from './shortcut-sheet.ts';

/** Alternatives side by side; a chord's strokes joined by "then". */
function Keys({ display }: { readonly display: readonly (readonly string[])[] }) {
  return display.map((strokes, i) => (
    <span key={i} className="help-keys">
      {strokes.map((stroke, j) => (
        <Fragment key={j}>
          {j > 0 ? <span className="muted"> then </span> : null}
          <kbd>{stroke}</kbd>
        </Fragment>
      ))}
    </span>
  ));
}

export function ShortcutsHelp() {
  const open = useUi((s) => s.open);
  const close = useRef<HTMLButtonElement>(null);
  const groups = useMemo(() => shortcutSheet(REGISTRY, currentPlatform()), []);
  return (
    <Modal label="Keyboard shortcuts" className="help" initialFocus={close}>
      <header>
        <h2>Keyboard shortcuts</h2>
        <button
          ref={close}
          type="button"
          className="icon-button"
          aria-label="Close shortcuts"
          onClick={() => open(null)}
        >
          ×
        </button>
      </header>
      <div className="help-groups">
        {groups.map((group) => (
          <section key={group.title} aria-label={group.title}>
            <h3>{group.title}</h3>
            <table>
              <tbody>
                {group.rows.map((row) => (
                  <tr
                    key={`${row.kind}:${row.command ?? ''}:${row.keys.join('|')}`}
                    data-shortcut-kind={row.kind}
                    data-command={row.command ?? undefined}
                    data-keys={row.keys.join(' | ')}
                  >
                    <td>
                      <Keys display={row.display} />
                    </td>
                    <td>
                      {row.category ? <span className="muted">{row.category}: </span> : null}
                      {row.title}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
      </div>
    </Modal>
  );
}
