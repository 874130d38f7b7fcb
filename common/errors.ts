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
