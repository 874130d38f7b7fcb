/**
 * sync-server/replication/connection-options.ts: how the walsender session is configured.
 *
 * pgoutput formats every value with the output functions of the walsender's own session, so the
 * session must use Electric's display settings (the same ones the snapshot queries SET LOCAL); then
 * a replicated value is byte for byte what the type's output function prints in such a session (what
 * snapshot queries read as raw text). The settings
 * travel as startup options (`options=-c ...`), appended after any options already in the URL so
 * they win. They go into the URL itself because pg lets a connection string's parameters override
 * a separate `options` field.
 *
 * Names are checked to be plain lower-case identifiers: START_REPLICATION takes the slot and the
 * publication as bare words, not parameters, so this check is also the injection guard.
 */
import { ReplicationError } from './errors.ts';

/** Electric's session display settings (`display_settings` in Electric's postgres.ex). */
export const ELECTRIC_DISPLAY_OPTIONS = [
  '-c DateStyle=ISO,DMY',
  '-c TimeZone=UTC',
  '-c extra_float_digits=1',
  '-c IntervalStyle=iso_8601',
  '-c bytea_output=hex',
].join(' ');

const PLAIN_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertPlainIdentifier(kind: 'slot' | 'publication', name: string): void {
  if (!PLAIN_IDENTIFIER.test(name)) {
    throw new ReplicationError(
      'replication_config_invalid',
      `The ${kind} name ${JSON.stringify(name)} must be a lower-case identifier ([a-z_][a-z0-9_]*, at most 63 characters).`,
      { kind, name },
    );
  }
}

/** The connection string for the replication connection: the same server, plus the display settings. */
export function replicationConnectionString(connectionString: string): string {
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch (error) {
    throw new ReplicationError(
      'replication_config_invalid',
      'The replication connection string must be a postgres:// URL.',
      {},
      { cause: error },
    );
  }
  const existing = url.searchParams.get('options');
  url.searchParams.set(
    'options',
    existing ? `${existing} ${ELECTRIC_DISPLAY_OPTIONS}` : ELECTRIC_DISPLAY_OPTIONS,
  );
  return url.toString();
}
