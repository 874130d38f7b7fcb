/**
 * sync-server/auth/tokens.ts: access tokens (signed JWTs, via jose) and refresh tokens (opaque secrets).
 *
 * Access token: HS256 JWT signed with the server's AUTH_SECRET, `iss` outpost-sync, `aud`
 * outpost-sync, `sub` user id, `tid` tenant id, `roles` role names, `sid` the session it belongs to,
 * `iat`/`exp` (15 minutes by default). verify() checks the algorithm, signature, issuer, audience and
 * expiry (no clock tolerance beyond 5 s) and the claim types; anything else is `unauthenticated`.
 *
 * Refresh token: `<tenant id>.<43 characters of base64url randomness>` (256 bits). Only its SHA-256
 * is stored (auth_sessions.session_token = `sha256:<hex>`), and that hash is the access token's `sid`,
 * so a database or token leak yields nothing that refreshes. The tenant id prefix lets the refresh
 * path set the tenant context before it looks the session up under row-level security.
 */
import { createHash, randomBytes } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { OutpostError } from '../../common/errors.ts';

export const TOKEN_ISSUER = 'outpost-sync';
export const TOKEN_AUDIENCE = 'outpost-sync';
export const MIN_SECRET_BYTES = 32;

export interface AccessClaims {
  readonly userId: string;
  readonly tenantId: string;
  readonly roles: readonly string[];
  readonly sessionId: string;
  /** Seconds since the epoch. */
  readonly expiresAt: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function unauthenticated(message: string, reason: string): OutpostError {
  return new OutpostError('unauthenticated', message, { reason });
}

export class TokenIssuer {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    readonly accessTtlSeconds = 15 * 60,
  ) {
    const key = new TextEncoder().encode(secret);
    if (key.length < MIN_SECRET_BYTES)
      throw new Error(`AUTH_SECRET must be at least ${MIN_SECRET_BYTES} bytes of random text.`);
    this.key = key;
  }

  async sign(
    claims: Omit<AccessClaims, 'expiresAt'>,
    now = Date.now(),
  ): Promise<{ token: string; expiresAt: number }> {
    const iat = Math.floor(now / 1000);
    const expiresAt = iat + this.accessTtlSeconds;
    const token = await new SignJWT({ tid: claims.tenantId, roles: [...claims.roles], sid: claims.sessionId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setSubject(claims.userId)
      .setIssuedAt(iat)
      .setExpirationTime(expiresAt)
      .sign(this.key);
    return { token, expiresAt };
  }

  async verify(token: string): Promise<AccessClaims> {
    if (token.length > 4096) throw unauthenticated('The access token is malformed.', 'malformed');
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        clockTolerance: 5,
        requiredClaims: ['sub', 'exp', 'iat'],
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired)
        throw unauthenticated('The access token has expired; refresh it or sign in again.', 'expired');
      throw unauthenticated('The access token is not valid.', 'invalid');
    }
    const { sub, tid, roles, sid, exp } = payload;
    if (
      typeof sub !== 'string' ||
      !UUID.test(sub) ||
      typeof tid !== 'string' ||
      !UUID.test(tid) ||
      typeof sid !== 'string' ||
      !/^sha256:[0-9a-f]{64}$/.test(sid) ||
      !Array.isArray(roles) ||
      !roles.every((r): r is string => typeof r === 'string') ||
      typeof exp !== 'number'
    )
      throw unauthenticated('The access token is not valid.', 'invalid');
    return { userId: sub, tenantId: tid, roles, sessionId: sid, expiresAt: exp };
  }
}

export interface RefreshToken {
  readonly token: string;
  readonly sessionId: string;
}

export function sessionIdOf(refreshToken: string): string {
  return `sha256:${createHash('sha256').update(refreshToken).digest('hex')}`;
}

export function newRefreshToken(tenantId: string): RefreshToken {
  const token = `${tenantId}.${randomBytes(32).toString('base64url')}`;
  return { token, sessionId: sessionIdOf(token) };
}

/** The tenant id of a well-formed refresh token, or null. */
export function refreshTokenTenant(token: string): string | null {
  const m = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.[A-Za-z0-9_-]{43}$/.exec(token);
  return m?.[1] ?? null;
}
