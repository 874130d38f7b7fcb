/**
 * renderer/workspaces/FileTree.tsx: a workspace's files as a tree (role tree), built from the paths of
 * `workspaces.files` (file-tree.ts): folders first, an icon per file type, and what this user's drafts
 * do to each file (M modified, A added, D deleted; ● unsaved in the editor).
 *
 * Keys while the tree has focus (listed in the view's elementKeys): Up / Down move, Right opens a
 * folder or enters it, Left closes it or goes to the parent, Home / End, Enter or Space opens a file or
 * toggles a folder. One tab stop: the tree holds the focus and names its active row
 * (aria-activedescendant), which is outlined and scrolled into view.
 */
import { useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import { useFocusContextKey } from '../context-keys/held-keys.ts';
import type { WorkspaceDraftState } from '../../common/rpc/contract.ts';
import { isDirty } from './editor-tabs.ts';
import { FileIcon } from './FileIcon.tsx';
import { buildTree, moveInTree, toggleFolder, visibleRows, type TreeKey, type TreeRow } from './file-tree.ts';
import { openFile } from './workspace-actions.ts';
import { useWorkspaceEditor } from './workspace-store.ts';

const TREE_KEYS = new Set<string>(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End']);

const rowId = (id: string) => `ws-tree-${encodeURIComponent(id).replace(/%/g, '_')}`;

const DRAFT_MARK = { create: ['A', 'added'], modify: ['M', 'modified'], delete: ['D', 'deleted'] } as const;

function draftMark(draft: WorkspaceDraftState | undefined): readonly [string, string] | null {
  if (!draft) return null;
  if (draft.operation === 'modify') {
    const text = draft.unsavedContent ?? draft.savedContent;
    if (text === draft.baseContent) return null;
  }
  return DRAFT_MARK[draft.operation];
}

function Row(props: {
  readonly row: TreeRow;
  readonly expanded: boolean;
  readonly focused: boolean;
  readonly active: boolean;
  readonly mark: readonly [string, string] | null;
  readonly unsaved: boolean;
  readonly onPick: (row: TreeRow) => void;
}) {
  const { row } = props;
  const node = row.node;
  return (
    <li
      id={rowId(node.id)}
      role="treeitem"
      aria-level={row.depth + 1}
      aria-expanded={node.kind === 'folder' ? props.expanded : undefined}
      aria-selected={props.active}
      className={`ws-tree-row ${props.focused ? 'focused' : ''} ${props.active ? 'active' : ''}`}
      style={{ paddingLeft: 8 + row.depth * 14 }}
      data-path={node.id}
      title={node.id}
      onMouseDown={(e) => e.preventDefault()}
      onClick={() => props.onPick(row)}
    >
      {node.kind === 'folder' ? (
        <>
          <span className="ws-twisty" aria-hidden="true">
            {props.expanded ? '▾' : '▸'}
          </span>
          <span className="ws-name">{node.name}</span>
        </>
      ) : (
        <>
          <FileIcon path={node.id} />
          <span className="ws-name">{node.name}</span>
          {props.unsaved ? (
            <span className="ws-unsaved" title="Unsaved edits in the editor">
              ●
            </span>
          ) : null}
          {props.mark ? (
            <span className={`ws-mark ws-mark-${props.mark[0]}`} title={`Your draft: ${props.mark[1]}`}>
              {props.mark[0]}
            </span>
          ) : null}
        </>
      )}
    </li>
  );
}

export function FileTree(props: { readonly paths: readonly string[]; readonly label: string }) {
  const expanded = useWorkspaceEditor((s) => s.expanded);
  const focused = useWorkspaceEditor((s) => s.treeFocus);
  const tabs = useWorkspaceEditor((s) => s.tabs);
  const drafts = useWorkspaceEditor((s) => s.drafts);
  const tree = useMemo(() => buildTree(props.paths), [props.paths]);
  const rows = useMemo(() => visibleRows(tree, expanded), [tree, expanded]);
  const draftByPath = useMemo(() => new Map((drafts ?? []).map((d) => [d.path, d])), [drafts]);
  const list = useRef<HTMLUListElement>(null);
  useFocusContextKey('workspaces.treeFocus', list);

  useEffect(() => {
    if (!focused) return;
    document.getElementById(rowId(focused))?.scrollIntoView({ block: 'nearest' });
  }, [focused]);

  function pick(row: TreeRow): void {
    useWorkspaceEditor.setState({ treeFocus: row.node.id });
    if (row.node.kind === 'folder')
      useWorkspaceEditor.setState((s) => ({ expanded: toggleFolder(s.expanded, row.node.id) }));
    else void openFile(row.node.id);
    list.current?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLUListElement>): void {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (TREE_KEYS.has(event.key)) {
      event.preventDefault();
      const move = moveInTree(rows, expanded, focused, event.key as TreeKey);
      useWorkspaceEditor.setState({ treeFocus: move.focused, expanded: move.expanded });
    } else if (event.key === 'Enter' || event.key === ' ') {
      const row = rows.find((r) => r.node.id === focused);
      if (!row) return;
      event.preventDefault();
      pick(row);
    }
  }

  return (
    <ul
      ref={list}
      className="ws-tree"
      role="tree"
      aria-label={props.label}
      tabIndex={0}
      data-testid="workspace-tree"
      aria-activedescendant={focused && rows.some((r) => r.node.id === focused) ? rowId(focused) : undefined}
      onKeyDown={onKeyDown}
      onFocus={() => {
        if (!focused && rows[0]) useWorkspaceEditor.setState({ treeFocus: rows[0].node.id });
      }}
    >
      {rows.map((row) => {
        const tab = tabs.tabs.find((t) => t.path === row.node.id);
        return (
          <Row
            key={row.node.id}
            row={row}
            expanded={expanded.has(row.node.id)}
            focused={focused === row.node.id}
            active={tabs.active === row.node.id}
            mark={row.node.kind === 'file' ? draftMark(draftByPath.get(row.node.id)) : null}
            unsaved={tab ? isDirty(tab) : false}
            onPick={pick}
          />
        );
      })}
    </ul>
  );
}
