import {
  appendFileSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BEFORE_ALL,
  compareOffsets,
  formatOffset,
  parseOffset,
  SNAPSHOT_END,
  type LogOffset,
} from './log-offset.ts';
import {
  FILE_HEADER,
  jsonArrayBody,
  KEPT_BYTES,
  ShapeLog,
  ShapeLogFormatError,
  type LogRead,
} from './shape-log.ts';

const dirs: string[] = [];
function tempLog(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'outpost-log-'));
  dirs.push(dir);
  return path.join(dir, 'log');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const snapshotRow = (n: number) => ({
  offset: { tx: 0n, op: n },
  json: JSON.stringify({ key: `k${n}`, value: { id: String(n), note: 'é/"\n' } }),
});

/** Rows as the snapshot appends them: encoded JSON, each with its comma, and their lengths. */
function encoded(jsons: readonly string[]) {
  const parts = jsons.map((j) => Buffer.from(`${j},`));
  return {
    bytes: Buffer.concat(parts),
    lengths: Uint32Array.from(parts.map((p) => p.length)),
    count: parts.length,
  };
}

/** Reads everything after `after`, chunk by chunk, as a client would. */
function readAll(
  log: ShapeLog,
  after: LogOffset = BEFORE_ALL,
): { messages: string[]; reads: number; last: LogOffset } {
  const messages: string[] = [];
  let reads = 0;
  let cursor = after;
  for (;;) {
    const r = log.read(cursor);
    if (r.count === 0) return { messages, reads, last: cursor };
    reads++;
    expect(r.messages).toHaveLength(r.count);
    messages.push(...r.messages);
    cursor = r.lastOffset;
  }
}

const body = (read: LogRead, trailer: string | null = null): string =>
  Buffer.concat(jsonArrayBody(read, trailer)).toString('utf8');
const parse = (text: string): unknown[] => JSON.parse(text) as unknown[];

describe('log offsets', () => {
  it('parses and formats every form, and orders them', () => {
    for (const text of ['-1', '0_0', '0_17', '0_inf', '23900296_4'])
      expect(formatOffset(parseOffset(text))).toBe(text);
    const sorted = ['-1', '0_0', '0_9', '0_10', '0_inf', '5_0', '5_2', '40_0'].map(parseOffset);
    expect([...sorted].sort(compareOffsets)).toEqual(sorted);
    expect(compareOffsets(SNAPSHOT_END, parseOffset('1_0'))).toBeLessThan(0);
  });

  it.each([
    '',
    '1',
    '-2',
    '01_0',
    '1_',
    '_1',
    'now',
    '1_-1',
    'a_b',
    '1_2_3',
    '1e3_0',
    '99999999999999999999999_0',
  ])('rejects %j with invalid_offset', (text) => expect(() => parseOffset(text)).toThrow(/Invalid offset/));
});

