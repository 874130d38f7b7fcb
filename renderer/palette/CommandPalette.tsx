/**
 * renderer/palette/CommandPalette.tsx: Ctrl/Cmd+K: type to find a view, a table or an action; arrows
 * choose, Enter runs, Escape closes. Commands come from the current session (its tables, its tenants).
 *
 * Accessibility: a modal dialog with a combobox input controlling a listbox; the active option is
 * announced through aria-activedescendant; focus returns to where it was when the palette closes.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { navigate } from '../app/routes.ts';
import { useEngine, tenantLabel } from '../state/engine-store.ts';
import { useUi } from '../state/ui-store.ts';
import { retrySync } from '../sync/sync-actions.ts';
import { downloadBackup, signOut } from '../settings/account-actions.ts';
import { rankCommands, type Command } from './match.ts';
import { Modal } from '../shell/Modal.tsx';

function useCommands(): Command[] {
  const tables = useEngine((s) => s.tables);
  const session = useEngine((s) => s.session);
  const tenantNames = useEngine((s) => s.tenantNames);
  const setScope = useEngine((s) => s.setScope);
  const open = useUi((s) => s.open);
  return useMemo(() => {
    const list: Command[] = [
      { id: 'go-home', section: 'Go to', title: 'Home', hint: 'g h', run: () => navigate({ name: 'home' }) },
      {
        id: 'go-explorer',
        section: 'Go to',
        title: 'Data explorer',
        hint: 'g e',
        run: () => navigate({ name: 'explorer', table: null }),
      },
      {
        id: 'go-settings',
        section: 'Go to',
        title: 'Settings',
        hint: 'g s',
        run: () => navigate({ name: 'settings' }),
      },
    ];
    if (session) {
      for (const t of tables)
        list.push({
          id: `table-${t.table}`,
          section: 'Open table',
          title: t.table,
          hint: t.domainLabel,
          run: () => navigate({ name: 'explorer', table: t.table }),
        });
      list.push({
        id: 'sync-retry',
        section: 'Sync',
        title: 'Retry sync and uploads now',
        run: () => void retrySync(),
      });
      if (session.tenant.visibleTenantIds.length > 1) {
        list.push({
          id: 'scope-all',
          section: 'Tenant',
          title: `Show every tenant of ${session.tenant.name}`,
          run: () => setScope(null),
        });
        for (const id of session.tenant.visibleTenantIds)
          list.push({
            id: `scope-${id}`,
            section: 'Tenant',
            title: `Show only ${tenantLabel(tenantNames, id)}`,
            run: () => setScope(id),
          });
      }
      list.push({
        id: 'backup',
        section: 'Account',
        title: 'Download a backup of this device’s data',
        run: () => void downloadBackup(),
      });
      list.push({
        id: 'switch',
        section: 'Account',
        title: 'Sign in as another user or tenant',
        run: () => navigate({ name: 'sign-in' }),
      });
      list.push({ id: 'sign-out', section: 'Account', title: 'Sign out', run: () => void signOut() });
    } else {
      list.push({
        id: 'sign-in',
        section: 'Account',
        title: 'Sign in',
        run: () => navigate({ name: 'sign-in' }),
      });
    }
    list.push({
      id: 'shortcuts',
      section: 'Help',
      title: 'Keyboard shortcuts',
      hint: '?',
      run: () => open('shortcuts'),
    });
    return list;
  }, [tables, session, tenantNames, setScope, open]);
}

export function CommandPalette() {
  const open = useUi((s) => s.open);
  const commands = useCommands();
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const ranked = useMemo(() => rankCommands(commands, query).slice(0, 50), [commands, query]);
  const chosen = Math.min(index, Math.max(0, ranked.length - 1));

  useEffect(() => {
    list.current?.querySelector(`[data-index="${chosen}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [chosen]);

  function run(command: Command | undefined) {
    if (!command) return;
    open(null);
    command.run();
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
          else if (e.key === 'Escape') open(null);
          else return;
          e.preventDefault();
          e.stopPropagation();
        }}
      />
      <ul id="palette-list" role="listbox" ref={list} aria-label="Commands">
        {ranked.map((command, i) => (
          <li
            key={command.id}
            id={`palette-${i}`}
            data-index={i}
            role="option"
            aria-selected={i === chosen}
            className={i === chosen ? 'active' : ''}
            onMouseMove={() => setIndex(i)}
            onClick={() => run(command)}
          >
            <span className="muted">{command.section}</span> {command.title}
            {command.hint ? <span className="hint">{command.hint}</span> : null}
          </li>
        ))}
        {ranked.length === 0 ? <li className="muted">Nothing matches “{query}”.</li> : null}
      </ul>
    </Modal>
  );
}
