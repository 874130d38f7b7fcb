import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DraftWriter } from './draft-writer.ts';

function recorder() {
  const log: string[] = [];
  const writes = {
    keep: vi.fn((path: string, text: string) => {
      log.push(`keep ${path} ${text}`);
      return Promise.resolve();
    }),
    save: vi.fn((path: string, text: string) => {
      log.push(`save ${path} ${text}`);
      return Promise.resolve();
    }),
  };
  return { log, writes };
}

describe('DraftWriter', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps a file once typing pauses, with the latest text, not once per keystroke', async () => {
    const { log, writes } = recorder();
    const writer = new DraftWriter(writes, () => undefined, 500);
    for (const text of ['a', 'ab', 'abc']) {
      writer.schedule('x.js', text);
      await vi.advanceTimersByTimeAsync(200);
    }
    expect(log).toEqual([]);
    await vi.advanceTimersByTimeAsync(500);
    expect(log).toEqual(['keep x.js abc']);
  });

  it('a save drops the pending keep of that file only', async () => {
    const { log, writes } = recorder();
    const writer = new DraftWriter(writes, () => undefined, 500);
    writer.schedule('x.js', 'typed');
    writer.schedule('y.js', 'other');
    await writer.save('x.js', 'typed');
    await vi.advanceTimersByTimeAsync(1000);
    expect(log).toEqual(['save x.js typed', 'keep y.js other']);
  });

  it('flush keeps every pending edit at once; the writes of a file run in order', async () => {
    const { log, writes } = recorder();
    const writer = new DraftWriter(writes, () => undefined, 500);
    writer.schedule('x.js', '1');
    await writer.flush();
    writer.schedule('x.js', '2');
    const saving = writer.save('x.js', '3');
    await saving;
    await writer.flush();
    expect(log).toEqual(['keep x.js 1', 'save x.js 3']);
  });

  it('a failed save rejects its promise, and later writes still run', async () => {
    const { log, writes } = recorder();
    writes.save.mockRejectedValueOnce(new Error('no draft'));
    const writer = new DraftWriter(writes, () => undefined, 10);
    await expect(writer.save('x.js', 'a')).rejects.toThrow('no draft');
    writer.schedule('x.js', 'b');
    await writer.flush();
    expect(log).toEqual(['keep x.js b']);
  });

  it('reports a failed keep and goes on', async () => {
    const errors: string[] = [];
    const writes = {
      keep: vi.fn(() => Promise.reject(new Error('disk full'))),
      save: vi.fn(() => Promise.resolve()),
    };
    const writer = new DraftWriter(writes, (path, error) => errors.push(`${path}: ${String(error)}`), 10);
    writer.schedule('x.js', 'a');
    await vi.advanceTimersByTimeAsync(20);
    await writer.save('x.js', 'b');
    expect(errors).toEqual(['x.js: Error: disk full']);
    expect(writes.save).toHaveBeenCalledWith('x.js', 'b');
  });
});
