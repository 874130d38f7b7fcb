/**
 * renderer/workspaces/Workspaces.tsx: the workspaces view's outlet: the list, or one workspace open
 * for editing with the file of the address open in a tab. Entering a workspace resets the editor's
 * state (renderer/workspaces/workspace-actions.ts enterWorkspace); the address follows the open file,
 * so a reload comes back to it, its draft's text included.
 */
import { useEffect } from 'react';
import type { WorkspacesParams } from './route.ts';
import { enterWorkspace, openFile } from './workspace-actions.ts';
import { WorkspaceIde } from './WorkspaceIde.tsx';
import { WorkspaceList } from './WorkspaceList.tsx';
import { useWorkspaceEditor } from './workspace-store.ts';
import './workspaces.css';

export function Workspaces({ params }: { readonly params: WorkspacesParams }) {
  const { workspaceId, path } = params;
  const entered = useWorkspaceEditor((s) => s.workspaceId);
  useEffect(() => enterWorkspace(workspaceId), [workspaceId]);
  useEffect(() => {
    if (workspaceId && entered === workspaceId && path) void openFile(path);
  }, [workspaceId, entered, path]);
  return workspaceId ? <WorkspaceIde workspaceId={workspaceId} /> : <WorkspaceList />;
}
