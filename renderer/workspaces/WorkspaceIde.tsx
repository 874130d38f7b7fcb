/**
 * renderer/workspaces/WorkspaceIde.tsx: one workspace open for editing: its files as a tree on the
 * left, the open files as tabs over the Monaco editor (loaded lazily: the other views never download
 * Monaco), the actions (Save, Validate, Create changeset), and a panel below with the problems of the
 * last validation, the search across files, the workspace's changesets and its runs of record. The changeset form opens
 * beside the editor; Quick open (Mod+P) and the New file / Rename / Delete dialog over everything.
 *
 * Guarantees: the tree lists the workspace's files and the new files of this user's drafts; a
 * workspace that is not on this device (or not the reader's to see) says so instead of an empty tree.
 */
import { lazy, Suspense, useEffect, useMemo } from 'react';
import { formatHash } from '../app/routes.ts';
import { useContextKey } from '../context-keys/held-keys.ts';
import { useEngine } from '../state/engine-store.ts';
import { useNamedQuery } from '../state/use-named-query.ts';
import { ChangesetForm } from './ChangesetForm.tsx';
import { EditorTabs } from './EditorTabs.tsx';
import { FileTree } from './FileTree.tsx';
import { ProblemsPanel } from './ProblemsPanel.tsx';
import { newFile, useFileDialog } from './file-actions.ts';
import { FileDialog } from './FileDialog.tsx';
import { QuickOpen } from './QuickOpen.tsx';
import { RunsPanel } from './RunsPanel.tsx';
import { workspacesAddress } from './route.ts';
import { filesChanged, showSearch } from './search-actions.ts';
import { SearchPanel } from './SearchPanel.tsx';
import { problemsSummary } from './validation.ts';
import { dismissNotice, openChangesetForm, saveActive, showPanel, validate } from './workspace-actions.ts';
import { useWorkspaceEditor } from './workspace-store.ts';
import { WorkspaceChangesets } from './WorkspaceChangesets.tsx';

const CodeEditor = lazy(() => import('./CodeEditor.tsx'));

function Notice() {
  const notice = useWorkspaceEditor((s) => s.notice);
  if (!notice) return null;
  return (
    <div
      className={`ws-notice ${notice.tone === 'error' ? 'error-box' : 'info-box'}`}
      role="status"
      data-testid="workspace-notice"
    >
      <span>{notice.text}</span>
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={dismissNotice}>
        ×
      </button>
    </div>
  );
}

function Panel(props: { readonly workspaceId: string; readonly paths: ReadonlySet<string> }) {
  const panel = useWorkspaceEditor((s) => s.panel);
  const problems = useWorkspaceEditor((s) => s.problems);
  return (
    <section className="ws-panel" aria-label="Panel">
      <div className="ws-panel-tabs" role="tablist" aria-label="Panels">
        <button
          type="button"
          role="tab"
          aria-selected={panel === 'problems'}
          onClick={() => showPanel('problems')}
        >
          Problems {problems ? <span className="muted">({problemsSummary(problems)})</span> : null}
        </button>
        <button type="button" role="tab" aria-selected={panel === 'search'} onClick={() => showSearch(false)}>
          Search
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={panel === 'changesets'}
          onClick={() => showPanel('changesets')}
        >
          Changesets
        </button>
        <button type="button" role="tab" aria-selected={panel === 'runs'} onClick={() => showPanel('runs')}>
          Runs
        </button>
      </div>
      <div className="ws-panel-body" role="tabpanel">
        {panel === 'problems' ? <ProblemsPanel paths={props.paths} /> : null}
        {panel === 'search' ? <SearchPanel /> : null}
        {panel === 'changesets' ? <WorkspaceChangesets workspaceId={props.workspaceId} /> : null}
        {panel === 'runs' ? <RunsPanel workspaceId={props.workspaceId} /> : null}
      </div>
    </section>
  );
}

