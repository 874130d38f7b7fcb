/**
 * The fixes patches/ applies to the copies of @electric-sql/client 1.0.14 and
 * @electric-sql/experimental 1.0.14 that @electric-sql/pglite-sync 0.6.1 bundles (patch-package, run
 * by `npm install`):
 *  1. Stopping a sync while pglite-sync's MultiShapeStream is forcing a lagging shape to refresh
 *     rejected two promises nobody handles, with `undefined` as the reason (the client's internal tick
 *     promise; MultiShapeStream's Promise.all): a Node host would crash on sign-out or account switch.
 *     Client 1.5 fixed the first upstream; the second is still there in experimental 6.
 *  2. MultiShapeStream asks every lagging shape to refresh whenever a change arrives; the client
 *     aborted a refresh already in flight and started it over. With a hundred shapes, a busy server
 *     and a steady trickle of changes, refreshes never finished and a committed change (a delete)
 *     waited for tens of seconds. Now a refresh in flight is left to finish, and MultiShapeStream
 *     checks again afterwards for shapes still behind.
 *
 * The refresh test runs against a minimal Shape API stand-in (one empty table, a slow non-live
 * answer): what it exercises is the client library, not Outpost's server.
 */
import { PGlite } from '@electric-sql/pglite';
import { electricSync } from '@electric-sql/pglite-sync';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

interface Stream {
  forceDisconnectAndRefresh(): Promise<void>;
}

/** Creates table `t` and syncs it from the Shape API at `url` (no subscription key). */
async function syncTable(db: PGlite, url: string) {
  await db.exec(`CREATE TABLE t (id int PRIMARY KEY)`);
  const sync = (
    db as unknown as {
      sync: {
        syncShapesToTables(o: unknown): Promise<{ unsubscribe(): void; streams: Record<string, Stream> }>;
      };
    }
  ).sync;
  return sync.syncShapesToTables({
    key: null,
    shapes: { t: { shape: { url, params: { table: 't' } }, table: 't', primaryKey: ['id'] } },
  });
}

describe('pglite-sync patches', () => {
  it('stops a stream whose refresh is pending without an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const db = await PGlite.create({ extensions: { sync: electricSync() } });
    try {
      // Nothing listens on port 9: the stream retries with backoff, so a refresh stays pending.
      const subscription = await syncTable(db, 'http://127.0.0.1:9/v1/shape');
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

  it('lets a refresh in flight finish instead of aborting and restarting it', async () => {
    const refreshes: { aborted: boolean }[] = [];
    const headers = (offset: string) => ({
      'content-type': 'application/json',
      'electric-handle': 'h1',
      'electric-offset': offset,
      'electric-schema': JSON.stringify({ id: { type: 'int4', pk_index: 0 } }),
      'electric-cursor': '1',
      'electric-up-to-date': '',
    });
    const upToDate = JSON.stringify([{ headers: { control: 'up-to-date', global_last_seen_lsn: '10' } }]);
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const live = url.searchParams.get('live') === 'true';
      if (url.searchParams.get('offset') === '-1')
        return void res.writeHead(200, headers('0_0')).end(upToDate);
      if (live) {
        // A long poll that only ends when the client aborts it.
        req.on('close', () => res.end());
        return;
      }
      // A refresh (non-live catch-up): answered slowly, as by a busy server.
      const refresh = { aborted: false };
      refreshes.push(refresh);
      const timer = setTimeout(() => res.writeHead(200, headers('0_0')).end(upToDate), 600);
      res.on('close', () => {
        if (!res.writableFinished) {
          refresh.aborted = true;
          clearTimeout(timer);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const db = await PGlite.create({ extensions: { sync: electricSync() } });
    try {
      const { port } = server.address() as AddressInfo;
      const subscription = await syncTable(db, `http://127.0.0.1:${port}/v1/shape`);
      const stream = subscription.streams['t'] as Stream & { isUpToDate: boolean };
      for (let i = 0; i < 100 && !stream.isUpToDate; i++) await new Promise((r) => setTimeout(r, 20));
      expect(stream.isUpToDate).toBe(true);
      await new Promise((r) => setTimeout(r, 100)); // the long poll is in flight
      const first = stream.forceDisconnectAndRefresh();
      await new Promise((r) => setTimeout(r, 200)); // the refresh request is in flight
      const second = stream.forceDisconnectAndRefresh();
      await Promise.all([first, second]);
      subscription.unsubscribe();
      expect(refreshes.length).toBeGreaterThanOrEqual(1);
      expect(refreshes.filter((r) => r.aborted)).toEqual([]);
    } finally {
      await db.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('has MultiShapeStream settle its refreshes with allSettled and check again after them', async () => {
    const require = createRequire(import.meta.url);
    const syncEntry = require.resolve('@electric-sql/pglite-sync');
    const experimental = path.join(
      syncEntry.slice(0, syncEntry.lastIndexOf(`${path.sep}dist${path.sep}`)),
      'node_modules/@electric-sql/experimental/dist',
    );
    for (const file of ['index.mjs', 'cjs/index.cjs']) {
      const text = await readFile(path.join(experimental, file), 'utf8');
      expect(text).toContain('Promise.allSettled(refreshPromises)');
      expect(text).toContain('scheduleCheckForUpdates_fn).call(this);\n  });');
    }
  });
});
