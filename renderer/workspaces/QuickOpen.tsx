/**
 * renderer/workspaces/QuickOpen.tsx: Mod+P in the workspace editor: type part of a file's name (or
 * of its folders) and open it. The list is common/workspaces/quick-open.ts's: file name matches first,
 * the matched characters marked; with nothing typed, the files opened lately (and the open tabs), then
 * every file. ↑/↓ (or Mod+P again) choose, Enter opens and puts the keyboard in the editor, Escape or a
 * click outside closes and gives focus back to where it was.
 *
 * Accessibility: a modal dialog (renderer/shell/Modal.tsx) with a combobox input controlling a
 * listbox; the chosen option is announced through aria-activedescendant and scrolled into view. While
 * shown it holds `workspaces.quickOpen` (the `?` sheet lists its keys under the workspace editor).
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { indexPaths, quickOpen, type QuickOpenItem } from '../../common/workspaces/quick-open.ts';
import { useContextKey } from '../context-keys/held-keys.ts';
import { Modal } from '../shell/Modal.tsx';
import { FileIcon } from './FileIcon.tsx';
import { Highlighted } from './Highlighted.tsx';
import { closeQuickOpen, quickOpenFile } from './search-actions.ts';
import { useWorkspaceEditor } from './workspace-store.ts';

const optionId = (i: number) => `ws-quick-open-${i}`;

/** The section an empty query's item starts, on its first item: 'recently opened', then 'files'. */
function sectionOf(items: readonly QuickOpenItem[], i: number, query: string): string | null {
  if (query.trim() !== '') return null;
  const item = items[i];
  if (!item) return null;
  if (i === 0) return item.recent ? 'recently opened' : 'files';
  return !item.recent && items[i - 1]?.recent ? 'files' : null;
}

export function QuickOpen(props: { readonly paths: readonly string[] }) {
  const recent = useWorkspaceEditor((s) => s.recent);
  const tabs = useWorkspaceEditor((s) => s.tabs.tabs);
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  useContextKey('workspaces.quickOpen', true);

  const pathIndex = useMemo(() => indexPaths(props.paths), [props.paths]);
  const lately = useMemo(() => [...new Set([...recent, ...tabs.map((t) => t.path)])], [recent, tabs]);
  const { items, total } = useMemo(
    () => quickOpen(pathIndex, query, { recent: lately }),
    [pathIndex, query, lately],
  );
  const chosen = Math.min(index, Math.max(0, items.length - 1));

  useEffect(() => {
    list.current?.querySelector(`[data-index="${chosen}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [chosen]);

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>): void {
    const count = Math.max(1, items.length);
    const again = (event.ctrlKey || event.metaKey) && event.code === 'KeyP';
    if (event.key === 'ArrowDown' || again) setIndex((chosen + 1) % count);
    else if (event.key === 'ArrowUp') setIndex((chosen - 1 + count) % count);
    else if (event.key === 'Enter') {
      const item = items[chosen];
      if (item) quickOpenFile(item.path);
    } else if (event.key === 'Escape') closeQuickOpen();
    else return;
    event.preventDefault();
  }

  const shown = items.length;
  return (
    <Modal
      label="Go to a file"
      className="palette ws-quick-open"
      initialFocus={input}
      onClose={closeQuickOpen}
    >
      <input
        ref={input}
        role="combobox"
        aria-expanded="true"
        aria-controls="ws-quick-open-list"
        aria-activedescendant={shown > 0 ? optionId(chosen) : undefined}
        aria-label="Go to a file: type part of its name or folder"
        placeholder="Go to a file: type part of its name or folder…"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setIndex(0);
        }}
        onKeyDown={onKeyDown}
        data-testid="quick-open-input"
      />
      <ul id="ws-quick-open-list" role="listbox" ref={list} aria-label="Files">
        {items.map((item, i) => {
          const section = sectionOf(items, i, query);
          return (
            <li
              key={item.path}
              id={optionId(i)}
              data-index={i}
              data-path={item.path}
              role="option"
              aria-selected={i === chosen}
              className={i === chosen ? 'active' : ''}
              title={item.path}
              onMouseDown={(e) => e.preventDefault()}
              onMouseMove={() => setIndex(i)}
              onClick={() => quickOpenFile(item.path)}
              data-testid="quick-open-item"
            >
              <FileIcon path={item.path} />
              <span className="ws-qo-name">
                <Highlighted text={item.name} ranges={item.nameRanges} />
              </span>
              <span className="ws-qo-folder">
                <Highlighted text={item.folder} ranges={item.folderRanges} />
              </span>
              {section ? <span className="hint">{section}</span> : null}
            </li>
          );
        })}
        {shown === 0 ? (
          <li className="muted" role="presentation">
            {props.paths.length === 0
              ? 'This workspace has no files yet.'
              : `No file matches “${query.trim()}”.`}
          </li>
        ) : null}
      </ul>
      {total > shown ? (
        <p className="ws-qo-more muted">
          {shown.toLocaleString('en-US')} of {total.toLocaleString('en-US')} files shown: type more to narrow.
        </p>
      ) : null}
    </Modal>
  );
}
