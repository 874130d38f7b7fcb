/**
 * renderer/workspaces/view.tsx: the workspace editor view (`#/workspaces`, `g w`): the workspaces, then
 * one workspace's files in a tree and Monaco, edits kept as local drafts, Validate, changesets made of
 * the drafts, Quick open and search across files, runs of record on the server (Validate on the
 * server, Jest tests, SuiteQL assertions) with their output. Keys: `g w` from anywhere; in the view (also while
 * typing in the editor), Mod+S saves the open file, Mod+Shift+M validates and shows the problems, Mod+P
 * opens Quick open, Mod+Shift+F shows the Search panel (seeded with the editor's selection); the tree,
 * tabs, Quick open and the search handle their own keys (elementKeys). Every action is also a palette
 * command while a workspace is open.
 */
import { navigate } from '../app/routes.ts';
import type { View } from '../shell/contribution.ts';
import { workspacesAddress, type WorkspacesParams } from './route.ts';
import { deleteFile, newFile, renameFile } from './file-actions.ts';
import { requestRun } from './run-actions.ts';
import { openQuickOpen, showSearch } from './search-actions.ts';
import { closeActive, openChangesetForm, saveActive, showPanel, validate } from './workspace-actions.ts';
import { Workspaces } from './Workspaces.tsx';

const open = 'view == workspaces && workspaces.open';
const tree = 'view == workspaces && workspaces.treeFocus';
const quickOpen = 'view == workspaces && workspaces.quickOpen';
const search = 'view == workspaces && workspaces.searchFocus';

export const workspacesView: View<WorkspacesParams> = {
  ...workspacesAddress,
  title: 'Workspaces',
  permission: 'workspaces:read',
  nav: { label: 'Workspaces', order: 7, params: { workspaceId: null, path: null } },
  render: (params) => <Workspaces params={params} />,
  contextKeys: [
    { key: 'workspaces.open', description: 'a workspace is open in the editor' },
    {
      key: 'workspaces.treeFocus',
      description: 'the file tree has focus',
      label: 'when the file tree has focus',
    },
    { key: 'workspaces.quickOpen', description: 'Quick open (Mod+P) is shown' },
    { key: 'workspaces.searchFocus', description: 'the Search panel (its field or results) has focus' },
  ],
  commands: [
    {
      id: 'workspaces.open',
      title: 'Workspaces',
      category: 'Go to',
      when: 'signedIn',
      run: () => navigate(workspacesAddress, { workspaceId: null, path: null }),
    },
    {
      id: 'workspaces.quickOpen',
      title: 'Go to a file by name…',
      category: 'Workspace',
      when: open,
      run: openQuickOpen,
    },
    {
      id: 'workspaces.searchFiles',
      title: 'Search across the workspace’s files',
      category: 'Workspace',
      when: open,
      run: (context) => showSearch(context.keys['editorFocus'] === true),
    },
    {
      id: 'workspaces.save',
      title: 'Save the open file as a draft',
      category: 'Workspace',
      when: open,
      run: () => void saveActive(),
    },
    {
      id: 'workspaces.validate',
      title: 'Validate the workspace and show the problems',
      category: 'Workspace',
      when: open,
      run: () => void validate(),
    },
    {
      id: 'workspaces.createChangeset',
      title: 'Create a changeset from my drafts…',
      category: 'Workspace',
      when: open,
      run: openChangesetForm,
    },
    {
      id: 'workspaces.showChangesets',
      title: 'Show the workspace’s changesets',
      category: 'Workspace',
      when: open,
      run: () => showPanel('changesets'),
    },
    {
      id: 'workspaces.runValidate',
      title: 'Run: validate the workspace on the server',
      category: 'Workspace',
      when: open,
      run: () => void requestRun('sdf_validate'),
    },
    {
      id: 'workspaces.runTests',
      title: 'Run: the workspace’s Jest tests on the server',
      category: 'Workspace',
      when: open,
      run: () => void requestRun('jest_test'),
    },
    {
      id: 'workspaces.runSuiteql',
      title: 'Run: SuiteQL assertions',
      category: 'Workspace',
      when: open,
      run: () => void requestRun('suiteql_assertion'),
    },
    {
      id: 'workspaces.showRuns',
      title: 'Show the workspace’s runs',
      category: 'Workspace',
      when: open,
      run: () => showPanel('runs'),
    },
    {
      id: 'workspaces.newFile',
      title: 'New file…',
      category: 'Workspace',
      when: open,
      run: newFile,
    },
    {
      id: 'workspaces.renameFile',
      title: 'Rename or move the file…',
      category: 'Workspace',
      when: open,
      run: () => renameFile(),
    },
    {
      id: 'workspaces.deleteFile',
      title: 'Delete the file…',
      category: 'Workspace',
      when: open,
      run: () => deleteFile(),
    },
    {
      id: 'workspaces.closeFile',
      title: 'Close the open file',
      category: 'Workspace',
      when: open,
      run: closeActive,
    },
  ],
  keybindings: [
    { key: 'g w', command: 'workspaces.open', when: '!overlay' },
    { key: 'Mod+S', command: 'workspaces.save', when: `${open} && !overlay` },
    { key: 'Mod+Shift+M', command: 'workspaces.validate', when: `${open} && !overlay` },
    { key: 'Mod+P', command: 'workspaces.quickOpen', when: `${open} && !overlay` },
    { key: 'Mod+Shift+F', command: 'workspaces.searchFiles', when: `${open} && !overlay` },
    { key: 'n', command: 'workspaces.newFile', when: `${tree} && !overlay` },
    { key: 'F2', command: 'workspaces.renameFile', when: `${tree} && !overlay` },
    { key: 'Delete', command: 'workspaces.deleteFile', when: `${tree} && !overlay` },
  ],
  elementKeys: [
    { keys: ['ArrowUp', 'ArrowDown'], title: 'Move in the file tree', when: tree },
    { keys: ['ArrowRight', 'ArrowLeft'], title: 'Open or close a folder', when: tree },
    { keys: ['Home', 'End'], title: 'First or last file', when: tree },
    { keys: ['Enter'], title: 'Open the file, or open or close the folder', when: tree },
    { keys: ['ArrowUp', 'ArrowDown', 'Enter'], title: 'Quick open: choose a file, open it', when: quickOpen },
    {
      keys: ['Alt+C', 'Alt+W', 'Alt+R'],
      title: 'Search in files: match case, whole word, regular expression',
      when: search,
    },
    {
      keys: ['ArrowUp', 'ArrowDown', 'Enter'],
      title: 'Search in files: move through the results, open one',
      when: search,
    },
  ],
};
