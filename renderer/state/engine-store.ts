/**
 * renderer/state/engine-store.ts: what the UI knows about the core, as one zustand store fed by the
 * core's live subscriptions: the session, the sync status, the write list, the table catalog and the
 * names of the tenants the user can see.
 *
 *   boot: connectCore() ─► attachEngine(client) ─► subscriptions session.current, sync.status,
 *         writes.list (for the life of the window) ─► on every new account: catalog.tables and a live
 *         `tenants` query
 *
 * Guarantees: the store only ever holds what the core last said (no optimistic copies of its state);
 * when the account changes, everything account-bound (catalog, tenant names, tenant scope) is reset
 * before the new account's values arrive, so a view can never mix two accounts' data.
 */
import { create } from 'zustand';
import type { RpcClient } from '../../common/rpc/client.ts';
import type { Session, SyncStatus, TableInfo, WriteState } from '../../common/rpc/contract.ts';
import { OutpostError } from '../../common/errors.ts';

export type BootState =
  | { readonly phase: 'connecting' }
  | { readonly phase: 'failed'; readonly code: string; readonly message: string }
  | { readonly phase: 'ready' };

export interface EngineState {
  readonly boot: BootState;
  readonly client: RpcClient | null;
  readonly session: Session | null;
  /** Set once the session has been looked up (saved account resumed or none). */
  readonly sessionKnown: boolean;
  readonly sync: SyncStatus | null;
  readonly writes: readonly WriteState[];
  readonly tables: readonly TableInfo[];
  readonly catalogError: string | null;
  /** Tenant id → name, for every tenant the user can see. */
  readonly tenantNames: Readonly<Record<string, string>>;
  /** The tenant a holding user narrowed the views to; null: every visible tenant. */
  readonly scope: string | null;
  setScope: (tenantId: string | null) => void;
}

export const useEngine = create<EngineState>()((set) => ({
  boot: { phase: 'connecting' },
  client: null,
  session: null,
  sessionKnown: false,
  sync: null,
  writes: [],
  tables: [],
  catalogError: null,
  tenantNames: {},
  scope: null,
  setScope: (tenantId) => set({ scope: tenantId }),
}));

/** The connected client; throws before boot finished (views only render after it). */
export function engineClient(): RpcClient {
  const client = useEngine.getState().client;
  if (!client) throw new OutpostError('internal', 'The engine is not connected yet.');
  return client;
}

function accountOf(session: Session | null): string | null {
  return session ? `${session.serverUrl}|${session.tenant.id}|${session.user.id}` : null;
}

/** Follows the core for the life of the window. Returns a function that stops following. */
export function attachEngine(client: RpcClient): () => void {
  const set = useEngine.setState;
  set({ client, boot: { phase: 'ready' } });
  let account: string | null = null;
  let stopAccount: (() => void) | null = null;

  const onSession = (session: Session | null) => {
    const next = accountOf(session);
    set({ session });
    if (next === account) return;
    account = next;
    stopAccount?.();
    stopAccount = null;
    set({ tables: [], tenantNames: {}, scope: null, catalogError: null });
    if (session) stopAccount = followAccount(client, session);
  };

  // The network is back: retry sync and uploads now rather than at the end of their backoff.
  const onOnline = () => void client.call('sync.retry', undefined).catch(() => undefined);
  window.addEventListener('online', onOnline);
  const stops = [
    () => window.removeEventListener('online', onOnline),
    client.subscribe('session.current', undefined, onSession),
    client.subscribe('sync.status', undefined, (sync) => set({ sync })),
    client.subscribe('writes.list', undefined, (writes) => set({ writes })),
  ];
  return () => {
    for (const stop of stops) stop();
    stopAccount?.();
  };
}

/** The catalog and tenant names of one account; stops when the account changes. */
function followAccount(client: RpcClient, session: Session): () => void {
  const set = useEngine.setState;
  let ended = false;
  let stopTenants: (() => void) | null = null;
  // The session is announced as soon as sign-in succeeds; the account's database opens just after,
  // so the catalog may answer signed_out for a moment: ask again until it answers for this account.
  const load = (attempt: number) =>
    client.call('catalog.tables', undefined).then(
      (tables) => {
        if (ended) return;
        set({ tables, catalogError: null });
        if (tables.some((t) => t.table === 'tenants'))
          stopTenants = client.subscribe('table.query', { table: 'tenants', limit: 1000 }, (page) => {
            const names: Record<string, string> = { ...known };
            for (const row of page.rows) {
              const id = row['id'];
              const name = row['name'];
              if (typeof id === 'string') names[id] = typeof name === 'string' ? name : id;
            }
            set({ tenantNames: names });
          });
      },
      (error: unknown) => {
        if (ended) return;
        // While this account's database opens (migrations on a first sign-in can take seconds).
        if (error instanceof OutpostError && error.code === 'signed_out') {
          setTimeout(() => void load(attempt + 1), Math.min(1_000, 100 * 2 ** attempt));
          return;
        }
        set({ catalogError: error instanceof Error ? error.message : String(error) });
      },
    );
  void load(0);
  // The names the server sent with the session, until the tenants table (synced) says otherwise.
  const known: Record<string, string> = { [session.tenant.id]: session.tenant.name };
  for (const tenant of session.tenant.visibleTenants) known[tenant.id] = tenant.name;
  set({ tenantNames: known });
  return () => {
    ended = true;
    stopTenants?.();
  };
}

/** The name of a tenant id as the user knows it (falls back to a short id). */
export function tenantLabel(names: Readonly<Record<string, string>>, id: unknown): string {
  const key = typeof id === 'string' ? id : '';
  return names[key] ?? (key.length > 8 ? `${key.slice(0, 8)}…` : key);
}
