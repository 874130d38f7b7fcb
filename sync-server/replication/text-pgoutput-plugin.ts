/**
 * sync-server/replication/text-pgoutput-plugin.ts: pg-logical-replication's pgoutput plugin, made
 * to hand over PostgreSQL's text output untouched, and to tell us which pg connection it streams on.
 *
 * Raw text: the library's parser gives every Relation column `parser: pg.types.getTypeParser(oid)`
 * and caches the Relation message; tuples are later decoded with `column.parser(text)`, which
 * turns timestamptz into Date, jsonb into objects, text[] into arrays. `parse()` is the only door
 * through which the Relation message reaches the cache's users, and it runs before any tuple of
 * that relation is read (the message precedes them in the stream), so replacing the parsers there
 * is complete. The replacement keeps the text exactly as the type's output function wrote it, the
 * same form snapshot queries read (raw text, no ::text casts: a cast differs from the output function
 * for bool, inet and char(n)). The global `pg.types` registry is only read, never changed.
 *
 * `start()` is where the library hands the plugin the connected pg Client just before it sends
 * START_REPLICATION; we use it to reach the client's connection (for status updates and
 * backpressure) without touching the service's private fields.
 */
import type pg from 'pg';
import { PgoutputPlugin, type Pgoutput } from 'pg-logical-replication';
import { ReplicationError } from './errors.ts';

const keepText = (text: string): string => text;

export class TextPgoutputPlugin extends PgoutputPlugin {
  /** Size in bytes of the payload of the message `parse()` decoded last. */
  lastMessageBytes = 0;

  constructor(
    publicationName: string,
    private readonly onStarting: (client: pg.Client) => void,
  ) {
    super({ protoVersion: 1, publicationNames: [publicationName] });
  }

  override parse(buffer: Buffer): Pgoutput.Message {
    this.lastMessageBytes = buffer.length;
    let message: Pgoutput.Message;
    try {
      message = super.parse(buffer);
    } catch (error) {
      throw new ReplicationError(
        'replication_protocol',
        `Could not decode a pgoutput message (tag ${buffer[0] ?? 'none'}): ${String(error)}`,
        {},
        { cause: error },
      );
    }
    if (message.tag === 'relation') {
      for (const column of message.columns) column.parser = keepText;
    }
    return message;
  }

  override start(client: pg.Client, slotName: string, lastLsn: string): Promise<unknown> {
    this.onStarting(client);
    return super.start(client, slotName, lastLsn) as Promise<unknown>;
  }
}
