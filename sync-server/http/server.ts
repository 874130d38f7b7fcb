/**
 * sync-server/http/server.ts: the HTTP front of the sync server: the route table, CORS, errors.
 *
 *   GET        /v1/health        public
 *   GET, POST  /v1/shape         bearer (gated) or public (insecure-dev); POST body ≤ 1 MiB (subsets)
 *   POST       /v1/auth/login    public, body ≤ 16 KiB        (gated)
 *   POST       /v1/auth/refresh  public, body ≤ 16 KiB        (gated)
 *   POST       /v1/auth/logout   bearer                       (gated)
 *   POST       /v1/mutations     bearer, rate-limited per session, body ≤ 1 MiB (gated; 404 without a write API)
 *
 * Routes are data (routes.ts applies their method, authentication, rate limit and body limit) and
 * are matched on the exact decoded path; anything else is 404, so no spelling of a path can reach a
 * handler by another route (Electric's GHSA-m4f6-p2j8-rq76).
 * Every response carries CORS headers that let the web build and the Electron renderer read the
 * electric-* headers, and `Vary: Authorization, Origin` so no cache serves one user's data to
 * another. Expected failures are answered by error-response.ts (status from the error catalogue,
 * Electric's body shape, the code in `outpost-error-code`); an unexpected error is logged and
 * answered 500 `internal` without details.
 */
import { isOutpostError, OutpostError } from '../../common/errors.ts';
import type { AuthService, Principal } from '../auth/auth-service.ts';
import { RequestRateLimit } from '../auth/throttle.ts';
import type { MutationHandler } from '../mutations/mutation-handler.ts';
import { unauthenticated } from '../auth/tokens.ts';
import type { ShapeGate } from '../gate/shape-gate.ts';
import type { ShapeEngine } from '../shapes/shape-engine.ts';
import { ERROR_CODE_HEADER, sendError } from './error-response.ts';
import { dispatch, type Route, type RouteContext } from './routes.ts';
import { parseShapeRequest } from './shape-params.ts';
import { handleShape, sendJson, type Request, type Response } from './shape-route.ts';
import { forwardShape } from './upstream.ts';

export interface HealthReport {
  readonly healthy: boolean;
  readonly body: Record<string, unknown>;
}

export interface GatedSecurity {
  readonly mode: 'gated';
  readonly auth: AuthService;
  readonly gate: ShapeGate;
  /** Proxy mode: forward gated shape requests to this Shape API instead of the local engine. */
  readonly upstream?: { readonly url: string; readonly secret?: string } | null;
  readonly mutations?: MutationHandler | null;
  /** How often a held long-poll re-checks that its session is alive (revocation on another node). */
  readonly sessionRecheckMs?: number;
  /** Limits of the write API. */
  readonly mutationBodyBytes?: number;
  readonly mutationRequestsPerMinute?: number;
}

export interface SyncHttpOptions {
  /** The local shape engine; null only in proxy mode. */
  readonly engine: ShapeEngine | null;
  readonly health: () => HealthReport | Promise<HealthReport>;
  readonly longPollMs?: number;
  /** How long one `live_sse` response is held before the client reconnects (default 60 s). */
  readonly sseHoldMs?: number;
  readonly log?: (line: string) => void;
  /** `insecure-dev`: no authentication, every table (development only); otherwise the gate. */
  readonly security: { readonly mode: 'insecure-dev' } | GatedSecurity;
}

const EXPOSED = [
  'electric-handle',
  'electric-offset',
  'electric-schema',
  'electric-cursor',
  'electric-up-to-date',
  'electric-has-data',
  'retry-after',
  'electric-snapshot',
  ERROR_CODE_HEADER,
].join(', ');

const AUTH_BODY_BYTES = 16 * 1024;
/** A subset snapshot's POST body (its where, params and order). */
const SHAPE_BODY_BYTES = 1024 * 1024;

/** The request's If-None-Match, for a 304 (cache-policy.ts). */
function ifNoneMatch(req: Request): { ifNoneMatch?: string } {
  const value = req.headers['if-none-match'];
  return typeof value === 'string' ? { ifNoneMatch: value } : {};
}

function cors(req: Request, res: Response): void {
  const origin = req.headers['origin'];
  res.setHeader('access-control-allow-origin', typeof origin === 'string' ? origin : '*');
  res.setHeader('access-control-expose-headers', EXPOSED);
  res.setHeader('vary', 'Authorization, Origin');
}

function clientAddress(req: Request): string {
  return req.socket.remoteAddress ?? 'unknown';
}

/** Aborts when the principal's token expires or its session ends while a request is held. */
function sessionGuard(
  auth: AuthService,
  principal: Principal,
  recheckMs: number,
): { signal: AbortSignal; close: () => void } {
  const controller = new AbortController();
  const end = (reason: string, message: string) => {
    if (!controller.signal.aborted) controller.abort(unauthenticated(message, reason));
  };
  const expiry = setTimeout(
    () => end('expired', 'The access token expired during the request; refresh it and retry.'),
    Math.max(0, principal.expiresAt * 1000 - Date.now()),
  );
  const off = auth.onRevoked((sid) => {
    if (sid === principal.sessionId) end('revoked', 'The session was signed out during the request.');
  });
  const recheck = setInterval(() => {
    auth.stillValid(principal).then(
      (ok) => {
        if (!ok) end('revoked', 'The session ended during the request; sign in again.');
      },
      () => undefined,
    );
  }, recheckMs);
  return {
    signal: controller.signal,
    close: () => {
      clearTimeout(expiry);
      clearInterval(recheck);
      off();
    },
  };
}

/** The principal of a bearer route (routes.ts guarantees one). */
function principalOf(context: RouteContext): Principal {
  if (!context.principal) throw new Error('internal: a bearer route without a principal');
  return context.principal;
}

