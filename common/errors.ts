/**
 * common/errors.ts: Outpost's stable error codes and the typed error every layer throws for
 * expected failures.
 *
 * Each code carries its HTTP status and whether a client should retry, so every server answers a
 * code the same way (sync-server/http/error-response.ts) and no layer keeps its own status map.
 *
 * Invariants: a code, once published, keeps its meaning forever (clients and logs depend on it);
 * messages say what went wrong and what to do, and never contain secrets. Bugs are not
 * OutpostErrors: they surface as plain Errors and are reported as `internal`.
 */
/** What a code means, and how a server answers it over HTTP. */
export interface ErrorCodeInfo {
  /** What went wrong and what to do (documentation; the message of each error says more). */
  readonly description: string;
  /** The HTTP status a server answers with; null for codes that never cross HTTP (local ones). */
  readonly status: number | null;
  /** Whether the same request, sent again unchanged later, may succeed (then `retry-after` says when). */
  readonly retry: boolean;
  /** For a 400: the request parameter the code is about, unless the error names one (`details.param`). */
  readonly param?: string;
}

export const ERROR_CODES = {
  // Migrations (local and central; never an HTTP answer)
  migration_checksum_mismatch: {
    description: 'An applied migration file was edited after it ran.',
    status: null,
    retry: false,
  },
  migration_unknown_applied: {
    description: 'The database has a migration this build does not know (the build is older).',
    status: null,
    retry: false,
  },
  migration_invalid_set: {
    description: 'The migration files are malformed: a bad name or a duplicate number.',
    status: null,
    retry: false,
  },
  migration_failed: {
    description: 'A migration failed to apply; nothing from it was kept.',
    status: null,
    retry: false,
  },
  // Shapes
  invalid_where: {
    description: 'The shape `where` clause is not valid; the message says where and why.',
    status: 400,
    retry: false,
    param: 'where',
  },
  invalid_table: {
    description: 'The shape `table` is malformed, does not exist, or has no primary key.',
    status: 400,
    retry: false,
    param: 'table',
  },
  invalid_offset: {
    description: 'The shape `offset` is malformed or out of range for this shape.',
    status: 400,
    retry: false,
    param: 'offset',
  },
  invalid_columns: {
    description: 'The shape `columns` name a column that does not exist, or leave out the primary key.',
    status: 400,
    retry: false,
    param: 'columns',
  },
  shape_failed: {
    description: 'The shape could not be created (its snapshot failed); retry later.',
    status: 503,
    retry: true,
  },
  // Sign-in, the gate and the write API
  unauthenticated: {
    description:
      'No valid access token: missing, malformed, forged, expired or revoked. Refresh or sign in again.',
    status: 401,
    retry: false,
  },
  invalid_credentials: {
    description: 'The email, password or tenant is wrong (deliberately not saying which).',
    status: 401,
    retry: false,
  },
  forbidden: {
    description:
      'The signed-in user may not do this: a missing permission, a table without a sync rule, or a server-only column.',
    status: 403,
    retry: false,
  },
  rate_limited: {
    description: 'Too many requests or failed sign-ins; retry after the Retry-After delay.',
    status: 429,
    retry: true,
  },
  payload_too_large: {
    description: 'The request body or batch is larger than the server accepts.',
    status: 413,
    retry: false,
  },
  not_found: {
    description: 'The addressed row or route does not exist (or is not visible to this user).',
    status: 404,
    retry: false,
  },
  conflict: {
    description:
      'The row changed in a way that makes this write impossible now (for example already decided).',
    status: 409,
    retry: false,
  },
  invalid_transition: {
    description: 'The lifecycle does not allow this state change.',
    status: 409,
    retry: false,
  },
  upstream_failed: {
    description: 'The upstream Shape API (proxy mode) failed or could not be reached.',
    status: 502,
    retry: true,
  },
  // The client (never an HTTP answer)
  offline: {
    description: 'The sync server cannot be reached (no network, or it is down); work continues locally.',
    status: null,
    retry: true,
  },
  signed_out: {
    description: 'Nobody is signed in on this device; sign in first.',
    status: null,
    retry: false,
  },
  locked: {
    description: 'The local data directory is in use by another Outpost process; close that one first.',
    status: null,
    retry: false,
  },
  // Generic
  validation: {
    description: 'The input was rejected; the message says which field and why.',
    status: 400,
    retry: false,
    param: 'body',
  },
  internal: { description: 'An unexpected error; the log has details.', status: 500, retry: false },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class OutpostError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'OutpostError';
  }
}

/** The HTTP status a server answers `code` with (500 for a code that never crosses HTTP). */
export function httpStatusOf(code: ErrorCode): number {
  const info: ErrorCodeInfo = ERROR_CODES[code];
  return info.status ?? 500;
}

/** Whether a request refused with `code` may succeed when sent again unchanged later. */
export function isRetryable(code: ErrorCode): boolean {
  const info: ErrorCodeInfo = ERROR_CODES[code];
  return info.retry;
}

/** The request parameter a 400 is about: the one the error names, else its code's, else `body`. */
export function paramOfError(error: OutpostError): string {
  const named = error.details['param'];
  if (typeof named === 'string') return named;
  const info: ErrorCodeInfo = ERROR_CODES[error.code];
  return info.param ?? 'body';
}

export function isOutpostError(error: unknown, code?: ErrorCode): error is OutpostError {
  return error instanceof OutpostError && (code === undefined || error.code === code);
}
