/**
 * The two fixes patches/ applies to the copies of @electric-sql/client 1.0.14 and
 * @electric-sql/experimental 1.0.14 that @electric-sql/pglite-sync 0.6.1 bundles (patch-package, run
 * by `npm install`). Without them, stopping a sync while pglite-sync's MultiShapeStream is forcing a
 * lagging shape to refresh rejects two promises nobody handles, with `undefined` as the reason (one
 * from the client's internal tick promise, one from MultiShapeStream's Promise.all): a Node host
 * would crash on sign-out or account switch. Client 1.5 fixed the first upstream; the second is still
 * there in experimental 6.
 */
import { PGlite } from '@electric-sql/pglite';
import { electricSync } from '@electric-sql/pglite-sync';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

interface Stream {
  forceDisconnectAndRefresh(): Promise<void>;
}

describe('pglite-sync patches', () => {
  it('stops a stream whose refresh is pending without an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const db = await PGlite.create({ extensions: { sync: electricSync() } });
    try {
      await db.exec(`CREATE TABLE t (id int PRIMARY KEY)`);
      const sync = (
        db as unknown as {
          sync: {
            syncShapesToTables(o: unknown): Promise<{ unsubscribe(): void; streams: Record<string, Stream> }>;
          };
        }
      ).sync;
      // Nothing listens on port 9: the stream retries with backoff, so a refresh stays pending.
      const subscription = await sync.syncShapesToTables({
        key: null,
        shapes: {
          t: {
            shape: { url: 'http://127.0.0.1:9/v1/shape', params: { table: 't' } },
            table: 't',
            primaryKey: ['id'],
          },
        },
      });
      const refresh = subscription.streams['t']!.forceDisconnectAndRefresh();
      await new Promise((r) => setTimeout(r, 200));
      subscription.unsubscribe();
      // The caller of the refresh sees it end (as MultiShapeStream does, through allSettled).
      await expect(Promise.allSettled([refresh])).resolves.toHaveLength(1);
      await new Promise((r) => setTimeout(r, 500));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await db.close();
    }
  });

  it('has MultiShapeStream settle its refreshes with allSettled', async () => {
    const require = createRequire(import.meta.url);
    const syncEntry = require.resolve('@electric-sql/pglite-sync');
    const experimental = path.join(
      syncEntry.slice(0, syncEntry.lastIndexOf(`${path.sep}dist${path.sep}`)),
      'node_modules/@electric-sql/experimental/dist',
    );
    for (const file of ['index.mjs', 'cjs/index.cjs']) {
      const text = await readFile(path.join(experimental, file), 'utf8');
      expect(text).toContain('Promise.allSettled(refreshPromises)');
    }
  });
});
