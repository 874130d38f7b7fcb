import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BEFORE_ALL, compareOffsets, formatOffset, parseOffset, SNAPSHOT_END } from './log-offset.ts';
import { ShapeLog } from './shape-log.ts';

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
  json: JSON.stringify({ key: `k${n}`, value: { id: String(n) } }),
});

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
    let after = BEFORE_ALL;
    const seen: string[] = [];
    let reads = 0;
    for (;;) {
      const r = log.read(after);
      if (r.messages.length === 0) break;
      reads++;
      seen.push(...r.messages);
      after = r.lastOffset;
    }
    expect(seen).toHaveLength(8001);
    expect(seen[0]).toBe(rows[0]?.json);
    expect(seen.at(-1)).toBe('{"live":1}');
    expect(reads).toBeGreaterThan(1); // more than one chunk
    expect(formatOffset(after)).toBe('100_0');
    expect(log.read(parseOffset('0_4000')).messages[0]).toBe(rows[4001]?.json);
    expect(log.read(SNAPSHOT_END).messages).toEqual(['{"live":1}']);
    log.close();
  });

  it('keeps only a chunk index in memory, not the rows', () => {
    const log = ShapeLog.open(tempLog(), { chunkBytes: 64 * 1024 });
    log.append(Array.from({ length: 20_000 }, (_, i) => snapshotRow(i)));
    const chunks = (log as unknown as { chunks: unknown[] }).chunks.length;
    expect(chunks).toBeGreaterThan(1);
    expect(chunks).toBeLessThanOrEqual(Math.ceil(log.byteLength / (64 * 1024)) + 1);
    log.close();
  });

  it('refuses offsets that do not increase', () => {
    const log = ShapeLog.open(tempLog());
    log.append([snapshotRow(1)]);
    expect(() => log.append([snapshotRow(1)])).toThrow(/offsets must increase/);
    log.close();
  });

  it('reopens with the same entries, and drops a torn last line left by a crash', async () => {
    const file = tempLog();
    const log = ShapeLog.open(file);
    log.append([snapshotRow(0), snapshotRow(1), { offset: { tx: 7n, op: 0 }, json: '{"a":"é\\n"}' }]);
    await log.flush();
    expect(log.isDurable).toBe(true);
    log.close();
    appendFileSync(file, '9_0\t{"torn":');
    const reopened = ShapeLog.open(file);
    expect(reopened.read(BEFORE_ALL).messages).toHaveLength(3);
    expect(formatOffset(reopened.lastOffset ?? BEFORE_ALL)).toBe('7_0');
    expect(readFileSync(file, 'utf8').endsWith('\n')).toBe(true);
    reopened.append([{ offset: { tx: 9n, op: 0 }, json: '{"whole":true}' }]);
    expect(reopened.read({ tx: 7n, op: 0 }).messages).toEqual(['{"whole":true}']);
    reopened.close();
  });
});
