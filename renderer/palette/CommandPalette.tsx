/**
 * renderer/palette/CommandPalette.tsx: Mod+K: type to find a view, a table or an action; arrows choose,
 * Enter runs, Escape closes (the shell's keybinding). The list is the registry's
 * (renderer/palette/palette-entries.ts): the commands available where the user was when the palette
 * opened, then the providers' (tables, tenants), re-read as the engine's data changes.
 *
 * Accessibility: a modal dialog with a combobox input controlling a listbox; the active option is
 * announced through aria-activedescendant; focus returns to where it was when the palette closes,
 * before the chosen command runs (so a command that moves focus, such as "Filter the table", keeps it).
 */
import { useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { contextForPalette } from '../context-keys/current-context.ts';
import { currentPlatform } from '../keyboard/keys.ts';
import { Modal } from '../shell/Modal.tsx';
import { useEngine } from '../state/engine-store.ts';
import { useUi } from '../state/ui-store.ts';
import { REGISTRY } from '../views.ts';
import { rankCommands, type PaletteEntry } from './match.ts';
import { paletteEntries } from './palette-entries.ts';

export function CommandPalette() {
  const open = useUi((s) => s.open);
  // Providers read the engine's data (tables, tenants): list again when it changes.
  useEngine();
  // Where the user was: read in the first render, before the palette takes focus.
  const [context] = useState(() => contextForPalette(REGISTRY));
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const ranked = rankCommands(paletteEntries(REGISTRY, context, currentPlatform()), query);
  const chosen = Math.min(index, Math.max(0, ranked.length - 1));

  useEffect(() => {
    list.current?.querySelector(`[data-index="${chosen}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [chosen]);

  function run(entry: PaletteEntry | undefined) {
    if (!entry) return;
    flushSync(() => open(null));
    entry.run();
  }

  return (
    <Modal label="Command palette" className="palette" initialFocus={input}>
      <input
        ref={input}
        role="combobox"
        aria-expanded="true"
        aria-controls="palette-list"
        aria-activedescendant={ranked.length > 0 ? `palette-${chosen}` : undefined}
        aria-label="Type a command or a table name"
        placeholder="Type a command or a table name…"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setIndex(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setIndex((chosen + 1) % Math.max(1, ranked.length));
          else if (e.key === 'ArrowUp') setIndex((chosen - 1 + ranked.length) % Math.max(1, ranked.length));
          else if (e.key === 'Enter') run(ranked[chosen]);
          else return;
          e.preventDefault();
        }}
      />
      <ul id="palette-list" role="listbox" ref={list} aria-label="Commands">
        {ranked.map((entry, i) => (
          <li
            key={entry.id}
            id={`palette-${i}`}
            data-index={i}
            data-command-id={entry.id}
            role="option"
            aria-selected={i === chosen}
            className={i === chosen ? 'active' : ''}
            onMouseMove={() => setIndex(i)}
            onClick={() => run(entry)}
          >
            <span className="muted">{entry.section}</span> {entry.title}
            {entry.hint ? <span className="hint">{entry.hint}</span> : null}
          </li>
        ))}
        {ranked.length === 0 ? <li className="muted">Nothing matches “{query}”.</li> : null}
      </ul>
    </Modal>
  );
}
