/**
 * sync-server/replication/errors.ts: the expected failures of the replication stream.
 *
 * Each code says whether retrying can help. Transient failures (the walsender died, the server is
 * restarting, the slot is still held by the dying walsender) are not errors of this kind: the stream
 * reconnects on its own. A `ReplicationError` is fatal for the stream: it stops, reports the error in
 * its status, and acknowledges nothing more.
 *
 * These codes belong in common/errors.ts once replication errors cross a process boundary (health
 * endpoint); until then they stay here so this folder does not edit shared files.
 * Security note: messages name the slot, the publication and LSNs, never the connection string.
 */
export const REPLICATION_ERROR_CODES = {
  replication_config_invalid:
    'The slot or publication name is not a plain lower-case SQL identifier, or the connection string is not a URL.',
  replication_slot_mismatch: 'A slot with this name exists but belongs to another database or output plugin.',
  replication_slot_missing:
    'The replication slot (or publication) disappeared while the stream was using it: changes may have been lost, shapes must be rebuilt.',
  replication_transaction_too_large:
    'A single transaction exceeded `maxTransactionBytes`; raise the limit (and the Node heap) to pass it.',
  replication_consumer_failed:
    'The consumer rejected a transaction; it was not acknowledged and will be sent again.',
  replication_protocol:
    'The server sent a message this stream does not understand (or pg internals changed).',
} as const;

export type ReplicationErrorCode = keyof typeof REPLICATION_ERROR_CODES;

export class ReplicationError extends Error {
  constructor(
    readonly code: ReplicationErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ReplicationError';
  }
}

export function isReplicationError(error: unknown, code?: ReplicationErrorCode): error is ReplicationError {
  return error instanceof ReplicationError && (code === undefined || error.code === code);
}

/** SQLSTATE of a server error (pg's DatabaseError), if any. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * Errors that a reconnect cannot cure. 42704 (undefined_object) is what START_REPLICATION answers
 * when the slot or the publication was dropped; 28xxx are authentication failures.
 */
export function isFatal(error: unknown): boolean {
  if (error instanceof ReplicationError) return true;
  const state = sqlState(error);
  return state === '42704' || (state?.startsWith('28') ?? false);
}

export function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof ReplicationError) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: sqlState(error) ?? 'internal', message };
}