describe('shape log', () => {
  it('serves entries after any offset, one chunk at a time, in order', () => {
    const log = ShapeLog.open(tempLog(), { chunkBytes: 64 * 1024 });
    const rows = Array.from({ length: 8000 }, (_, i) => snapshotRow(i));
    log.append(rows);
    log.append([{ offset: { tx: 100n, op: 0 }, json: '{"live":1}' }]);
    const { messages, reads, last } = readAll(log);
    expect(messages).toHaveLength(8001);
    expect(messages[0]).toBe(rows[0]?.json);
    expect(messages.at(-1)).toBe('{"live":1}');
    expect(reads).toBeGreaterThan(1); // more than one chunk
    expect(formatOffset(last)).toBe('100_0');
    expect(log.read(parseOffset('0_4000')).messages[0]).toBe(rows[4001]?.json);
    expect(log.read(SNAPSHOT_END).messages).toEqual(['{"live":1}']);
    log.close();
  });

  it('serves the stored bytes as a JSON array, with or without a closing control message', () => {
    const log = ShapeLog.open(tempLog());
    const rows = Array.from({ length: 50 }, (_, i) => snapshotRow(i));
    log.appendEncoded(0n, 0, encoded(rows.map((r) => r.json)));
    const read = log.read(parseOffset('0_9'));
    expect(read.count).toBe(40);
    expect(parse(body(read))).toEqual(rows.slice(10).map((r) => parse(r.json)));
    expect(parse(body(read, '{"headers":{"control":"up-to-date"}}')).at(-1)).toEqual({
      headers: { control: 'up-to-date' },
    });
    const empty = log.read(parseOffset('0_49'));
    expect(body(empty)).toBe('[]');
    expect(body(empty, '{"c":1}')).toBe('[{"c":1}]');
    log.close();
  });

  it('reads the right entries after every offset, across frames and chunks, old and new', () => {
    const log = ShapeLog.open(tempLog(), { chunkBytes: 16 * 1024 });
    const all: { offset: LogOffset; json: string }[] = [];
    let op = 0;
    for (let batch = 0; batch < 40; batch++) {
      // snapshot runs of varying size, then transactions of one to three changes
      const jsons = Array.from({ length: 1 + ((batch * 7) % 23) }, (_, i) => snapshotRow(op + i).json);
      log.appendEncoded(0n, op, encoded(jsons));
      jsons.forEach((json, i) => all.push({ offset: { tx: 0n, op: op + i }, json }));
      op += jsons.length;
    }
    for (let tx = 1n; tx <= 300n; tx++) {
      const entries = Array.from({ length: Number(tx % 3n) + 1 }, (_, i) => ({
        offset: { tx: 1000n + tx, op: i * 2 },
        json: JSON.stringify({ tx: String(tx), i, pad: 'x'.repeat(Number(tx % 50n)) }),
      }));
      log.append(entries);
      all.push(...entries);
    }
    const check = (l: ShapeLog) => {
      for (let i = -1; i < all.length; i++) {
        const after = i < 0 ? BEFORE_ALL : (all[i] as { offset: LogOffset }).offset;
        const r = l.read(after);
        const expected = all.slice(i + 1, i + 1 + r.count);
        expect(r.count).toBeGreaterThan(i + 1 < all.length ? 0 : -1);
        expect(r.messages).toEqual(expected.map((e) => e.json));
        expect(r.lastOffset).toEqual(r.count > 0 ? expected.at(-1)?.offset : after);
        expect(parse(body(r))).toEqual(expected.map((e) => parse(e.json)));
      }
      // Offsets that were never written (between and after entries) read what follows them.
      for (const gap of [
        { tx: 0n, op: op + 5 },
        { tx: 1000n, op: 7 },
        { tx: 1001n, op: 1 },
        { tx: 1150n, op: 3 },
      ]) {
        const next = all.find((e) => compareOffsets(e.offset, gap) > 0);
        expect(l.read(gap).messages[0]).toBe(next?.json);
      }
      expect(l.read({ tx: 99999n, op: 0 }).count).toBe(0);
      expect(readAll(l).messages).toEqual(all.map((e) => e.json));
    };
    check(log);
    log.close();
    const reopened = ShapeLog.open(log.path, { chunkBytes: 16 * 1024 });
    check(reopened);
    reopened.close();
  });

  it('reads only the new bytes for a reader that keeps up, and little more for any other offset', () => {
    const log = ShapeLog.open(tempLog());
    let tx = 1n;
    const append = () =>
      log.append([{ offset: { tx: tx++, op: 0 }, json: JSON.stringify({ pad: 'y'.repeat(500) }) }]);
    for (let i = 0; i < 5000; i++) append(); // about 2.5 MB in one chunk
    let cursor = log.lastOffset as LogOffset;
    for (let i = 0; i < 20; i++) {
      append();
      const before = log.bytesRead;
      const r = log.read(cursor);
      expect(r.count).toBe(1);
      expect(log.bytesRead - before).toBeLessThan(600); // the new frame, not the chunk
      cursor = r.lastOffset;
    }
    const before = log.bytesRead;
    expect(log.read({ tx: 2500n, op: 0 }).count).toBe(2520);
    expect(log.bytesRead - before).toBeLessThan(2520 * 560 + 64 * 1024 + 1024);
    log.close();
  });

  it('keeps only a chunk index and a few seek marks in memory, not the rows', () => {
    const log = ShapeLog.open(tempLog(), { chunkBytes: 64 * 1024 });
    for (let i = 0; i < 20_000; i++) log.append([snapshotRow(i)]);
    const internals = log as unknown as { chunks: unknown[]; marks: unknown[]; recentBytes: number };
    expect(internals.chunks.length).toBeGreaterThan(1);
    expect(internals.chunks.length).toBeLessThanOrEqual(Math.ceil(log.byteLength / (64 * 1024)) + 1);
    expect(internals.marks.length).toBeLessThan(3 * 64);
    expect(internals.recentBytes).toBeLessThanOrEqual(KEPT_BYTES);
    log.close();
  });

  it('serves recent frames from memory with the bytes the file holds, even from a reused buffer', () => {
    const file = tempLog();
    const log = ShapeLog.open(file);
    log.keepRecentFrames(256 * 1024);
    const reused = Buffer.alloc(64 * 1024);
    const expected: string[] = [];
    let op = 0;
    for (let batch = 0; batch < 40; batch++) {
      const rows = Array.from({ length: 50 }, (_, i) => snapshotRow(op + i).json);
      const fresh = encoded(rows);
      reused.set(fresh.bytes); // one buffer for every batch, as the snapshot's encoder does
      log.appendEncoded(0n, op, { ...fresh, bytes: reused.subarray(0, fresh.bytes.length) });
      expected.push(...rows);
      op += rows.length;
      // A reader a few batches behind the writer reads nothing from the file.
      const before = log.bytesRead;
      const r = log.read({ tx: 0n, op: Math.max(-1, op - 150 - 1) });
      expect(log.bytesRead).toBe(before);
      expect(r.messages).toEqual(expected.slice(-Math.min(op, 150)));
    }
    log.keepRecentFrames(KEPT_BYTES);
    expect(readAll(log).messages).toEqual(expected);
    log.close();
    expect(readAll(ShapeLog.open(file)).messages).toEqual(expected); // and the file holds the same
  });

  it('refuses offsets that do not increase, or that it cannot store', () => {
    const log = ShapeLog.open(tempLog());
    log.append([snapshotRow(1)]);
    expect(() => log.append([snapshotRow(1)])).toThrow(/offsets must increase/);
    expect(() => log.append([snapshotRow(3), snapshotRow(2)])).toThrow(/offsets must increase/);
    expect(() => log.appendEncoded(0n, 1, encoded(['{}']))).toThrow(/offsets must increase/);
    expect(() => log.append([{ offset: SNAPSHOT_END, json: '{}' }])).toThrow(/cannot store/);
    expect(log.read(BEFORE_ALL).count).toBe(1);
    log.close();
  });

  it('reopens with the same entries, and cuts off a frame torn by a crash', async () => {
    const file = tempLog();
    const log = ShapeLog.open(file);
    log.append([snapshotRow(0), snapshotRow(1), { offset: { tx: 7n, op: 0 }, json: '{"a":"é\\n"}' }]);
    await log.flush();
    expect(log.isDurable).toBe(true);
    const whole = log.byteLength;
    log.append([{ offset: { tx: 8n, op: 0 }, json: '{"torn":true}' }]);
    log.close();
    truncateSync(file, statSync(file).size - 3); // the last frame's end never reached the disk
    const reopened = ShapeLog.open(file);
    expect(reopened.read(BEFORE_ALL).messages).toHaveLength(3);
    expect(formatOffset(reopened.lastOffset ?? BEFORE_ALL)).toBe('7_0');
    expect(statSync(file).size).toBe(whole);
    reopened.append([{ offset: { tx: 9n, op: 0 }, json: '{"whole":true}' }]);
    expect(reopened.read({ tx: 7n, op: 0 }).messages).toEqual(['{"whole":true}']);
    reopened.close();
    expect(readAll(ShapeLog.open(file)).messages).toHaveLength(4);
  });

  it('cuts off frames whose payload or header did not reach the disk', () => {
    const file = tempLog();
    const log = ShapeLog.open(file);
    log.append([snapshotRow(0)]);
    const whole = log.byteLength;
    log.append([snapshotRow(1), snapshotRow(2)]);
    log.close();
    // The last frame's header is there, its payload is zeros (the file grew, the data was lost).
    const bytes = readFileSync(file);
    const payload = Buffer.byteLength(`${snapshotRow(1).json},${snapshotRow(2).json},`);
    bytes.fill(0, bytes.length - payload);
    writeFileSync(file, bytes);
    const zeroed = ShapeLog.open(file);
    expect(zeroed.read(BEFORE_ALL).messages).toEqual([snapshotRow(0).json]);
    expect(zeroed.byteLength).toBe(whole);
    zeroed.close();
    // Garbage where a frame header should be.
    appendFileSync(file, Buffer.alloc(40, 0xab));
    const garbage = ShapeLog.open(file);
    expect(garbage.byteLength).toBe(whole);
    expect(garbage.read(BEFORE_ALL).count).toBe(1);
    garbage.close();
  });

  it('refuses a log in another format, and completes a file header torn by a crash', () => {
    const legacy = tempLog();
    writeFileSync(legacy, '0_0\t{"key":"k"}\n');
    expect(() => ShapeLog.open(legacy)).toThrow(ShapeLogFormatError);
    const torn = tempLog();
    writeFileSync(torn, FILE_HEADER.subarray(0, 7));
    const log = ShapeLog.open(torn);
    expect(log.lastOffset).toBeNull();
    log.append([snapshotRow(0)]);
    log.close();
    expect(ShapeLog.open(torn).read(BEFORE_ALL).messages).toEqual([snapshotRow(0).json]);
  });
});
