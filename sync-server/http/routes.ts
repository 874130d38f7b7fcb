/**
 * sync-server/http/routes.ts: routes declared as data, and the one dispatcher that applies what a
 * route declares before its handler runs.
 *
 *   request ─► the route of the exact decoded path (none: 404)  ─► method allowed? (no: 405 + Allow)
 *     ─► auth 'bearer': a valid access token (no: 401)  ─► rate limit per session (429)
 *     ─► body: a JSON body of at most `bodyBytes` on POST (413 / 400)  ─► handler(context)
 *
 * Guarantees: a handler never runs for a request its route refuses; the principal a handler gets
 * comes only from the verified token; a body is never read beyond its route's limit. Matching is on
 * the exact path, so no spelling of a path reaches a handler by another route (Electric's
 * GHSA-m4f6-p2j8-rq76).
 */
import { OutpostError } from '../../common/errors.ts';
import type { AuthService, Principal } from '../auth/auth-service.ts';
import type { RequestRateLimit } from '../auth/throttle.ts';
import { readJsonBody } from './body.ts';
import { ERROR_CODE_HEADER } from './error-response.ts';
import { sendJson, type Request, type Response } from './shape-route.ts';

export type Method = 'GET' | 'POST';

export interface RouteContext {
  readonly req: Request;
  readonly res: Response;
  readonly url: URL;
  /** The signed-in principal of a `bearer` route; null on a public one. */
  readonly principal: Principal | null;
  /** The JSON body of a POST to a route with `bodyBytes`; undefined otherwise. */
  readonly body: unknown;
}

export interface Route {
  readonly path: string;
  readonly methods: readonly Method[];
  /** `bearer`: a valid access token is required; `none`: public (sign-in, health, insecure mode). */
  readonly auth: 'none' | 'bearer';
  /** The largest JSON body read on POST, in bytes; absent: the body is not read. */
  readonly bodyBytes?: number;
  /** Requests per session (bearer routes), checked after authentication. */
  readonly rateLimit?: RequestRateLimit;
  readonly handler: (context: RouteContext) => Promise<void>;
}

function methodNotAllowed(res: Response, methods: readonly Method[]): void {
  const allow = methods.join(', ');
  sendJson(
    res,
    405,
    { message: `Use ${allow} here.`, code: 'validation' },
    { allow: `${allow}, OPTIONS`, [ERROR_CODE_HEADER]: 'validation' },
  );
}

/** Serves a request by the route table; expected refusals are thrown as OutpostErrors. */
export async function dispatch(
  routes: readonly Route[],
  auth: AuthService | null,
  req: Request,
  res: Response,
  url: URL,
): Promise<void> {
  const route = routes.find((r) => r.path === url.pathname);
  if (!route) throw new OutpostError('not_found', `No route for ${req.method ?? 'GET'} ${url.pathname}.`);
  const method = req.method as Method;
  if (!route.methods.includes(method)) return methodNotAllowed(res, route.methods);
  let principal: Principal | null = null;
  if (route.auth === 'bearer') {
    if (!auth) throw new Error(`route ${route.path} needs authentication, and this server has none`);
    principal = await auth.authenticate(req.headers['authorization']);
    await route.rateLimit?.take(principal.sessionId);
  }
  const body =
    route.bodyBytes !== undefined && method === 'POST' ? await readJsonBody(req, route.bodyBytes) : undefined;
  await route.handler({ req, res, url, principal, body });
}
