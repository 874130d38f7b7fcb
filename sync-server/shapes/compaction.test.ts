/**
 * The log side of compaction (compaction.ts), against logs built with the real message encoders the
 * engine uses: folding gives exactly the rows a client holds after the log, for both replica modes,
 * with rows moving in and out of the `where`, primary key changes and deletes; the folded log reads
 * as a snapshot of them; changes are copied verbatim; an interrupted compaction is completed
 * idempotently.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TextRow } from '../replication/types.ts';
import {
  completeInterruptedCompaction,
  copyAllChanges,
  foldLog,
  rowOverhead,
  writeFoldedRows,
  type FoldedRows,
} from './compaction.ts';
import { BEFORE_ALL, formatOffset, type LogOffset } from './log-offset.ts';
import {
  changeMessages,
  rowKey,
  snapshotInsert,
  type MessageShape,
  type ReplicatedRowChange,
  type Replica,
} from './messages.ts';
import { ShapeLog } from './shape-log.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'outpost-compaction-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SNAPSHOT = { xmin: 740n, xmax: 745n, xip: [743n] };

function shapeOf(replica: Replica, where: boolean): MessageShape {
  return {
    schema: 'public',
    table: 'items',
    columns: ['id', 'n', 'note'],
    primaryKey: ['id'],
    replica,
    includes: where ? (row: TextRow) => Number(row['n']) >= 5 : () => true,
  };
}

/** A table, a log of one shape of it, written as the engine writes (snapshot, then transactions). */
class Scenario {
  readonly table = new Map<string, TextRow>();
  readonly log: ShapeLog;
  lsn = 1_000n;
  private nextId = 1;

  constructor(
    readonly shape: MessageShape,
    readonly random: () => number,
    dir: string,
    chunkBytes?: number,
  ) {
    this.log = ShapeLog.open(path.join(dir, 'log'), chunkBytes ? { chunkBytes } : {});
  }

  private newRow(): TextRow {
    return { id: String(this.nextId++), n: String(Math.floor(this.random() * 10)), note: this.note() };
  }

  private note(): string | null {
    return this.random() < 0.2 ? null : `note ${Math.floor(this.random() * 1000)} / "q"`;
  }

  snapshot(rows: number): void {
    for (let i = 0; i < rows; i++) {
      const row = this.newRow();
      this.table.set(row['id'] as string, row);
    }
    const entries = [...this.table.values()]
      .filter((r) => this.shape.includes(r))
      .map((r, op) => ({ offset: { tx: 0n, op }, json: JSON.stringify(snapshotInsert(this.shape, r)) }));
    entries.push({
      offset: { tx: 0n, op: entries.length },
      json: JSON.stringify({ headers: { control: 'snapshot-end' } }),
    });
    this.log.append(entries);
  }

  private pickId(): string | null {
    const ids = [...this.table.keys()];
    return ids.length === 0 ? null : (ids[Math.floor(this.random() * ids.length)] as string);
  }

  private change(): ReplicatedRowChange | null {
    const r = this.random();
    if (r < 0.3 || this.table.size < 3) {
      const row = this.newRow();
      this.table.set(row['id'] as string, row);
      return { op: 'insert', new: row };
    }
    const id = this.pickId() as string;
    const old = this.table.get(id) as TextRow;
    if (r < 0.45) {
      this.table.delete(id);
      return { op: 'delete', old };
    }
    const row: TextRow = { ...old };
    if (r < 0.55) row['id'] = String(this.nextId++); // a primary key change
    if (this.random() < 0.7) row['n'] = String(Math.floor(this.random() * 10));
    if (this.random() < 0.5) row['note'] = this.note();
    this.table.delete(id);
    this.table.set(row['id'] as string, row);
    return { op: 'update', old, new: row };
  }

  /** One transaction of 1-3 changes, appended as applyToShape does. */
  transaction(): void {
    this.lsn += BigInt(1 + Math.floor(this.random() * 100));
    const changes = Array.from({ length: 1 + Math.floor(this.random() * 3) }, () => this.change());
    const out: { op: number; json: Record<string, unknown> }[] = [];
    changes.forEach((change, index) => {
      if (!change) return;
      changeMessages(this.shape, change).forEach((message, i) => {
        out.push({ op: index * 2 + i, json: message as unknown as Record<string, unknown> });
      });
    });
    if (out.length === 0) return;
    this.log.append(
      out.map(({ op, json }, i) => {
        const headers = json['headers'] as Record<string, unknown>;
        headers['lsn'] = this.lsn.toString();
        headers['op_position'] = op;
        headers['txids'] = [7];
        if (i === out.length - 1) headers['last'] = true;
        return { offset: { tx: this.lsn, op }, json: JSON.stringify(json) };
      }),
    );
  }

