/**
 * common/errors.ts: Outpost's stable error codes and the typed error every layer throws for
 * expected failures.
 *
 * Invariants: a code, once published, keeps its meaning forever (clients and logs depend on it);
 * messages say what went wrong and what to do, and never contain secrets. Bugs are not
 * OutpostErrors: they surface as plain Errors and are reported as `internal`.
 */
export const ERROR_CODES = {
  // Migrations
  migration_checksum_mismatch: 'An applied migration file was edited after it ran.',
  migration_unknown_applied: 'The database has a migration this build does not know (the build is older).',
  migration_invalid_set: 'The migration files are malformed: a bad name or a duplicate number.',
  migration_failed: 'A migration failed to apply; nothing from it was kept.',
  // Shapes
  invalid_where: 'The shape `where` clause is not valid; the message says where and why.',
  invalid_table: 'The shape `table` is malformed, does not exist, or has no primary key.',
  invalid_offset: 'The shape `offset` is malformed or out of range for this shape.',
  invalid_columns: 'The shape `columns` name a column that does not exist, or leave out the primary key.',
  shape_failed: 'The shape could not be created (its snapshot failed); retry later.',
  // Sign-in, the gate and the write API
  unauthenticated:
    'No valid access token: missing, malformed, forged, expired or revoked. Refresh or sign in again.',
  invalid_credentials: 'The email, password or tenant is wrong (deliberately not saying which).',
  forbidden:
    'The signed-in user may not do this: a missing permission, a table without a sync rule, or a server-only column.',
  rate_limited: 'Too many requests or failed sign-ins; retry after the Retry-After delay.',
  payload_too_large: 'The request body or batch is larger than the server accepts.',
  not_found: 'The addressed row or route does not exist (or is not visible to this user).',
  conflict: 'The row changed in a way that makes this write impossible now (for example already decided).',
  invalid_transition: 'The lifecycle does not allow this state change.',
  upstream_failed: 'The upstream Shape API (proxy mode) failed or could not be reached.',
  // The client
  offline: 'The sync server cannot be reached (no network, or it is down); work continues locally.',
  signed_out: 'Nobody is signed in on this device; sign in first.',
  locked: 'The local data directory is in use by another Outpost process; close that one first.',
  // Generic
  validation: 'The input was rejected; the message says which field and why.',
  internal: 'An unexpected error; the log has details.',
} as const;

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

export function isOutpostError(error: unknown, code?: ErrorCode): error is OutpostError {
  return error instanceof OutpostError && (code === undefined || error.code === code);
}
