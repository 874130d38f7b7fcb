/**
 * sync-server/auth/auth-service.ts: sign-in, token refresh and sign-out, and turning a bearer token
 * into the Principal every gated request runs as.
 *
 *   login(email, password, tenant slug) ─► auth_sign_in_candidate (the one definer lookup) ─► argon2
 *     ─► as outpost_app in the user's tenant: new auth_sessions row, last_login_at ─► JWT + refresh
 *   refresh(refresh token) ─► as outpost_app in the token's tenant: delete its session (single use)
 *     ─► new session + new tokens (rotation: the old refresh token and its access tokens stop working)
 *   authenticate(Authorization header) ─► JWT checks ─► session alive, user active, permissions and
 *     visible tenants, read as outpost_app in the token's tenant (cached for `principalCacheMs`)
 *
 * Guarantees: a wrong password, an unknown user or tenant, an SSO-only user and a deactivated user
 * all get the same `invalid_credentials` answer, after an argon2 verification of similar cost;
 * repeated failures are slowed down and then refused (throttle.ts). Every failure to authenticate is
 * an `unauthenticated` OutpostError (401). Permissions and the tenant scope come from the database for
 * the token's user, never from the request. sign-out and rotation revoke at once in this process
 * (`onRevoked` listeners, which end long-polls) and within `principalCacheMs` elsewhere.
 */
import type pg from 'pg';
import { z } from 'zod';
import { OutpostError } from '../../common/errors.ts';
import { inTenantTransaction } from '../db/tenant-transaction.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { SignInThrottle, type ThrottleOptions } from './throttle.ts';
import {
  newRefreshToken,
  refreshTokenTenant,
  sessionIdOf,
  TokenIssuer,
  unauthenticated,
  type AccessClaims,
} from './tokens.ts';

export interface Principal {
  readonly userId: string;
  readonly tenantId: string;
  readonly sessionId: string;
  readonly roles: readonly string[];
  readonly permissions: ReadonlySet<string>;
  /** Tenants visible under row-level security (own tenant; plus subsidiaries for a holding), sorted. */
  readonly visibleTenantIds: readonly string[];
  /** Access token expiry, seconds since the epoch. */
  readonly expiresAt: number;
}

export interface SessionTokens {
  readonly token: string;
  readonly refresh_token: string;
  readonly expires_at: string;
  readonly user: {
    readonly id: string;
    readonly email: string;
    readonly full_name: string | null;
    readonly role: string;
    readonly roles: readonly string[];
    readonly permissions: readonly string[];
  };
  readonly tenant: {
    readonly id: string;
    readonly slug: string;
    readonly name: string;
    readonly type: string;
    readonly visible_tenant_ids: readonly string[];
    /** The visible tenants' names, so a client names them before it has synced a row. */
    readonly visible_tenants: readonly {
      readonly id: string;
      readonly slug: string;
      readonly name: string;
    }[];
  };
}

export interface AuthServiceOptions {
  readonly pool: pg.Pool;
  readonly secret: string;
  readonly accessTtlSeconds?: number;
  readonly refreshTtlSeconds?: number;
  readonly principalCacheMs?: number;
  readonly throttle?: ThrottleOptions;
}

export interface ClientInfo {
  readonly address: string;
  readonly userAgent: string | null;
}

const loginBody = z.strictObject({
  email: z.string().trim().min(3).max(320),
  password: z.string().min(1).max(1024),
  tenant: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,99}$/, 'a tenant slug: lower-case letters, digits and dashes'),
});
const refreshBody = z.strictObject({ refresh_token: z.string().min(1).max(200) });

export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
    throw new OutpostError('validation', `Invalid request body: ${issues.join('; ')}.`, {
      fields: Object.fromEntries(result.error.issues.map((i) => [i.path.join('.') || 'body', i.message])),
    });
  }
  return result.data;
}

const INVALID_CREDENTIALS = 'The email, password or tenant is not correct.';

interface IdentityRow {
  email: string;
  full_name: string | null;
  role: string;
  is_active: boolean;
  roles: string[];
  permissions: string[];
  visible: string[];
  visible_tenants: { id: string; slug: string; name: string }[];
  slug: string;
  name: string;
  tenant_type: string;
}