export function WorkspaceIde(props: { readonly workspaceId: string }) {
  const scope = useEngine((s) => s.scope);
  const mayPropose = useEngine((s) => s.session?.user.permissions.includes('changesets:write') ?? false);
  const workspaces = useNamedQuery({ name: 'workspaces.list', params: { tenantId: scope } });
  const files = useNamedQuery({
    name: 'workspaces.files',
    params: { workspaceId: props.workspaceId, tenantId: scope },
  });
  const drafts = useWorkspaceEditor((s) => s.drafts);
  const hasTabs = useWorkspaceEditor((s) => s.tabs.tabs.length > 0);
  const formOpen = useWorkspaceEditor((s) => s.formOpen);
  const validating = useWorkspaceEditor((s) => s.validating);
  const quickOpen = useWorkspaceEditor((s) => s.quickOpen);
  const workspace = workspaces?.find((w) => w.id === props.workspaceId);
  useContextKey('workspaces.open', true);
  const paths = useMemo(() => {
    const all = new Set((files ?? []).map((f) => f.path));
    for (const d of drafts ?? []) if (d.operation === 'create') all.add(d.path);
    return all;
  }, [files, drafts]);
  const pathList = useMemo(() => [...paths], [paths]);
  // What a new file may not be called: every path shown, except files my drafts delete.
  const taken = useMemo(() => {
    const deleted = new Set((drafts ?? []).filter((d) => d.operation === 'delete').map((d) => d.path));
    return new Set(pathList.filter((p) => !deleted.has(p)));
  }, [pathList, drafts]);
  const fileDialog = useFileDialog((s) => s.dialog);
  // The search reads the files' texts again once the workspace's files change.
  useEffect(() => filesChanged(), [files]);

  if (workspaces !== null && !workspace)
    return (
      <div className="ws-list-view">
        <h1>Workspace not found</h1>
        <p>This workspace is not on this device, or it is not yours to see.</p>
        <a href={formatHash(workspacesAddress, { workspaceId: null, path: null })}>All workspaces</a>
      </div>
    );

  return (
    <div className={`ws-ide ${formOpen ? 'with-form' : ''}`} data-testid="workspace-ide">
      <aside className="ws-side" aria-label="Files">
        <header className="ws-side-header">
          <a href={formatHash(workspacesAddress, { workspaceId: null, path: null })} className="ws-back">
            Workspaces
          </a>
          <h1 title={workspace?.description ?? undefined}>{workspace?.name ?? '…'}</h1>
          {workspace?.tenant_name ? <span className="muted">{workspace.tenant_name}</span> : null}
          {mayPropose ? (
            <button
              type="button"
              className="button ws-new-file"
              onClick={newFile}
              title="New file (n in the tree)"
            >
              New file…
            </button>
          ) : null}
        </header>
        {files === null ? <p className="muted ws-side-note">Reading this device’s data…</p> : null}
        {files?.length === 0 ? <p className="muted ws-side-note">No files yet.</p> : null}
        <FileTree paths={pathList} label={`Files of ${workspace?.name ?? 'the workspace'}`} />
      </aside>
      <div className="ws-main">
        <div className="ws-toolbar">
          <EditorTabs />
          <span className="spacer" />
          <button type="button" className="button" onClick={() => void saveActive()} disabled={!hasTabs}>
            Save
          </button>
          <button type="button" className="button" onClick={() => void validate()} disabled={validating}>
            {validating ? 'Validating…' : 'Validate'}
          </button>
          {mayPropose ? (
            <button type="button" className="button button-primary" onClick={openChangesetForm}>
              Create changeset…
            </button>
          ) : null}
        </div>
        <Notice />
        <div className="ws-editor-area">
          {hasTabs ? (
            <Suspense fallback={<p className="muted ws-side-note">Loading the editor…</p>}>
              <CodeEditor workspaceId={props.workspaceId} />
            </Suspense>
          ) : (
            <p className="muted ws-empty-editor">
              Choose a file in the tree (arrow keys, then Enter) to edit it.
            </p>
          )}
        </div>
        <Panel workspaceId={props.workspaceId} paths={paths} />
      </div>
      {formOpen ? <ChangesetForm /> : null}
      {quickOpen ? <QuickOpen paths={pathList} /> : null}
      {fileDialog ? <FileDialog key={JSON.stringify(fileDialog)} taken={taken} /> : null}
    </div>
  );
}
