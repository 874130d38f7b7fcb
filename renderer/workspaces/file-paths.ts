/**
 * renderer/workspaces/file-paths.ts: what a new file's path (or a file's new name) must be before any
 * draft is made of it, as a sentence for the field: inside the workspace, not taken, a file name and
 * not a folder. Pure.
 */
import { isWorkspacePath } from './route.ts';

/** Why `path` cannot be a new file of a workspace holding `taken` (files and new drafts), or null. */
export function pathProblem(
  path: string,
  taken: ReadonlySet<string>,
  from: string | null = null,
): string | null {
  const p = path.trim();
  if (p === '') return 'Give the file a name, with its folders: src/FileCabinet/SuiteScripts/new.js.';
  if (p.endsWith('/')) return 'That is a folder: end the path with the file’s name.';
  if (p.startsWith('/')) return 'Start inside the workspace: no leading “/”.';
  if (p.length > 1000) return 'That path is longer than 1,000 characters.';
  if (!isWorkspacePath(p)) return 'Use folder names separated by “/”, without “.”, “..” or empty parts.';
  if (p === from) return 'That is its name already.';
  if (taken.has(p)) return `${p} already exists; choose another name.`;
  const asFolder = `${p}/`;
  for (const other of taken) if (other.startsWith(asFolder)) return `${p} is a folder; choose another name.`;
  for (const other of taken)
    if (p.startsWith(`${other}/`))
      return `${other} is a file, so it cannot hold ${p.slice(other.length + 1)}.`;
  return null;
}

/** The folder a new file starts in: the focused row's folder (tree ids of folders end in '/'). */
export function folderOf(treeFocus: string | null): string {
  if (!treeFocus) return '';
  if (treeFocus.endsWith('/')) return treeFocus;
  const at = treeFocus.lastIndexOf('/');
  return at < 0 ? '' : treeFocus.slice(0, at + 1);
}