const IDENTITY_SQL = `
  SELECT u.email, u.full_name, u.role, u.is_active,
         coalesce((SELECT array_agg(DISTINCT r.name ORDER BY r.name) FROM user_roles ur JOIN roles r ON r.id = ur.role_id
                    WHERE ur.user_id = u.id), '{}') AS roles,
         coalesce((SELECT array_agg(DISTINCT code ORDER BY code) FROM (
                     SELECT p.code::text AS code FROM user_roles ur
                       JOIN role_permissions rp ON rp.role_id = ur.role_id
                       JOIN permissions p ON p.id = rp.permission_id
                      WHERE ur.user_id = u.id
                     UNION
                     SELECT unnest(r.permissions) FROM user_roles ur JOIN roles r ON r.id = ur.role_id
                      WHERE ur.user_id = u.id) c), '{}') AS permissions,
         (SELECT array_agg(v::text ORDER BY v::text) FROM unnest(app_visible_tenant_ids()) v) AS visible,
         (SELECT coalesce(jsonb_agg(jsonb_build_object('id', vt.id, 'slug', vt.slug, 'name', vt.name)
                                    ORDER BY vt.name, vt.id), '[]'::jsonb)
            FROM tenants vt WHERE vt.id = ANY (app_visible_tenant_ids())) AS visible_tenants,
         t.slug, t.name, t.tenant_type
    FROM users u JOIN tenants t ON t.id = u.tenant_id
   WHERE u.id = $1 AND t.is_active`;

export class AuthService {
  readonly issuer: TokenIssuer;
  private readonly throttle: SignInThrottle;
  private readonly cache = new Map<string, { principal: Principal; until: number }>();
  private readonly revokedListeners = new Set<(sessionId: string) => void>();
  private readonly refreshTtlSeconds: number;
  private readonly principalCacheMs: number;
  private dummyHash: Promise<string> | null = null;

  constructor(private readonly options: AuthServiceOptions) {
    this.issuer = new TokenIssuer(options.secret, options.accessTtlSeconds);
    this.throttle = new SignInThrottle(options.throttle);
    this.refreshTtlSeconds = options.refreshTtlSeconds ?? 30 * 24 * 3600;
    this.principalCacheMs = options.principalCacheMs ?? 2_000;
  }

