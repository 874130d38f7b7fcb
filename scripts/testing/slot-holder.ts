/**
 * scripts/testing/slot-holder.ts: keeps a logical replication slot busy, the way the walsender of
 * a sync server that died without closing its connection does (host crash, network partition)
 * until PostgreSQL notices, after wal_sender_timeout. A server started meanwhile cannot stream
 * (55006, slot active) and retries; `release()` frees the slot.
 *
 * The holder reads the slot with pgoutput but never acknowledges anything, so the slot's position
 * is exactly where the dead server left it.
 */
import pg from 'pg';
import { LogicalReplicationService, PgoutputPlugin } from 'pg-logical-replication';

export interface SlotHold {
  /** Closes the holding connection (idempotent); the walsender then exits and frees the slot. */
  release(): Promise<void>;
}

async function slotActive(databaseUrl: string, slot: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ active: boolean }>(
      `SELECT active FROM pg_replication_slots WHERE slot_name = $1`,
      [slot],
    );
    return rows[0]?.active ?? false;
  } finally {
    await client.end();
  }
}

export async function holdSlot(
  databaseUrl: string,
  slot: string,
  publication = 'outpost_sync',
  timeoutMs = 15_000,
): Promise<SlotHold> {
  const started = Date.now();
  for (;;) {
    const service = new LogicalReplicationService(
      { connectionString: databaseUrl },
      { acknowledge: { auto: false, timeoutSeconds: 0 } },
    );
    service.on('error', () => undefined);
    let ended = false;
    const run = service
      .subscribe(new PgoutputPlugin({ protoVersion: 1, publicationNames: [publication] }), slot)
      .catch(() => undefined)
      .finally(() => (ended = true));
    await new Promise((r) => setTimeout(r, 300));
    if (!ended && (await slotActive(databaseUrl, slot))) {
      let released: Promise<void> | null = null;
      return {
        release: () =>
          (released ??= (async () => {
            await service.stop().catch(() => undefined);
            await run;
          })()),
      };
    }
    await service.stop().catch(() => undefined);
    await run;
    // The previous holder's walsender may still be exiting: try again.
    if (Date.now() - started > timeoutMs)
      throw new Error(`could not take slot ${slot} within ${timeoutMs} ms`);
  }
}
