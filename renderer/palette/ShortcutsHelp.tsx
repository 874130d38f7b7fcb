/**
 * renderer/palette/ShortcutsHelp.tsx: the `?` overlay listing every keyboard shortcut.
 */
import { useRef } from 'react';
import { Modal } from '../shell/Modal.tsx';
import { useUi } from '../state/ui-store.ts';
import { SHORTCUTS } from './shortcuts.ts';

export function ShortcutsHelp() {
  const open = useUi((s) => s.open);
  const close = useRef<HTMLButtonElement>(null);
  return (
    <Modal
      label="Keyboard shortcuts"
      className="help"
      initialFocus={close}
      onKeyDown={(e) => {
        if (e.key === 'Escape') open(null);
      }}
    >
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
      <table>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.what}>
              <td>
                {s.keys.map((k) => (
                  <kbd key={k}>{k}</kbd>
                ))}
              </td>
              <td>{s.what}</td>
              <td className="muted">{s.where}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Modal>
  );
}