  /** Called with a session id when it is revoked in this process (sign-out, rotation). */
  onRevoked(listener: (sessionId: string) => void): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }

  async login(body: unknown, client: ClientInfo): Promise<SessionTokens> {
    const { email, password, tenant } = parseBody(loginBody, body);
    const account = `${tenant}\u0000${email.toLowerCase()}`;
    await this.throttle.before(account, client.address);
    const { rows } = await inTenantTransaction(
      this.options.pool,
      { tenantId: null, userId: null },
      (c) =>
        c.query<{
          user_id: string;
          tenant_id: string;
          hashed_password: string | null;
          user_active: boolean;
          tenant_active: boolean;
        }>(`SELECT * FROM auth_sign_in_candidate($1, $2)`, [tenant, email]),
      { readOnly: true },
    );
    const candidate = rows[0];
    const hash = candidate?.hashed_password ?? (await this.dummy());
    const passwordOk = await verifyPassword(password, hash);
    if (
      !candidate ||
      !candidate.hashed_password ||
      !passwordOk ||
      !candidate.user_active ||
      !candidate.tenant_active
    ) {
      await this.throttle.failed(account, client.address);
      throw new OutpostError('invalid_credentials', INVALID_CREDENTIALS);
    }
    await this.throttle.succeeded(account);
    return this.openSession(candidate.user_id, candidate.tenant_id, client, true);
  }

  async refresh(body: unknown, client: ClientInfo): Promise<SessionTokens> {
    const { refresh_token } = parseBody(refreshBody, body);
    const tenantId = refreshTokenTenant(refresh_token);
    if (!tenantId) throw unauthenticated('The refresh token is not valid; sign in again.', 'invalid');
    const sessionId = sessionIdOf(refresh_token);
    const userId = await inTenantTransaction(this.options.pool, { tenantId, userId: null }, async (c) => {
      const { rows } = await c.query<{ user_id: string }>(
        `DELETE FROM auth_sessions WHERE session_token = $1 AND expires > now() RETURNING user_id`,
        [sessionId],
      );
      return rows[0]?.user_id ?? null;
    });
    if (!userId)
      throw unauthenticated(
        'The refresh token is not valid, was already used or has expired; sign in again.',
        'revoked',
      );
    this.revoked(sessionId);
    return this.openSession(userId, tenantId, client, false);
  }

  /** Signs out the session of an access token (idempotent). */
  async logout(principal: Principal): Promise<void> {
    await inTenantTransaction(
      this.options.pool,
      { tenantId: principal.tenantId, userId: principal.userId },
      (c) => c.query(`DELETE FROM auth_sessions WHERE session_token = $1`, [principal.sessionId]),
    );
    this.revoked(principal.sessionId);
  }

  /** The principal of an `Authorization: Bearer <token>` header; 401 for anything else. */
  async authenticate(authorization: string | undefined): Promise<Principal> {
    if (!authorization)
      throw unauthenticated('Sign in first: the Authorization header is missing.', 'missing');
    const m = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(authorization);
    if (!m?.[1])
      throw unauthenticated('The Authorization header must be "Bearer <access token>".', 'malformed');
    const claims = await this.issuer.verify(m[1]);
    const cached = this.cache.get(claims.sessionId);
    if (cached && cached.until > Date.now() && cached.principal.userId === claims.userId) {
      return { ...cached.principal, expiresAt: claims.expiresAt };
    }
    const principal = await this.load(claims);
    this.cache.set(claims.sessionId, { principal, until: Date.now() + this.principalCacheMs });
    if (this.cache.size > 10_000) {
      const now = Date.now();
      for (const [key, entry] of this.cache) if (entry.until <= now) this.cache.delete(key);
    }
    return principal;
  }

  /** Re-checks that the principal's session is still alive (long-polls call this periodically). */
  async stillValid(principal: Principal): Promise<boolean> {
    if (principal.expiresAt * 1000 <= Date.now()) return false;
    this.cache.delete(principal.sessionId);
    try {
      await this.load({ ...principal });
      return true;
    } catch (error) {
      if (error instanceof OutpostError && error.code === 'unauthenticated') return false;
      throw error;
    }
  }

  private async load(claims: AccessClaims): Promise<Principal> {
    return inTenantTransaction(
      this.options.pool,
      { tenantId: claims.tenantId, userId: claims.userId },
      async (c) => {
        const session = await c.query(
          `SELECT 1 FROM auth_sessions WHERE session_token = $1 AND user_id = $2 AND expires > now()`,
          [claims.sessionId, claims.userId],
        );
        if (session.rows.length === 0)
          throw unauthenticated('The session has ended (signed out or rotated); sign in again.', 'revoked');
        const { rows } = await c.query<IdentityRow>(IDENTITY_SQL, [claims.userId]);
        const identity = rows[0];
        if (!identity?.is_active)
          throw unauthenticated('The account is deactivated or no longer exists.', 'revoked');
        return {
          userId: claims.userId,
          tenantId: claims.tenantId,
          sessionId: claims.sessionId,
          roles: identity.roles,
          permissions: new Set(identity.permissions),
          visibleTenantIds: identity.visible,
          expiresAt: claims.expiresAt,
        };
      },
      { readOnly: true },
    );
  }

  private async openSession(
    userId: string,
    tenantId: string,
    client: ClientInfo,
    isLogin: boolean,
  ): Promise<SessionTokens> {
    const refresh = newRefreshToken(tenantId);
    const identity = await inTenantTransaction(this.options.pool, { tenantId, userId }, async (c) => {
      const { rows } = await c.query<IdentityRow>(IDENTITY_SQL, [userId]);
      const found = rows[0];
      if (!found?.is_active) return null;
      await c.query(
        `INSERT INTO auth_sessions (session_token, tenant_id, user_id, expires, ip_address, user_agent)
         VALUES ($1, $2, $3, now() + make_interval(secs => $4), $5, $6)`,
        [
          refresh.sessionId,
          tenantId,
          userId,
          this.refreshTtlSeconds,
          client.address,
          client.userAgent?.slice(0, 500) ?? null,
        ],
      );
      if (isLogin) await c.query(`UPDATE users SET last_login_at = now() WHERE id = $1`, [userId]);
      return found;
    });
    if (!identity) {
      if (isLogin) throw new OutpostError('invalid_credentials', INVALID_CREDENTIALS);
      throw unauthenticated('The account is deactivated or no longer exists.', 'revoked');
    }
    const access = await this.issuer.sign({
      userId,
      tenantId,
      roles: identity.roles,
      sessionId: refresh.sessionId,
    });
    return {
      token: access.token,
      refresh_token: refresh.token,
      expires_at: new Date(access.expiresAt * 1000).toISOString(),
      user: {
        id: userId,
        email: identity.email,
        full_name: identity.full_name,
        role: identity.role,
        roles: identity.roles,
        permissions: identity.permissions,
      },
      tenant: {
        id: tenantId,
        slug: identity.slug,
        name: identity.name,
        type: identity.tenant_type,
        visible_tenant_ids: identity.visible,
        visible_tenants: identity.visible_tenants,
      },
    };
  }

  private revoked(sessionId: string): void {
    this.cache.delete(sessionId);
    for (const listener of this.revokedListeners) listener(sessionId);
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= hashPassword('outpost-no-such-user');
    return this.dummyHash;
  }
}
