/**
 * renderer/workspaces/file-tree.ts: a workspace's file tree, built from its files' paths, and what the
 * keyboard does in it (as VS Code's explorer: Up / Down move, Right opens a folder or goes to its first
 * child, Left closes it or goes to the parent, Home / End).
 *
 *   paths ─► buildTree ─► folders first, then files, each by name (case-insensitive, then exact)
 *         ─► visibleRows(tree, expanded) ─► the rows on screen, depth-first, with their depth
 *         ─► moveInTree(rows, expanded, focused, key) ─► the next focus and expanded set
 *
 * Pure: no React, no engine. Guarantees: every path appears once as a file row (empty segments from
 * `a//b` or a leading or trailing slash are ignored); a folder's id is its path with a trailing `/`,
 * so a file and a folder never share an id; a path that is both a file and a folder's prefix gives
 * both.
 */

export interface TreeFolder {
  readonly kind: 'folder';
  /** `src/FileCabinet/` (trailing slash). */
  readonly id: string;
  readonly name: string;
  readonly children: readonly TreeNode[];
}

export interface TreeFile {
  readonly kind: 'file';
  /** The file's path, as stored. */
  readonly id: string;
  readonly name: string;
  readonly fileType: FileType;
}

export type TreeNode = TreeFolder | TreeFile;

export type FileType = 'javascript' | 'typescript' | 'xml' | 'json' | 'sql' | 'markdown' | 'text';

const EXTENSIONS: Readonly<Record<string, FileType>> = {
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  ts: 'typescript',
  xml: 'xml',
  json: 'json',
  sql: 'sql',
  suiteql: 'sql',
  md: 'markdown',
};

/** The type of a file by its extension (case-insensitive); `text` when unknown. */
export function fileTypeOf(path: string): FileType {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return 'text';
  return EXTENSIONS[name.slice(dot + 1).toLowerCase()] ?? 'text';
}

interface MutableFolder {
  id: string;
  name: string;
  folders: Map<string, MutableFolder>;
  files: TreeFile[];
}

const byName = (a: { name: string }, b: { name: string }) => {
  const la = a.name.toLowerCase();
  const lb = b.name.toLowerCase();
  if (la !== lb) return la < lb ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
};

function freeze(folder: MutableFolder): TreeNode[] {
  const folders = [...folder.folders.values()]
    .sort(byName)
    .map((f): TreeFolder => ({ kind: 'folder', id: f.id, name: f.name, children: freeze(f) }));
  return [...folders, ...[...folder.files].sort(byName)];
}

/** The tree of `paths` (the root's children). */
export function buildTree(paths: readonly string[]): TreeNode[] {
  const root: MutableFolder = { id: '', name: '', folders: new Map(), files: [] };
  for (const path of new Set(paths)) {
    const parts = path.split('/').filter((p) => p.length > 0);
    const name = parts.pop();
    if (name === undefined) continue;
    let folder = root;
    for (const part of parts) {
      let next = folder.folders.get(part);
      if (!next) {
        next = { id: `${folder.id}${part}/`, name: part, folders: new Map(), files: [] };
        folder.folders.set(part, next);
      }
      folder = next;
    }
    folder.files.push({ kind: 'file', id: path, name, fileType: fileTypeOf(path) });
  }
  return freeze(root);
}

export interface TreeRow {
  readonly node: TreeNode;
  readonly depth: number;
  /** The folder row above it (null at the top level). */
  readonly parentId: string | null;
}

/** The rows on screen: depth-first, a folder's children only when it is expanded. */
export function visibleRows(tree: readonly TreeNode[], expanded: ReadonlySet<string>): TreeRow[] {
  const rows: TreeRow[] = [];
  const walk = (nodes: readonly TreeNode[], depth: number, parentId: string | null) => {
    for (const node of nodes) {
      rows.push({ node, depth, parentId });
      if (node.kind === 'folder' && expanded.has(node.id)) walk(node.children, depth + 1, node.id);
    }
  };
  walk(tree, 0, null);
  return rows;
}

/** Every folder above `path` (to reveal a file): `a/b/c.js` gives `a/`, `a/b/`. */
export function foldersAbove(path: string): string[] {
  const parts = path.split('/').filter((p) => p.length > 0);
  parts.pop();
  return parts.map((_, i) => `${parts.slice(0, i + 1).join('/')}/`);
}

export type TreeKey = 'ArrowUp' | 'ArrowDown' | 'ArrowLeft' | 'ArrowRight' | 'Home' | 'End';

export interface TreeMove {
  readonly focused: string | null;
  readonly expanded: ReadonlySet<string>;
}

/** What `key` does with the focus on `focused` (null: nothing focused yet: the first row). */
export function moveInTree(
  rows: readonly TreeRow[],
  expanded: ReadonlySet<string>,
  focused: string | null,
  key: TreeKey,
): TreeMove {
  const index = rows.findIndex((r) => r.node.id === focused);
  const at = (i: number): TreeMove => ({ focused: rows[i]?.node.id ?? focused, expanded });
  if (rows.length === 0) return { focused: null, expanded };
  if (index < 0 || key === 'Home') return at(0);
  if (key === 'End') return at(rows.length - 1);
  if (key === 'ArrowDown') return at(Math.min(index + 1, rows.length - 1));
  if (key === 'ArrowUp') return at(Math.max(index - 1, 0));
  const row = rows[index] as TreeRow;
  const isOpenFolder = row.node.kind === 'folder' && expanded.has(row.node.id);
  if (key === 'ArrowRight') {
    if (row.node.kind !== 'folder') return at(index);
    if (!isOpenFolder) return { focused: row.node.id, expanded: new Set([...expanded, row.node.id]) };
    return row.node.children.length > 0 ? at(index + 1) : at(index);
  }
  // ArrowLeft: close an open folder, else go to the parent folder.
  if (isOpenFolder) {
    const next = new Set(expanded);
    next.delete(row.node.id);
    return { focused: row.node.id, expanded: next };
  }
  return row.parentId === null ? at(index) : { focused: row.parentId, expanded };
}

/** Opens or closes folder `id`. */
export function toggleFolder(expanded: ReadonlySet<string>, id: string): ReadonlySet<string> {
  const next = new Set(expanded);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}
