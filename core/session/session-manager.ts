/**
 * core/session/session-manager.ts: who is signed in on this device, their tokens, and staying signed
 * in: sign in once, keep working offline with the last good session, refresh before tokens expire.
 *
 *   signIn ─► server ─► tokens + session ─► saved in the host's SecretStore ─► active
 *   resume ─► SecretStore ─► session (offline: true) ─► refresh when the server answers ─► active
 *   accessToken() ─► current token, refreshed (once, shared by concurrent callers) when it expires
 *                    within `refreshMarginMs`; offline: the current token (the caller's request fails
 *                    as offline, and is retried later)
 *   refresh refused (401: revoked, expired, reused) ─► `signInRequired`; the session and all local
 *                    data and pending writes stay, until the user signs in again or signs out
 *
 * Guarantees: a signed-in account is identified by server, tenant and user (`accountKey`), so the
 * engine keeps each account's data apart and switching user or tenant never shows another's rows;
 * signOut forgets the tokens (and tells the server, best effort); listeners see every change.
 */
import { OutpostError, isOutpostError } from '../../common/errors.ts';
import type { SavedAccount, Session } from '../../common/rpc/contract.ts';
import { AuthClient, TokensSchema, type Tokens } from './auth-client.ts';

/** Secret storage the host provides (Electron: safeStorage; Node: a 0600 file; browser: IndexedDB). */
export interface SecretStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

const STORE_KEY = 'outpost.session';

export interface SessionState {
  readonly session: Session | null;
  /** The server refused the refresh token: sign in again (data and pending writes are kept). */
  readonly signInRequired: boolean;
}

export interface SessionManagerOptions {
  readonly store: SecretStore;
  readonly client?: AuthClient;
  readonly refreshMarginMs?: number;
  readonly now?: () => number;
}

interface Saved {
  readonly serverUrl: string;
  readonly tokens: Tokens;
  /**
   * The user signed out: the tokens are gone (revoked on the server, blanked here), the account and its
   * data stay on the device. It can be continued offline; syncing needs a sign-in.
   */
  readonly signedOut?: boolean;
}

function sessionOf(serverUrl: string, tokens: Tokens, offline: boolean): Session {
  return {
    serverUrl,
    offline,
    user: {
      id: tokens.user.id,
      email: tokens.user.email,
      fullName: tokens.user.full_name,
      role: tokens.user.role,
      roles: tokens.user.roles,
      permissions: tokens.user.permissions,
    },
    tenant: {
      id: tokens.tenant.id,
      slug: tokens.tenant.slug,
      name: tokens.tenant.name,
      type: tokens.tenant.type,
      visibleTenantIds: tokens.tenant.visible_tenant_ids,
      visibleTenants: tokens.tenant.visible_tenants ?? [
        { id: tokens.tenant.id, slug: tokens.tenant.slug, name: tokens.tenant.name },
      ],
    },
  };
}

export function accountKey(session: Pick<Session, 'serverUrl' | 'tenant' | 'user'>): string {
  const host = new URL(session.serverUrl).host;
  return `${host}/${session.tenant.id}/${session.user.id}`;
}

export class SessionManager {
  private saved: Saved | null = null;
  private current: SessionState = { session: null, signInRequired: false };
  private refreshing: Promise<void> | null = null;
  private readonly listeners = new Set<(state: SessionState) => void>();
  private readonly client: AuthClient;
  private readonly refreshMarginMs: number;
  private readonly now: () => number;

