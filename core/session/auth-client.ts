/**
 * core/session/auth-client.ts: the sync server's sign-in endpoints as seen from the core
 * (`POST /v1/auth/login`, `/refresh`, `/logout`; docs/protocol.md).
 *
 * Guarantees: a server answer becomes either validated tokens or an OutpostError with the server's
 * code and message (invalid_credentials, unauthenticated, rate_limited with the Retry-After seconds,
 * validation, ...); a network failure or timeout is an OutpostError `offline`, which callers treat as
 * "keep working with what we have", never as a reason to drop a session.
 */
import { z } from 'zod';
import { OutpostError, type ErrorCode, ERROR_CODES } from '../../common/errors.ts';

export const TokensSchema = z.object({
  token: z.string(),
  refresh_token: z.string(),
  expires_at: z.string(),
  user: z.object({
    id: z.string(),
    email: z.string(),
    full_name: z.string().nullable(),
    role: z.string(),
    roles: z.array(z.string()),
    permissions: z.array(z.string()),
  }),
  tenant: z.object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    type: z.string(),
    visible_tenant_ids: z.array(z.string()),
    /** Names of the visible tenants (servers before it sent none: the client then knows only its own). */
    visible_tenants: z.array(z.object({ id: z.string(), slug: z.string(), name: z.string() })).optional(),
  }),
});
export type Tokens = z.infer<typeof TokensSchema>;

export interface AuthClientOptions {
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);
}

export class AuthClient {
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;

  constructor(options: AuthClientOptions = {}) {
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  login(serverUrl: string, body: { email: string; password: string; tenant: string }): Promise<Tokens> {
    return this.post(serverUrl, '/v1/auth/login', body);
  }

  refresh(serverUrl: string, refreshToken: string): Promise<Tokens> {
    return this.post(serverUrl, '/v1/auth/refresh', { refresh_token: refreshToken });
  }

  async logout(serverUrl: string, accessToken: string): Promise<void> {
    await this.request(serverUrl, '/v1/auth/logout', {}, accessToken);
  }

  private async post(serverUrl: string, path: string, body: unknown): Promise<Tokens> {
    const response = await this.request(serverUrl, path, body);
    const parsed = TokensSchema.safeParse(await response.json().catch(() => null));
    if (!parsed.success)
      throw new OutpostError('internal', `The sync server answered ${path} with an unexpected body.`);
    return parsed.data;
  }

  private async request(serverUrl: string, path: string, body: unknown, bearer?: string): Promise<Response> {
    let response: Response;
    try {
      response = await this.fetch(new URL(path, serverUrl), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new OutpostError(
        'offline',
        `The sync server at ${serverUrl} cannot be reached: ${(error as Error).message}`,
      );
    }
    if (response.ok) return response;
    const payload = (await response.json().catch(() => null)) as { code?: unknown; message?: unknown } | null;
    const code: ErrorCode = isErrorCode(payload?.code)
      ? payload.code
      : response.status >= 500
        ? 'offline'
        : 'internal';
    const message =
      typeof payload?.message === 'string' ? payload.message : `The sync server answered ${response.status}.`;
    const retry = Number(response.headers.get('retry-after'));
    throw new OutpostError(code, message, {
      status: response.status,
      ...(Number.isFinite(retry) && retry > 0 ? { retryAfterSeconds: retry } : {}),
    });
  }
}
