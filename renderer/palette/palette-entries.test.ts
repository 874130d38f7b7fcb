import { afterEach, describe, expect, it } from 'vitest';
import type { Session, TableInfo } from '../../common/rpc/contract.ts';
import { commandAvailable, type InvocationContext } from '../shell/registry.ts';
import { useEngine } from '../state/engine-store.ts';
import { REGISTRY } from '../views.ts';
import { paletteEntries } from './palette-entries.ts';

const table = (name: string, domainLabel: string): TableInfo =>
  ({
    table: name,
    title: name.charAt(0).toUpperCase() + name.slice(1).replace(/_/g, ' '),
    domainLabel,
    columns: [],
    primaryKey: ['id'],
    hasTenant: true,
    writable: null,
  }) as unknown as TableInfo;

const session = (visibleTenantIds: string[]): Session => ({
  serverUrl: 'https://sync.test',
  user: { id: 'u', email: 'a@acme.test', fullName: null, role: 'admin', roles: ['admin'], permissions: [] },
  tenant: {
    id: 't1',
    slug: 'acme',
    name: 'Acme',
    type: 'company',
    visibleTenantIds,
    visibleTenants: visibleTenantIds.map((id) => ({ id, slug: id, name: id })),
  },
  offline: false,
});

const context = (keys: InvocationContext['keys']): InvocationContext => ({ keys, permissions: new Set() });

afterEach(() => useEngine.setState({ session: null, tables: [], tenantNames: {} }));

describe('paletteEntries', () => {
  it("lists exactly the registry's available commands, then the providers' ones", () => {
    useEngine.setState({
      session: session(['t1']),
      tables: [table('workflows', 'Work'), table('approval_requests', 'Approvals')],
    });
    const where = context({ signedIn: true, view: 'home', overlay: false, inputFocus: false });
    const ids = paletteEntries(REGISTRY, where, 'other').map((e) => e.id);
    const registered = REGISTRY.commands
      .filter((c) => c.command.palette !== false && commandAvailable(c, where))
      .map((c) => c.command.id);
    expect(new Set(ids.slice(0, registered.length))).toEqual(new Set(registered));
    expect(ids.slice(registered.length)).toEqual([
      'explorer.table.workflows',
      'explorer.table.approval_requests',
    ]);
    expect(ids).toEqual([
      'home.open',
      'inbox.open',
      'explorer.open',
      'settings.open',
      'settings.backup',
      'settings.switchAccount',
      'settings.signOut',
      'sync.retry',
      'shell.shortcuts',
      'explorer.table.workflows',
      'explorer.table.approval_requests',
    ]);
  });

  it('shows keybindings as hints, and a provider its own', () => {
    useEngine.setState({ session: session(['t1']), tables: [table('workflows', 'Work')] });
    const entries = paletteEntries(REGISTRY, context({ signedIn: true, view: 'home' }), 'mac');
    const byId = new Map(entries.map((e) => [e.id, e]));
    expect(byId.get('explorer.open')).toMatchObject({
      section: 'Go to',
      title: 'Data explorer',
      hint: 'g e',
    });
    expect(byId.get('shell.shortcuts')?.hint).toBe('?');
    expect(byId.get('explorer.table.workflows')).toMatchObject({
      section: 'Open table',
      title: 'Workflows',
      hint: 'Work · workflows',
    });
  });

  it("lists a view's commands where they apply: the explorer's on an open table", () => {
    const ids = (keys: InvocationContext['keys']) =>
      paletteEntries(REGISTRY, context({ signedIn: true, ...keys }), 'other').map((e) => e.id);
    expect(ids({ view: 'home' })).not.toContain('explorer.filter');
    expect(ids({ view: 'explorer', 'explorer.tableOpen': true })).toContain('explorer.filter');
    expect(ids({ view: 'explorer', 'explorer.tableOpen': true })).not.toContain('explorer.newRow');
    expect(ids({ view: 'explorer', 'explorer.tableOpen': true, 'explorer.canInsert': true })).toContain(
      'explorer.newRow',
    );
    // Never listed: reachable through their keys only.
    expect(ids({ view: 'explorer', 'explorer.tableOpen': true, 'explorer.detailOpen': true })).not.toContain(
      'explorer.closeDetail',
    );
  });

  it('offers sign-in and help alone without a session', () => {
    const ids = paletteEntries(REGISTRY, context({ signedIn: false, view: 'sign-in' }), 'other').map(
      (e) => e.id,
    );
    expect(ids).toEqual(['sign-in.open', 'shell.shortcuts']);
  });

  it("offers a holding user's tenants as scopes", () => {
    useEngine.setState({ session: session(['t1', 't2']), tenantNames: { t1: 'Acme', t2: 'Acme Labs' } });
    const entries = paletteEntries(REGISTRY, context({ signedIn: true, view: 'home' }), 'other');
    expect(entries.filter((e) => e.section === 'Tenant').map((e) => e.title)).toEqual([
      'Show every tenant of Acme',
      'Show only Acme',
      'Show only Acme Labs',
    ]);
  });
});