/** The routes of the gated server (sign-in, the write API, the gated Shape API). */
function gatedRoutes(gated: GatedSecurity, shape: (context: RouteContext) => Promise<void>): Route[] {
  const client = (req: Request) => ({
    address: clientAddress(req),
    userAgent: req.headers['user-agent'] ?? null,
  });
  const routes: Route[] = [
    {
      path: '/v1/shape',
      methods: ['GET', 'POST'],
      auth: 'bearer',
      bodyBytes: SHAPE_BODY_BYTES,
      handler: shape,
    },
    {
      path: '/v1/auth/login',
      methods: ['POST'],
      auth: 'none',
      bodyBytes: AUTH_BODY_BYTES,
      handler: async ({ req, res, body }) => sendJson(res, 200, await gated.auth.login(body, client(req))),
    },
    {
      path: '/v1/auth/refresh',
      methods: ['POST'],
      auth: 'none',
      bodyBytes: AUTH_BODY_BYTES,
      handler: async ({ req, res, body }) => sendJson(res, 200, await gated.auth.refresh(body, client(req))),
    },
    {
      path: '/v1/auth/logout',
      methods: ['POST'],
      auth: 'bearer',
      handler: async (context) => {
        await gated.auth.logout(principalOf(context));
        context.res.writeHead(204, { 'cache-control': 'no-store' });
        context.res.end();
      },
    },
  ];
  // Registered even without a write API, so an unauthenticated request is a 401 either way.
  const mutations = gated.mutations ?? null;
  routes.push({
    path: '/v1/mutations',
    methods: ['POST'],
    auth: 'bearer',
    rateLimit: new RequestRateLimit(gated.mutationRequestsPerMinute ?? 120, 'write API'),
    bodyBytes: gated.mutationBodyBytes ?? 1024 * 1024,
    handler: async (context) => {
      if (!mutations) throw new OutpostError('not_found', 'This server has no write API.');
      const result = await mutations(context.body, principalOf(context));
      const code = (result.body as { code?: unknown } | null)?.code;
      sendJson(
        context.res,
        result.status,
        result.body,
        result.status >= 400 && typeof code === 'string' ? { [ERROR_CODE_HEADER]: code } : {},
      );
    },
  });
  return routes;
}

export function createSyncRequestHandler(options: SyncHttpOptions): (req: Request, res: Response) => void {
  const log = options.log ?? ((line: string) => console.error(line));
  const longPollMs = options.longPollMs ?? 20_000;
  const held = { log, ...(options.sseHoldMs === undefined ? {} : { sseHoldMs: options.sseHoldMs }) };
  const security = options.security;

  const gatedShape = async (context: RouteContext, gated: GatedSecurity) => {
    const { req, res, url } = context;
    const principal = principalOf(context);
    const request = parseShapeRequest(url.searchParams, context.body);
    const guard = sessionGuard(gated.auth, principal, gated.sessionRecheckMs ?? 10_000);
    try {
      if (gated.upstream) {
        const definition = gated.gate.authorize(request, principal);
        const closed = new AbortController();
        res.on('close', () => closed.abort());
        await forwardShape(res, definition, request, {
          url: gated.upstream.url,
          ...(gated.upstream.secret ? { secret: gated.upstream.secret } : {}),
          signal: AbortSignal.any([closed.signal, guard.signal]),
        });
        return;
      }
      if (!options.engine) throw new Error('gated local mode needs a shape engine');
      await handleShape(res, request, {
        engine: options.engine,
        longPollMs,
        ...held,
        ...ifNoneMatch(req),
        authorize: (r) => gated.gate.authorize(r, principal),
        session: guard.signal,
        audience: principal.tenantId,
      });
    } finally {
      guard.close();
    }
  };

  const insecureShape = async ({ req, res, url, body }: RouteContext) => {
    if (!options.engine) throw new Error('insecure mode needs a shape engine');
    await handleShape(res, parseShapeRequest(url.searchParams, body), {
      engine: options.engine,
      longPollMs,
      ...held,
      ...ifNoneMatch(req),
    });
  };

  const health: Route = {
    path: '/v1/health',
    methods: ['GET'],
    auth: 'none',
    handler: async ({ res }) => {
      const report = await options.health();
      sendJson(res, report.healthy ? 200 : 503, report.body, report.healthy ? {} : { 'retry-after': '5' });
    },
  };
  const routes: readonly Route[] =
    security.mode === 'gated'
      ? [health, ...gatedRoutes(security, (context) => gatedShape(context, security))]
      : [
          health,
          {
            path: '/v1/shape',
            methods: ['GET', 'POST'],
            auth: 'none',
            bodyBytes: SHAPE_BODY_BYTES,
            handler: insecureShape,
          },
        ];
  const auth = security.mode === 'gated' ? security.auth : null;

  return (req, res) => {
    const run = async () => {
      cors(req, res);
      const url = new URL(req.url ?? '/', 'http://sync.local');
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-methods': 'GET, POST, OPTIONS',
          'access-control-allow-headers': 'authorization, content-type, if-none-match, traceparent',
          'access-control-max-age': '86400',
        });
        res.end();
        return;
      }
      await dispatch(routes, auth, req, res, url);
    };
    run().catch((error: unknown) => {
      if (res.headersSent) {
        res.end();
        return;
      }
      if (isOutpostError(error)) {
        sendError(res, error);
        return;
      }
      log(
        `sync-server: internal error on ${req.method ?? '?'} ${req.url ?? '?'}: ${(error as Error).stack ?? String(error)}`,
      );
      sendError(res, new OutpostError('internal', 'Internal error; the server log has details.'));
    });
  };
}