  constructor(private readonly options: SessionManagerOptions) {
    this.client = options.client ?? new AuthClient();
    this.refreshMarginMs = options.refreshMarginMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  get state(): SessionState {
    return this.current;
  }

  subscribe(listener: (state: SessionState) => void): () => void {
    this.listeners.add(listener);
    listener(this.current);
    return () => this.listeners.delete(listener);
  }

  async signIn(
    serverUrl: string,
    credentials: { email: string; password: string; tenant: string },
  ): Promise<Session> {
    const tokens = await this.client.login(serverUrl, credentials);
    await this.adopt({ serverUrl, tokens }, false);
    return this.requireSession();
  }

  /** The account saved on this device (no tokens), or null; never touches the network. */
  async savedAccount(): Promise<SavedAccount | null> {
    const saved = await this.readSaved().catch(() => null);
    if (!saved) return null;
    const { user, tenant } = saved.tokens;
    return {
      serverUrl: saved.serverUrl,
      email: user.email,
      fullName: user.full_name,
      tenantSlug: tenant.slug,
      tenantName: tenant.name,
    };
  }

  /**
   * The cached account, usable offline; refreshes in the background when the server can be reached.
   * After a sign-out the account opens offline with sign-in required: its data and unsent changes are
   * there, and nothing reaches the server until the user signs in again.
   */
  async resume(): Promise<Session> {
    const saved = await this.readSaved();
    if (!saved) throw new OutpostError('signed_out', 'No account is saved on this device; sign in first.');
    this.saved = saved;
    this.set({
      session: sessionOf(saved.serverUrl, saved.tokens, true),
      signInRequired: saved.signedOut === true,
    });
    if (!saved.signedOut) void this.refresh().catch(() => undefined);
    return this.requireSession();
  }

  /**
   * A valid access token, refreshed when it is about to expire (`refresh: false`: the current one as is,
   * for a request that waits for the network anyway). Throws signed_out without a session.
   */
  async accessToken({ refresh = true }: { refresh?: boolean } = {}): Promise<string> {
    const saved = this.saved;
    if (!saved) throw new OutpostError('signed_out', 'Nobody is signed in.');
    if (this.current.signInRequired || saved.signedOut)
      throw new OutpostError('unauthenticated', 'The session ended on the server; sign in again.');
    if (!refresh) return saved.tokens.token;
    const expiresAt = Date.parse(saved.tokens.expires_at);
    if (expiresAt - this.now() > this.refreshMarginMs && !this.current.session?.offline)
      return saved.tokens.token;
    try {
      await this.refresh();
    } catch (error) {
      if (!isOutpostError(error, 'offline')) throw error;
    }
    return this.saved?.tokens.token ?? saved.tokens.token;
  }

  /** After a 401 from the server on a request made with the current token. */
  async tokenRejected(): Promise<void> {
    await this.refresh();
  }

  /**
   * Ends the session: the server forgets it (best effort), the tokens are erased on this device, and
   * the account is kept without them, so the sign-in screen can offer "Continue offline" with the
   * data and unsent changes still here (resume).
   */
  async signOut(): Promise<void> {
    const saved = this.saved ?? (await this.readSaved().catch(() => null));
    this.saved = null;
    if (saved) {
      const kept: Saved = {
        serverUrl: saved.serverUrl,
        tokens: { ...saved.tokens, token: '', refresh_token: '', expires_at: new Date(0).toISOString() },
        signedOut: true,
      };
      await this.options.store.set(STORE_KEY, JSON.stringify(kept));
    } else await this.options.store.delete(STORE_KEY);
    this.set({ session: null, signInRequired: false });
    if (saved && !saved.signedOut)
      await this.client.logout(saved.serverUrl, saved.tokens.token).catch(() => undefined);
  }

  private refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      const saved = this.saved;
      if (!saved) throw new OutpostError('signed_out', 'Nobody is signed in.');
      if (saved.signedOut)
        throw new OutpostError('unauthenticated', 'You signed out on this device; sign in again to sync.');
      try {
        const tokens = await this.client.refresh(saved.serverUrl, saved.tokens.refresh_token);
        if (this.saved === saved) await this.adopt({ serverUrl: saved.serverUrl, tokens }, false);
      } catch (error) {
        if (this.saved === saved && isOutpostError(error, 'unauthenticated'))
          this.set({ session: this.current.session, signInRequired: true });
        throw error;
      }
    })().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async adopt(saved: Saved, offline: boolean): Promise<void> {
    this.saved = saved;
    await this.options.store.set(STORE_KEY, JSON.stringify(saved));
    this.set({ session: sessionOf(saved.serverUrl, saved.tokens, offline), signInRequired: false });
  }

  /** The saved account; a record that cannot be read is deleted (signed_out). */
  private async readSaved(): Promise<Saved | null> {
    const text = await this.options.store.get(STORE_KEY);
    if (!text) return null;
    try {
      const raw = JSON.parse(text) as { serverUrl?: unknown; tokens?: unknown; signedOut?: unknown };
      if (typeof raw.serverUrl !== 'string') throw new Error('no server');
      return {
        serverUrl: raw.serverUrl,
        tokens: TokensSchema.parse(raw.tokens),
        ...(raw.signedOut === true ? { signedOut: true } : {}),
      };
    } catch {
      await this.options.store.delete(STORE_KEY);
      throw new OutpostError('signed_out', 'The saved account could not be read; sign in again.');
    }
  }

  private requireSession(): Session {
    const session = this.current.session;
    if (!session) throw new OutpostError('signed_out', 'Nobody is signed in.');
    return session;
  }

  private set(state: SessionState): void {
    this.current = state;
    for (const listener of this.listeners) listener(state);
  }
}
