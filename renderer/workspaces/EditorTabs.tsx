/**
 * renderer/workspaces/EditorTabs.tsx: the open files as tabs (role tablist): the file name (with
 * parent folders where two names are equal), ● while it has unsaved edits, and a close button.
 * Left / Right move between tabs while one has focus; closing keeps the unsaved text in the draft.
 */
import type { KeyboardEvent } from 'react';
import { isDirty, tabLabels } from './editor-tabs.ts';
import { focusEditor } from './editor-handle.ts';
import { closeFile, openFile } from './workspace-actions.ts';
import { useWorkspaceEditor } from './workspace-store.ts';

export function EditorTabs() {
  const { tabs, active } = useWorkspaceEditor((s) => s.tabs);
  const labels = tabLabels(tabs.map((t) => t.path));

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    event.preventDefault();
    const index = tabs.findIndex((t) => t.path === active);
    const next = tabs[index + (event.key === 'ArrowRight' ? 1 : -1)];
    if (!next) return;
    void openFile(next.path);
    requestAnimationFrame(() => document.getElementById(`ws-tab-${tabs.indexOf(next)}`)?.focus());
  }

  if (tabs.length === 0) return null;
  return (
    <div className="ws-tabs" role="tablist" aria-label="Open files" onKeyDown={onKeyDown}>
      {tabs.map((tab, i) => {
        const dirty = isDirty(tab);
        const selected = tab.path === active;
        return (
          <div key={tab.path} className={`ws-tab ${selected ? 'active' : ''}`} data-testid="workspace-tab">
            <button
              type="button"
              id={`ws-tab-${i}`}
              role="tab"
              aria-selected={selected}
              tabIndex={selected ? 0 : -1}
              title={tab.path}
              className="ws-tab-name"
              onClick={() => {
                void openFile(tab.path).then(focusEditor);
              }}
            >
              {labels.get(tab.path) ?? tab.path}
              {dirty ? (
                <span className="ws-dirty" data-testid="dirty-marker" aria-label="unsaved edits">
                  ●
                </span>
              ) : null}
            </button>
            <button
              type="button"
              className="ws-tab-close"
              aria-label={`Close ${labels.get(tab.path) ?? tab.path}`}
              title={dirty ? 'Close (the unsaved edits stay in your draft)' : 'Close'}
              onClick={() => void closeFile(tab.path)}
            >
              ×
            </button>
          </div>
        );
      })}
    </div>
  );
}
