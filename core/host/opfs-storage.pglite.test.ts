/**
 * PGlite over the MEMFS frontend and the OPFS backend (core/host/opfs-storage.ts), on an in-memory
 * OPFS: a flush whose file open times out is tried again, so the query behind it succeeds and its
 * change reaches storage, instead of the query failing with its change made in memory only.
 */
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { memoryOpfs } from './memory-opfs.fixtures.ts';
import { OpfsHandleBackend, OpfsOpenTimeout } from './opfs-backend.ts';
import { FLUSH_ATTEMPTS, RetryingMemfsFrontend } from './opfs-storage.ts';

const opfs = memoryOpfs();
let pg: PGlite;

beforeAll(async () => {
  vi.stubGlobal('navigator', { storage: { getDirectory: () => Promise.resolve(opfs.root) } });
  // Opens time out after 50 ms here (30 s in the app).
  pg = new PGlite({ fs: new RetryingMemfsFrontend(new OpfsHandleBackend('db', 50)) });
  await pg.waitReady;
});

afterAll(async () => {
  opfs.stats.hold = () => null;
  await pg.close();
  vi.unstubAllGlobals();
});

/** Whether any stored file holds `text` (the WAL holds every committed row). */
const stored = (text: string) => {
  const bytes = new TextEncoder().encode(text);
  return [...opfs.files.values()].some((file) => Buffer.from(file).includes(bytes));
};

/** Opens of files wait 300 ms (past the timeout) while `hang(path, attempt)` says so. */
function holdOpens(hang: (path: string, attempt: number) => boolean): Map<string, number> {
  const attempts = new Map<string, number>();
  opfs.stats.hold = (path) => {
    const attempt = (attempts.get(path) ?? 0) + 1;
    attempts.set(path, attempt);
    return hang(path, attempt) ? new Promise((resolve) => setTimeout(resolve, 300)) : null;
  };
  return attempts;
}

describe('RetryingMemfsFrontend', () => {
  it('tries a flush whose open timed out again: the query succeeds and its change is stored', async () => {
    const attempts = holdOpens((_, attempt) => attempt === 1);
    await pg.exec(`CREATE TABLE notes (body text); INSERT INTO notes VALUES ('kept-after-a-retry')`);
    expect(Math.max(...attempts.values())).toBe(2);
    expect(stored('kept-after-a-retry')).toBe(true);
    opfs.stats.hold = () => null;
    expect((await pg.query(`SELECT body FROM notes`)).rows).toEqual([{ body: 'kept-after-a-retry' }]);
  });

  it('fails the query once every attempt timed out, and the next flush stores the change', async () => {
    const attempts = holdOpens(() => true);
    const failed = await pg
      .exec(`CREATE TABLE later (body text); INSERT INTO later VALUES ('made-in-memory')`)
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(OpfsOpenTimeout);
    expect(Math.max(...attempts.values())).toBe(FLUSH_ATTEMPTS);
    expect(stored('made-in-memory')).toBe(false);
    // The storage answers again; once the late handles have arrived (and closed), the next query's
    // flush writes what the failed one could not.
    opfs.stats.hold = () => null;
    await new Promise((resolve) => setTimeout(resolve, 400));
    await pg.exec(`INSERT INTO notes VALUES ('next')`);
    expect(stored('made-in-memory')).toBe(true);
  });
});
