/**
 * sync-server/http/error-response.ts: how every expected failure is answered over HTTP.
 *
 *   OutpostError(code, message, details)
 *     ─► status and retryability from the catalogue (common/errors.ts), never a local map
 *     ─► body  {"message": ..., "errors": {"<param>": ["..."]}, "code": ...}   (`errors` on a 400 only)
 *     ─► headers  outpost-error-code: <code>   cache-control: no-store
 *                 retry-after (retryable codes)   www-authenticate (401)
 *
 * Guarantees: a 400 body has Electric's shape (`message` and `errors` keyed by the request parameter),
 * which @electric-sql/client parses into `FetchError.json`; the stable code is in the
 * `outpost-error-code` header (the client keeps every response header in `FetchError.headers`) and,
 * for our own clients, in the body's extra `code` member, which Electric's client ignores. Errors are
 * never cached. Messages are the error's own (they never contain secrets, see common/errors.ts).
 */
import { httpStatusOf, isRetryable, paramOfError, type OutpostError } from '../../common/errors.ts';
import { sendJson, type Response } from './shape-route.ts';

/** The response header that carries the stable error code of every error response. */
export const ERROR_CODE_HEADER = 'outpost-error-code';

export interface ErrorBody {
  readonly message: string;
  readonly code: string;
  readonly errors?: Readonly<Record<string, readonly string[]>>;
}

/** The body of an error response: Electric's `{ message, errors }` plus our `code`. */
export function errorBody(error: OutpostError): ErrorBody {
  const status = httpStatusOf(error.code);
  return {
    message: error.message,
    ...(status === 400 ? { errors: { [paramOfError(error)]: [error.message] } } : {}),
    code: error.code,
  };
}

/** The headers of an error response (besides content-type). */
export function errorHeaders(error: OutpostError): Record<string, string> {
  const status = httpStatusOf(error.code);
  const headers: Record<string, string> = { [ERROR_CODE_HEADER]: error.code, 'cache-control': 'no-store' };
  if (isRetryable(error.code)) {
    const seconds = error.details['retryAfterSeconds'];
    const fallback = status === 429 ? 60 : 1;
    headers['retry-after'] = String(
      typeof seconds === 'number' || (typeof seconds === 'string' && /^[0-9]+$/.test(seconds))
        ? seconds
        : fallback,
    );
  }
  if (status === 401) headers['www-authenticate'] = 'Bearer realm="outpost-sync"';
  return headers;
}

/** Answers an expected failure. */
export function sendError(res: Response, error: OutpostError): void {
  sendJson(res, httpStatusOf(error.code), errorBody(error), errorHeaders(error));
}
