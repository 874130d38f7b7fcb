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