  /** What a client holding the whole log has: the shape's rows of the table, by key. */
  expected(): Map<string, Record<string, string | null>> {
    const out = new Map<string, Record<string, string | null>>();
    for (const row of this.table.values()) {
      if (!this.shape.includes(row)) continue;
      out.set(rowKey(this.shape, row), {
        id: row['id'] ?? null,
        n: row['n'] ?? null,
        note: row['note'] ?? null,
      });
    }
    return out;
  }
}

const parsed = (folded: FoldedRows) =>
  new Map([...folded.rows].map(([k, v]) => [k, JSON.parse(v) as Record<string, string | null>]));

const fold = (log: ShapeLog, lastLsn = 0n, cancelled = () => false) =>
  foldLog(log, { lastLsn: () => lastLsn, cancelled, rowOverhead: rowOverhead(['public', 'items']) });

/** Every entry of a log, with its offset and message. */
function entries(log: ShapeLog): { offset: string; message: Record<string, unknown> }[] {
  const out: { offset: string; message: Record<string, unknown> }[] = [];
  let cursor: LogOffset = BEFORE_ALL;
  for (;;) {
    const r = log.read(cursor);
    if (r.messages.length === 0) return out;
    // read() gives only the last offset of a read: rebuild the others from the headers or position.
    r.messages.forEach((m) => out.push({ offset: '', message: JSON.parse(m) as Record<string, unknown> }));
    (out.at(-1) as { offset: string }).offset = formatOffset(r.lastOffset);
    cursor = r.lastOffset;
  }
}

describe('foldLog', () => {
  it.each([
    ['default', false],
    ['default', true],
    ['full', false],
    ['full', true],
  ] as const)(
    'replica=%s, where=%s: the folded rows are the rows after the whole log (10 seeds)',
    async (replica, where) => {
      for (let seed = 1; seed <= 10; seed++) {
        const s = new Scenario(shapeOf(replica, where), prng(seed), tempDir(), 2048);
        s.snapshot(40);
        for (let t = 0; t < 400; t++) s.transaction();
        const folded = await fold(s.log, s.lsn);
        expect(folded).not.toBeNull();
        expect(parsed(folded as FoldedRows)).toEqual(s.expected());
        expect(folded?.through).toEqual(s.log.lastOffset);
        expect(folded?.lsn).toBe(s.lsn);
        s.log.close();
      }
    },
  );

  it('estimates the bytes of the folded log', async () => {
    const s = new Scenario(shapeOf('default', false), prng(3), tempDir());
    s.snapshot(200);
    for (let t = 0; t < 1000; t++) s.transaction();
    const folded = (await fold(s.log)) as FoldedRows;
    const out = ShapeLog.open(path.join(tempDir(), 'log'));
    await writeFoldedRows(out, folded, ['public', 'items'], SNAPSHOT, () => false);
    expect(folded.bytes / out.byteLength).toBeGreaterThan(0.9);
    expect(folded.bytes / out.byteLength).toBeLessThan(1.1);
    expect(out.byteLength).toBeLessThan(s.log.byteLength / 2);
  });

  it('folds what is appended while it runs, to the end of the log, and reads the LSN there', async () => {
    const s = new Scenario(shapeOf('default', false), prng(5), tempDir(), 1024);
    s.snapshot(5_000); // several slices, so the fold yields to the event loop in between
    let appended = 0;
    const writer = setInterval(() => {
      if (appended++ < 50) s.transaction();
    }, 0);
    try {
      const folded = (await foldLog(s.log, {
        lastLsn: () => s.lsn,
        cancelled: () => false,
        rowOverhead: 0,
      })) as FoldedRows;
      expect(appended).toBeGreaterThan(0);
      expect(parsed(folded)).toEqual(s.expected());
      expect(folded.lsn).toBe(s.lsn);
      expect(folded.through).toEqual(s.log.lastOffset);
    } finally {
      clearInterval(writer);
    }
  });

  it('stops when cancelled', async () => {
    const s = new Scenario(shapeOf('default', false), prng(6), tempDir());
    s.snapshot(10_000);
    let calls = 0;
    expect(await fold(s.log, 0n, () => ++calls > 2)).toBeNull();
  });

  it('refuses a log that updates a row it never inserted', async () => {
    const log = ShapeLog.open(path.join(tempDir(), 'log'));
    log.append([
      {
        offset: { tx: 5n, op: 0 },
        json: JSON.stringify({
          key: 'k',
          value: { id: '1' },
          headers: { operation: 'update', lsn: '5', op_position: 0 },
        }),
      },
    ]);
    await expect(fold(log)).rejects.toThrow(/update of a missing row/);
  });
});

