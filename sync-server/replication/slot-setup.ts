/**
 * sync-server/replication/slot-setup.ts: the publication and the slot the stream reads, and the
 * positions health checks need. Runs on an ordinary (non-replication) connection.
 *
 *   - The publication is created empty if missing (`publish_via_partition_root`, so partitioned
 *     tables replicate under their root's name); tables are added by whoever defines synced tables.
 *   - The slot is a permanent logical slot with pgoutput, created if missing. Creating one waits for
 *     transactions running at that moment to finish (PostgreSQL needs a consistent starting point).
 *   - Both tolerate a concurrent creator (duplicate_object is success). An existing slot of the wrong
 *     kind is an error, never silently replaced: dropping it would throw away unconsumed changes.
 *
 * Security note: names are validated plain identifiers (connection-options.ts) and are still quoted.
 */
import { assertPlainIdentifier } from './connection-options.ts';
import { ReplicationError, sqlState } from './errors.ts';
import { parseLsn } from './types.ts';

/** What these functions need from pg (a Pool or a Client). */
export interface Queryable {
  query<R extends object>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

export async function ensurePublication(db: Queryable, publicationName: string): Promise<void> {
  assertPlainIdentifier('publication', publicationName);
  const { rows } = await db.query<{ exists: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = $1) AS exists',
    [publicationName],
  );
  if (rows[0]?.exists) return;
  try {
    await db.query(`CREATE PUBLICATION "${publicationName}" WITH (publish_via_partition_root = true)`);
  } catch (error) {
    if (sqlState(error) !== '42710') throw error; // duplicate_object: created concurrently
  }
}

interface SlotRow {
  database: string | null;
  current_database: string;
  plugin: string | null;
  slot_type: string;
  temporary: boolean;
  confirmed_flush_lsn: string | null;
}

/** Makes sure the slot exists and suits us; returns its confirmed_flush_lsn. */
export async function ensureSlot(db: Queryable, slotName: string): Promise<bigint> {
  assertPlainIdentifier('slot', slotName);
  const existing = await readSlot(db, slotName);
  if (existing !== null) return existing;
  try {
    await db.query(`SELECT pg_create_logical_replication_slot($1, 'pgoutput', false)`, [slotName]);
  } catch (error) {
    if (sqlState(error) !== '42710') throw error; // created concurrently: check it below
  }
  const created = await readSlot(db, slotName);
  if (created === null) {
    throw new ReplicationError(
      'replication_slot_missing',
      `Replication slot ${slotName} vanished right after creation.`,
      {
        slot: slotName,
      },
    );
  }
  return created;
}

/** The slot's confirmed_flush_lsn; throws `replication_slot_missing` if it does not exist. */
export async function slotConfirmedFlush(db: Queryable, slotName: string): Promise<bigint> {
  const position = await readSlot(db, slotName);
  if (position === null) {
    throw new ReplicationError(
      'replication_slot_missing',
      `Replication slot ${slotName} does not exist any more; changes since it was dropped are lost and shapes must be rebuilt.`,
      { slot: slotName },
    );
  }
  return position;
}

export async function currentWalLsn(db: Queryable): Promise<bigint> {
  const { rows } = await db.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  const lsn = rows[0]?.lsn;
  if (!lsn) throw new Error('pg_current_wal_lsn() returned nothing');
  return parseLsn(lsn);
}

async function readSlot(db: Queryable, slotName: string): Promise<bigint | null> {
  const { rows } = await db.query<SlotRow>(
    `SELECT database, current_database() AS current_database, plugin, slot_type, temporary,
            confirmed_flush_lsn::text AS confirmed_flush_lsn
       FROM pg_replication_slots WHERE slot_name = $1`,
    [slotName],
  );
  const slot = rows[0];
  if (!slot) return null;
  if (
    slot.slot_type !== 'logical' ||
    slot.plugin !== 'pgoutput' ||
    slot.temporary ||
    slot.database !== slot.current_database
  ) {
    throw new ReplicationError(
      'replication_slot_mismatch',
      `Replication slot ${slotName} exists but is not a permanent pgoutput slot of database ${slot.current_database} ` +
        `(it is a ${slot.temporary ? 'temporary ' : ''}${slot.slot_type} slot, plugin ${slot.plugin ?? 'none'}, database ${slot.database ?? 'none'}). ` +
        `Use another slot name, or drop that slot if nothing needs it.`,
      { slot: slotName },
    );
  }
  return slot.confirmed_flush_lsn === null ? 0n : parseLsn(slot.confirmed_flush_lsn);
}
