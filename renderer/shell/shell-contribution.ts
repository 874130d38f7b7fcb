/**
 * renderer/shell/shell-contribution.ts: what the shell itself contributes, everywhere: the command
 * palette (Mod+K, also while typing), the shortcut sheet (`?`), Escape to close an overlay, Tab, and
 * the palette's tenant-scope commands for a holding user who sees several tenants.
 */
import { tenantLabel, useEngine } from '../state/engine-store.ts';
import { useUi } from '../state/ui-store.ts';
import type { Contribution, ProvidedCommand } from './contribution.ts';

function tenantScopes(): ProvidedCommand[] {
  const { session, tenantNames, setScope } = useEngine.getState();
  const visible = session?.tenant.visibleTenantIds ?? [];
  if (!session || visible.length <= 1) return [];
  return [
    {
      id: 'shell.scope.all',
      title: `Show every tenant of ${session.tenant.name}`,
      category: 'Tenant',
      run: () => setScope(null),
    },
    ...visible.map((id) => ({
      id: `shell.scope.${id}`,
      title: `Show only ${tenantLabel(tenantNames, id)}`,
      category: 'Tenant',
      run: () => setScope(id),
    })),
  ];
}

export const shellContribution: Contribution = {
  id: 'shell',
  title: 'Everywhere',
  commands: [
    {
      id: 'shell.palette',
      title: 'Open the command palette',
      category: 'Help',
      palette: false,
      run: () => {
        const ui = useUi.getState();
        ui.open(ui.overlay === 'palette' ? null : 'palette');
      },
    },
    {
      id: 'shell.shortcuts',
      title: 'Show the keyboard shortcuts',
      category: 'Help',
      run: () => useUi.getState().open('shortcuts'),
    },
    {
      id: 'shell.closeOverlay',
      title: 'Close the palette or the shortcuts',
      category: 'Help',
      when: 'overlay',
      palette: false,
      run: () => useUi.getState().open(null),
    },
  ],
  keybindings: [
    { key: 'Mod+K', command: 'shell.palette' },
    { key: '?', command: 'shell.shortcuts', when: '!overlay' },
    { key: 'Escape', command: 'shell.closeOverlay', when: 'overlay' },
  ],
  elementKeys: [{ keys: ['Tab', 'Shift+Tab'], title: 'Move between controls (focus is always visible)' }],
  providers: [{ id: 'shell.tenantScopes', when: 'signedIn', commands: tenantScopes }],
};