describe('writeFoldedRows and copying changes', () => {
  it('writes one snapshot insert per row, then snapshot-end with the given snapshot, then the changes as they were', async () => {
    const s = new Scenario(shapeOf('full', true), prng(8), tempDir());
    s.snapshot(30);
    for (let t = 0; t < 100; t++) s.transaction();
    const folded = (await fold(s.log, s.lsn)) as FoldedRows;
    const out = ShapeLog.open(path.join(tempDir(), 'log'), { chunkBytes: 512 });
    expect(await writeFoldedRows(out, folded, ['public', 'items'], SNAPSHOT, () => false)).toBe(true);
    const written = entries(out);
    const rows = written.slice(0, -1).map((e) => e.message);
    for (const [i, row] of rows.entries()) {
      expect(row['headers']).toEqual({ operation: 'insert', relation: ['public', 'items'] });
      // exactly the message a snapshot of that row gives
      const value = row['value'] as TextRow;
      expect(JSON.stringify(row)).toBe(JSON.stringify(snapshotInsert(s.shape, value)));
      expect(row['key']).toBe([...folded.rows.keys()][i]);
    }
    expect(written.at(-1)).toEqual({
      offset: `0_${rows.length}`,
      message: { headers: { control: 'snapshot-end', xmin: '740', xmax: '745', xip_list: ['743'] } },
    });

    for (let t = 0; t < 100; t++) s.transaction();
    const before = out.lastOffset;
    copyAllChanges(s.log, out, folded.through);
    expect(out.lastOffset).toEqual(s.log.lastOffset);
    const copied = entries(out)
      .slice(written.length)
      .map((e) => e.message);
    const original = entries(s.log)
      .slice(-copied.length)
      .map((e) => e.message);
    expect(copied).toEqual(original);
    expect(before).toEqual({ tx: 0n, op: rows.length });
    // and the new log folds to the same rows as the old one
    expect(parsed((await fold(out)) as FoldedRows)).toEqual(s.expected());
  });

  it('completes an interrupted compaction from the old log, idempotently', async () => {
    const s = new Scenario(shapeOf('default', true), prng(9), tempDir());
    s.snapshot(50);
    for (let t = 0; t < 50; t++) s.transaction();
    const folded = (await fold(s.log, s.lsn)) as FoldedRows;
    const nextDir = tempDir();
    const next = ShapeLog.open(path.join(nextDir, 'log'));
    await writeFoldedRows(next, folded, ['public', 'items'], SNAPSHOT, () => false);
    for (let t = 0; t < 30; t++) s.transaction();
    copyAllChanges(s.log, next, folded.through); // caught up with part of what followed ...
    for (let t = 0; t < 30; t++) s.transaction(); // ... and the old shape received more before the crash
    next.close();
    await s.log.flush();
    const nextLog = path.join(nextDir, 'log');
    expect(await completeInterruptedCompaction(nextLog, s.log.path, folded.through)).toBeGreaterThan(0);
    expect(await completeInterruptedCompaction(nextLog, s.log.path, folded.through)).toBe(0);
    const done = ShapeLog.open(nextLog);
    expect(done.lastOffset).toEqual(s.log.lastOffset);
    expect(parsed((await fold(done)) as FoldedRows)).toEqual(s.expected());
    done.close();
    expect(await completeInterruptedCompaction(nextLog, path.join(nextDir, 'missing'), folded.through)).toBe(
      0,
    );
  });
});
