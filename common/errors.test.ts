/**
 * The error catalogue: every code has an HTTP status (or none, for local codes) and a retry flag,
 * and a 400 names the parameter it is about.
 */
import { describe, expect, it } from 'vitest';
import {
  ERROR_CODES,
  httpStatusOf,
  isRetryable,
  OutpostError,
  paramOfError,
  type ErrorCode,
  type ErrorCodeInfo,
} from './errors.ts';

const codes = Object.keys(ERROR_CODES) as ErrorCode[];

describe('the error catalogue', () => {
  it('gives every code a status class that matches its retry flag', () => {
    for (const code of codes) {
      const info: ErrorCodeInfo = ERROR_CODES[code];
      expect(info.description.length, code).toBeGreaterThan(10);
      const status = httpStatusOf(code);
      expect(status >= 400 && status < 600, code).toBe(true);
      // Client errors are retried only when rate-limited; server-side unavailability is retried.
      if (info.status !== null && status < 500) expect(isRetryable(code), code).toBe(status === 429);
    }
  });

  it('answers the shape and write codes with the statuses clients rely on', () => {
    expect(httpStatusOf('invalid_where')).toBe(400);
    expect(httpStatusOf('unauthenticated')).toBe(401);
    expect(httpStatusOf('forbidden')).toBe(403);
    expect(httpStatusOf('conflict')).toBe(409);
    expect(httpStatusOf('payload_too_large')).toBe(413);
    expect(httpStatusOf('rate_limited')).toBe(429);
    expect(httpStatusOf('upstream_failed')).toBe(502);
    expect(httpStatusOf('shape_failed')).toBe(503);
    expect(isRetryable('shape_failed')).toBe(true);
    expect(httpStatusOf('offline')).toBe(500); // never an HTTP answer
  });

  it('names the parameter of a 400: the error own, else the code default, else body', () => {
    expect(paramOfError(new OutpostError('invalid_where', 'x'))).toBe('where');
    expect(paramOfError(new OutpostError('invalid_offset', 'x'))).toBe('offset');
    expect(paramOfError(new OutpostError('validation', 'x', { param: 'replica' }))).toBe('replica');
    expect(paramOfError(new OutpostError('validation', 'x'))).toBe('body');
  });
});
