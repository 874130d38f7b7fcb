/**
 * renderer/workspaces/route.ts: the workspace editor's address: `#/workspaces` (the list),
 * `#/workspaces/<workspace id>` (its files) and `#/workspaces/<workspace id>/<file path>` (that file
 * open; the path is one URI-encoded segment). Its own module so that the editor's components can link
 * to files without importing the view (renderer/workspaces/view.tsx).
 *
 * Guarantee: the workspace segment is accepted only as a uuid and the path only as a relative path
 * inside the workspace (no leading `/`, no `..`, no empty segment, no NUL, at most 1,000 characters);
 * anything else opens the list, so a URL cannot name anything else.
 */
import type { ViewAddress } from '../shell/contribution.ts';

export interface WorkspacesParams {
  readonly workspaceId: string | null;
  readonly path: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether `path` is a relative path inside a workspace. */
export function isWorkspacePath(path: string): boolean {
  if (path.length === 0 || path.length > 1000 || path.includes('\u0000')) return false;
  const parts = path.split('/');
  return parts.every((p) => p.length > 0 && p !== '..' && p !== '.');
}

/** A URL segment as a workspace path: null when absent, undefined when it is not one. */
export function decodedPath(segment: string | undefined): string | null | undefined {
  if (segment === undefined) return null;
  try {
    const path = decodeURIComponent(segment);
    return isWorkspacePath(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

const LIST: WorkspacesParams = { workspaceId: null, path: null };

export const workspacesAddress: ViewAddress<WorkspacesParams> = {
  id: 'workspaces',
  route: {
    path: 'workspaces',
    parse: ([id, path, ...rest]) => {
      if (id === undefined || !UUID.test(id) || rest.length > 0) return LIST;
      return { workspaceId: id, path: decodedPath(path) ?? null };
    },
    format: ({ workspaceId, path }) =>
      workspaceId ? [workspaceId, ...(path ? [encodeURIComponent(path)] : [])] : [],
    examples: [
      LIST,
      { workspaceId: '0b6f7a52-4c1e-4d0e-9a55-2f1d3c4b5a69', path: null },
      {
        workspaceId: '0b6f7a52-4c1e-4d0e-9a55-2f1d3c4b5a69',
        path: 'src/FileCabinet/SuiteScripts/ue salesorder (v2).js',
      },
    ],
  },
};
