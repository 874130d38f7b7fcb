/**
 * sync-server/shapes/shape-log.ts: the on-disk, append-only log of one shape.
 *
 * A read is served as it lies on disk: every entry is stored as its message JSON followed by a
 * comma, so the entries after an offset are a few byte ranges of the file that go out as the inside
 * of the response's JSON array, with no splitting, parsing or re-encoding.
 *
 *   file   = "OUTPOST SHAPE LOG 2\n" frame*
 *   frame  = header      u32 magic "OPLF", u32 count, u32 payload bytes,
 *                        u32 CRC-32 of the 12 bytes before it and of the records   (little-endian)
 *            records     count × (u64 tx, u32 op, u32 length): each entry's offset and byte length
 *            payload     the entries' JSON, each followed by ","
 *
 * An append writes whole frames (one per call, split at FRAME_ENTRIES). Frames are grouped into
 * chunks (a new chunk starts once the current one holds CHUNK_BYTES), the unit a read returns at most.
 *
 * Memory is bounded per shape, whatever the log's length: the chunk index (first/last offset and
 * byte range per chunk) and, for the last chunk only, a few seek marks (the position after each of
 * the last RECENT_MARKS frames, and one every SEEK_SPACING bytes), and the most recent frames up to
 * KEPT_BYTES (16 KiB), so a live reader is served what was just appended from memory instead of
 * reading it back. While a snapshot is written, `keepRecentFrames(n)` raises that to n bytes for the
 * readers following the writer, and the snapshot lowers it again when it ends. A reader that keeps up (it asks
 * for the offset it was last given) therefore reads only the new bytes; any other offset in the last
 * chunk reads at most SEEK_SPACING bytes it does not need; an offset inside an older chunk reads
 * that chunk.
 *
 * Durability: `append` writes to the file (page cache) at once, so readers see the entries
 * immediately; `flush` makes them durable (fsync). After a crash, `open` keeps the longest run of
 * whole, valid frames (magic, CRC, sizes; in the last chunk also every entry's closing comma) and
 * cuts off the rest; the replication stream re-delivers what was not yet durable, and since
 * replicated offsets derive from commit LSNs, the rebuilt entries are identical (see log-offset.ts).
 * A file in another format (the line format before 2026-11-23) is refused with ShapeLogFormatError:
 * its shape is dropped at start and its clients get 409 must-refetch.
 */
import {
  closeSync,
  fstatSync,
  fsync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readSync,
  writeSync,
  writevSync,
} from 'node:fs';
import { crc32 } from 'node:zlib';
import { compareOffsets, formatOffset, type LogOffset } from './log-offset.ts';

export const CHUNK_BYTES = 4 * 1024 * 1024;
export const FILE_HEADER = Buffer.from('OUTPOST SHAPE LOG 2\n', 'latin1');
const FRAME_MAGIC = 0x464c504f; // "OPLF"
const FRAME_HEADER = 16;
const RECORD = 16;
/** Most entries one frame holds. */
export const FRAME_ENTRIES = 4096;
/** The last chunk keeps a seek mark at least every SEEK_SPACING bytes... */
const SEEK_SPACING = 64 * 1024;
/** ...and one after each of its last RECENT_MARKS frames. */
const RECENT_MARKS = 64;
const COMMA = 0x2c;
const MAX_OP = 0xffffffff;
/** The most recent frame bytes a log keeps in memory for its readers, unless told otherwise. */
export const KEPT_BYTES = 16 * 1024;

interface Chunk {
  first: LogOffset;
  last: LogOffset;
  start: number;
  end: number;
}

/** A position in the last chunk: every entry before `pos` has an offset at most `before`. */
interface SeekMark {
  readonly before: LogOffset;
  readonly pos: number;
}

/** Entries of one frame that a read returns: from entry `from` of the frame. */
interface Span {
  readonly header: Buffer;
  readonly payload: Buffer;
  readonly from: number;
}

/** A frame written recently, kept in memory at its file position (`keepRecentFrames`). */
interface KeptFrame {
  readonly pos: number;
  readonly header: Buffer;
  readonly payload: Buffer;
}

export interface LogRead {
  /** How many entries were read. */
  readonly count: number;
  /** The entries' message JSON, each followed by a comma, in order: send them as they are. */
  readonly bytes: readonly Uint8Array[];
  /** The entries' message JSON texts, decoded on first use (serving never needs them). */
  readonly messages: string[];
  /** Offset of the last entry returned, or the requested offset when nothing was returned. */
  readonly lastOffset: LogOffset;
  /** True when more entries follow after this read. */
  readonly more: boolean;
}

/** A log file that is not in this format (an older version's): its shape must be rebuilt. */
export class ShapeLogFormatError extends Error {
  constructor(path: string) {
    super(`shape log ${path} is not in format 2 (written by an older version)`);
    this.name = 'ShapeLogFormatError';
  }
}

/** The body of a response: a JSON array of the read's messages, then `trailer` (a message) if given. */
export function jsonArrayBody(read: Pick<LogRead, 'bytes' | 'count'>, trailer: string | null): Uint8Array[] {
  if (trailer !== null) return [OPEN, ...read.bytes, Buffer.from(`${trailer}]`)];
  if (read.count === 0) return [Buffer.from('[]')];
  const body = [OPEN, ...read.bytes];
  const last = body.pop() as Uint8Array;
  body.push(last.subarray(0, last.length - 1), CLOSE); // drop the last entry's comma
  return body;
}
const OPEN = Buffer.from('[');
const CLOSE = Buffer.from(']');

export class ShapeLog {
  private readonly chunks: Chunk[] = [];
  /** Seek marks in the last chunk, in order; the last RECENT_MARKS are every frame end. */
  private marks: SeekMark[] = [];
  private size = 0;
  private durableSize = 0;
  private closed = false;
  private readTotal = 0;
  /** The most recent frames, in file order, contiguous up to `size` (empty unless kept). */
  private recent: KeptFrame[] = [];
  private recentBytes = 0;
  private recentLimit = KEPT_BYTES;

  private constructor(
    readonly path: string,
    private readonly fd: number,
    private readonly chunkBytes: number,
  ) {}

  /**
   * Opens (creating if needed) a log file, rebuilding the chunk index and cutting off a torn tail.
   * Throws ShapeLogFormatError for a file in another format.
   */
  static open(path: string, options: { chunkBytes?: number } = {}): ShapeLog {
    const fd = openSync(path, 'a+');
    const log = new ShapeLog(path, fd, options.chunkBytes ?? CHUNK_BYTES);
    try {
      log.recover();
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    return log;
  }

  get lastOffset(): LogOffset | null {
    return this.chunks.at(-1)?.last ?? null;
  }

  get firstOffset(): LogOffset | null {
    return this.chunks[0]?.first ?? null;
  }

  get byteLength(): number {
    return this.size;
  }

  /** Bytes read from the file by `read` so far (for tests and metrics). */
  get bytesRead(): number {
    return this.readTotal;
  }

  /** Appends entries (offsets increasing, after the current last). Visible to reads at once. */
  append(entries: readonly { offset: LogOffset; json: string }[]): void {
    this.checkWritable();
    let previous = this.lastOffset;
    for (const { offset } of entries) {
      this.checkIncreasing(offset, previous);
      previous = offset;
    }
    for (let from = 0; from < entries.length; from += FRAME_ENTRIES) {
      const group = entries.slice(from, from + FRAME_ENTRIES);
      const payload = Buffer.from(group.map((e) => `${e.json},`).join(''));
      const header = Buffer.allocUnsafe(FRAME_HEADER + RECORD * group.length);
      const view = new DataView(header.buffer, header.byteOffset, header.length);
      group.forEach((e, i) => writeRecord(view, i, e.offset.tx, e.offset.op, Buffer.byteLength(e.json) + 1));
      this.writeFrame(header, payload, group.length, true);
    }
  }

  /**
   * Appends a run of entries whose messages are already encoded (`bytes`: each followed by a comma;
   * `lengths`: their byte lengths, comma included), at offsets tx_firstOp, tx_(firstOp+1), ...
   */
  appendEncoded(
    tx: bigint,
    firstOp: number,
    encoded: { readonly bytes: Uint8Array; readonly lengths: Uint32Array; readonly count: number },
  ): void {
    this.checkWritable();
    if (encoded.count === 0) return;
    this.checkIncreasing({ tx, op: firstOp }, this.lastOffset);
    this.checkIncreasing({ tx, op: firstOp + encoded.count - 1 }, null);
    for (const frame of runFrames(tx, firstOp, encoded))
      this.writeFrame(frame.header, frame.payload, frame.count, false);
  }

  /** True when everything appended has been made durable. */
  get isDurable(): boolean {
    return this.durableSize === this.size;
  }

  /**
   * Makes every entry appended so far durable (fsync on the libuv thread pool, so many logs flush
   * in parallel without blocking the event loop).
   */
  async flush(): Promise<void> {
    const target = this.size;
    if (this.durableSize >= target || this.closed) return;
    await new Promise<void>((resolve, reject) =>
      fsync(this.fd, (error) => (error ? reject(error) : resolve())),
    );
    this.durableSize = Math.max(this.durableSize, target);
  }

  /**
   * Keeps the most recent frames, up to `bytes` of them, in memory for reads (KEPT_BYTES: the
   * default; 0: none). More for a writer with readers close behind it (a snapshot).
   */
  keepRecentFrames(bytes: number): void {
    this.recentLimit = bytes;
    this.trimRecent();
  }

  /** Entries strictly after `after`, up to the end of the chunk that holds the first of them. */
  read(after: LogOffset): LogRead {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareOffsets((this.chunks[mid] as Chunk).last, after) <= 0) lo = mid + 1;
      else hi = mid;
    }
    const chunk = this.chunks[lo];
    if (!chunk) return emptyRead(after);
    const from = lo === this.chunks.length - 1 ? this.seek(after, chunk.start) : chunk.start;
    const frames = this.recentFrames(from, chunk.end) ?? this.readFrames(from, chunk.end);
    const spans: Span[] = [];
    const bytes: Uint8Array[] = [];
    let count = 0;
    let lastOffset = after;
    let found = false; // every entry from here on is wanted
    for (const { header, payload } of frames) {
      const n = header.readUInt32LE(4);
      let skip = 0;
      let skipBytes = 0;
      if (!found) {
        // Entries at or before `after` in this frame are skipped (only in the first frames read).
        while (skip < n && compareOffsets(recordOffset(header, 0, skip), after) <= 0)
          skipBytes += header.readUInt32LE(FRAME_HEADER + RECORD * skip++ + 12);
        found = skip < n;
      }
      if (skip < n) {
        spans.push({ header, payload, from: skip });
        bytes.push(skipBytes === 0 ? payload : payload.subarray(skipBytes));
        count += n - skip;
        lastOffset = recordOffset(header, 0, n - 1);
      }
    }
    let messages: string[] | null = null;
    return {
      count,
      bytes,
      get messages() {
        return (messages ??= decodeSpans(spans));
      },
      lastOffset,
      more: lo < this.chunks.length - 1,
    };
  }

  close(): void {
    if (this.closed) return;
    if (this.durableSize < this.size) fsyncSync(this.fd);
    this.closed = true;
    closeSync(this.fd);
  }

  /** Where to start reading the last chunk for entries after `after`: its start or a later mark. */
  private seek(after: LogOffset, chunkStart: number): number {
    let lo = 0;
    let hi = this.marks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareOffsets((this.marks[mid] as SeekMark).before, after) <= 0) lo = mid + 1;
      else hi = mid;
    }
    const mark = this.marks[lo - 1];
    return mark && mark.pos > chunkStart ? mark.pos : chunkStart;
  }

  /** The kept frames from `from` (a frame's start) to `end`, or null when they are not all kept. */
  private recentFrames(from: number, end: number): KeptFrame[] | null {
    const first = this.recent[0];
    if (!first || first.pos > from) return null;
    let i = this.recent.length - 1;
    while (i >= 0 && (this.recent[i] as KeptFrame).pos > from) i--;
    if (i < 0 || (this.recent[i] as KeptFrame).pos !== from) return null;
    const frames: KeptFrame[] = [];
    for (; i < this.recent.length && (this.recent[i] as KeptFrame).pos < end; i++)
      frames.push(this.recent[i] as KeptFrame);
    return frames;
  }

  /** The frames from `from` (a frame's start) to `end`, read from the file. */
  private readFrames(from: number, end: number): { header: Buffer; payload: Buffer }[] {
    const buffer = this.readBytes(from, end - from);
    this.readTotal += buffer.length;
    const frames: { header: Buffer; payload: Buffer }[] = [];
    let at = 0;
    while (at < buffer.length) {
      const payload = at + FRAME_HEADER + RECORD * buffer.readUInt32LE(at + 4);
      const frameEnd = payload + buffer.readUInt32LE(at + 8);
      frames.push({ header: buffer.subarray(at, payload), payload: buffer.subarray(payload, frameEnd) });
      at = frameEnd;
    }
    return frames;
  }

  private readBytes(pos: number, length: number): Buffer {
    const buffer = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const n = readSync(this.fd, buffer, got, length - got, pos + got);
      if (n <= 0) throw new Error(`internal: shape log ${this.path} is shorter than its index`);
      got += n;
    }
    return buffer;
  }

  private checkWritable(): void {
    if (this.closed) throw new Error(`internal: shape log ${this.path} is closed`);
  }

  /** Throws unless `offset` can be stored after `previous`. */
  private checkIncreasing(offset: LogOffset, previous: LogOffset | null): void {
    if (!Number.isInteger(offset.op) || offset.op < 0 || offset.op > MAX_OP || offset.tx < 0n)
      throw new Error(`internal: shape log ${this.path} cannot store offset ${formatOffset(offset)}`);
    if (previous && compareOffsets(offset, previous) <= 0) {
      throw new Error(
        `internal: shape log ${this.path} offsets must increase (${formatOffset(offset)} after ${formatOffset(previous)})`,
      );
    }
  }

  /** Writes one frame (records filled in, offsets checked) at the end of the file and indexes it. */
  private writeFrame(header: Buffer, payload: Uint8Array, count: number, owned: boolean): void {
    const first = recordOffset(header, 0, 0);
    const last = recordOffset(header, 0, count - 1);
    sealFrame(header, payload, count);
    const total = writeFrames(this.fd, this.size, [{ header, payload }]);
    this.index(first, last, this.size, this.size + total);
    // A payload the log does not own (an encoder's reused buffer) is copied to be kept.
    if (total <= this.recentLimit)
      this.keep({
        pos: this.size,
        header,
        payload: owned && Buffer.isBuffer(payload) ? payload : Buffer.from(payload),
      });
    else {
      // Too large to keep: the kept frames must run without a gap to the end, so none are kept.
      this.recent = [];
      this.recentBytes = 0;
    }
    this.size += total;
  }

  private keep(frame: KeptFrame): void {
    this.recent.push(frame);
    this.recentBytes += frame.header.length + frame.payload.length;
    this.trimRecent();
  }

  private trimRecent(): void {
    while (this.recentBytes > this.recentLimit && this.recent.length > 0) {
      const dropped = this.recent.shift() as KeptFrame;
      this.recentBytes -= dropped.header.length + dropped.payload.length;
    }
  }

  /** Adds a frame to the chunk index and the seek marks. */
  private index(first: LogOffset, last: LogOffset, start: number, end: number): void {
    const chunk = this.chunks.at(-1);
    if (!chunk || chunk.end - chunk.start >= this.chunkBytes) {
      this.chunks.push({ first, last, start, end });
      this.marks = [];
    } else {
      chunk.last = last;
      chunk.end = end;
    }
    this.marks.push({ before: last, pos: end });
    if (this.marks.length >= 3 * RECENT_MARKS) this.thinMarks();
  }

  /** Keeps the last RECENT_MARKS marks and, before them, one mark per SEEK_SPACING bytes. */
  private thinMarks(): void {
    const older = this.marks.slice(0, -RECENT_MARKS);
    const kept: SeekMark[] = [];
    for (const mark of older) {
      const previous = kept.at(-1);
      if (!previous || mark.pos - previous.pos >= SEEK_SPACING) kept.push(mark);
    }
    this.marks = [...kept, ...this.marks.slice(-RECENT_MARKS)];
  }

  private recover(): void {
    const total = fstatSync(this.fd).size;
    if (total < FILE_HEADER.length) {
      const start = this.readBytes(0, total);
      if (!FILE_HEADER.subarray(0, total).equals(start)) throw new ShapeLogFormatError(this.path);
      if (total > 0) ftruncateSync(this.fd, 0); // a header torn by a crash
      writeSync(this.fd, FILE_HEADER, 0, FILE_HEADER.length, 0);
      this.size = FILE_HEADER.length;
      return; // durable with the first flush
    }
    if (!this.readBytes(0, FILE_HEADER.length).equals(FILE_HEADER)) throw new ShapeLogFormatError(this.path);
    const frames = new FrameScanner(this.fd, total);
    let pos = FILE_HEADER.length;
    let previous: LogOffset | null = null;
    for (;;) {
      const frame = frames.at(pos, previous);
      if (!frame) break;
      this.index(frame.first, frame.last, pos, frame.end);
      previous = frame.last;
      pos = frame.end;
    }
    pos = this.checkLastChunk(pos);
    if (pos < total) ftruncateSync(this.fd, pos); // a torn tail from a crash
    this.size = pos;
    this.durableSize = pos;
  }

  /**
   * Checks that every entry of the last chunk ends with its comma (a crash can leave a frame's
   * header written and its payload not); returns where the valid frames end.
   */
  private checkLastChunk(end: number): number {
    const chunk = this.chunks.at(-1);
    if (!chunk) return end;
    const buffer = this.readBytes(chunk.start, end - chunk.start);
    let at = 0;
    while (at < buffer.length) {
      const n = buffer.readUInt32LE(at + 4);
      let entry = at + FRAME_HEADER + RECORD * n;
      for (let i = 0; i < n; i++) {
        entry += buffer.readUInt32LE(at + FRAME_HEADER + RECORD * i + 12);
        if (buffer[entry - 1] !== COMMA) return this.cutAt(chunk.start + at);
      }
      at = entry;
    }
    return end;
  }

  /** Forgets every frame from `pos` on (a torn tail found by checkLastChunk). */
  private cutAt(pos: number): number {
    const chunk = this.chunks.at(-1) as Chunk;
    const kept = this.readBytes(chunk.start, pos - chunk.start);
    this.chunks.pop();
    this.marks = [];
    let at = 0;
    while (at < kept.length) {
      const n = kept.readUInt32LE(at + 4);
      const end = at + FRAME_HEADER + RECORD * n + kept.readUInt32LE(at + 8);
      this.index(
        recordOffset(kept, at, 0),
        recordOffset(kept, at, n - 1),
        chunk.start + at,
        chunk.start + end,
      );
      at = end;
    }
    return pos;
  }
}

/** Reads frame headers sequentially through a window, for recovery. */
class FrameScanner {
  private window = Buffer.allocUnsafe(16 * 1024);
  private windowPos = 0;
  private windowLength = 0;

  constructor(
    private readonly fd: number,
    private readonly total: number,
  ) {}

  /** The valid, whole frame at `pos` (following `previous`), or null where the valid frames end. */
  at(pos: number, previous: LogOffset | null): { first: LogOffset; last: LogOffset; end: number } | null {
    const fixed = this.bytes(pos, FRAME_HEADER);
    if (!fixed || fixed.readUInt32LE(0) !== FRAME_MAGIC) return null;
    const count = fixed.readUInt32LE(4);
    const end = pos + FRAME_HEADER + RECORD * count + fixed.readUInt32LE(8);
    if (count === 0 || end > this.total) return null;
    const header = this.bytes(pos, FRAME_HEADER + RECORD * count);
    if (!header || headerCrc(header) !== header.readUInt32LE(12)) return null;
    let before = previous;
    for (let i = 0; i < count; i++) {
      const offset = recordOffset(header, 0, i);
      if (before && compareOffsets(offset, before) <= 0) return null;
      before = offset;
    }
    return { first: recordOffset(header, 0, 0), last: before as LogOffset, end };
  }

  private bytes(pos: number, length: number): Buffer | null {
    if (pos + length > this.total) return null;
    if (pos < this.windowPos || pos + length > this.windowPos + this.windowLength) {
      if (length > this.window.length) this.window = Buffer.allocUnsafe(length);
      this.windowPos = pos;
      this.windowLength = readSync(
        this.fd,
        this.window,
        0,
        Math.min(this.window.length, this.total - pos),
        pos,
      );
      if (this.windowLength < length) return null;
    }
    return this.window.subarray(pos - this.windowPos, pos - this.windowPos + length);
  }
}

/** A frame ready to be written: header (records, CRC) and payload. */
interface Frame {
  readonly header: Buffer;
  readonly payload: Uint8Array;
  readonly count: number;
}

/**
 * The frames holding a run of encoded entries at tx_firstOp, tx_(firstOp+1), … (`bytes`: each
 * entry's JSON followed by a comma; `lengths`: their byte lengths), split at FRAME_ENTRIES.
 */
function runFrames(
  tx: bigint,
  firstOp: number,
  encoded: { readonly bytes: Uint8Array; readonly lengths: Uint32Array; readonly count: number },
): Frame[] {
  const frames: Frame[] = [];
  let at = 0;
  for (let from = 0; from < encoded.count; from += FRAME_ENTRIES) {
    const count = Math.min(FRAME_ENTRIES, encoded.count - from);
    const header = Buffer.allocUnsafe(FRAME_HEADER + RECORD * count);
    const view = new DataView(header.buffer, header.byteOffset, header.length);
    let bytes = 0;
    for (let i = 0; i < count; i++) {
      const length = encoded.lengths[from + i] as number;
      writeRecord(view, i, tx, firstOp + from + i, length);
      bytes += length;
    }
    const payload = encoded.bytes.subarray(at, at + bytes);
    sealFrame(header, payload, count);
    frames.push({ header, payload, count });
    at += bytes;
  }
  return frames;
}

/** Writes frames one after the other at `position` of an open file; returns the bytes written. */
function writeFrames(
  fd: number,
  position: number,
  frames: readonly Pick<Frame, 'header' | 'payload'>[],
): number {
  const parts = frames.flatMap((f) => [f.header, f.payload]);
  const total = parts.reduce((n, p) => n + p.length, 0);
  let written = writevSync(fd, parts, position);
  while (written < total) {
    const rest = Buffer.concat(parts).subarray(written);
    written += writeSync(fd, rest, 0, rest.length, position + written);
  }
  return total;
}

/** Fills in a frame header's fixed part (its records are written already). */
function sealFrame(header: Buffer, payload: Uint8Array, count: number): void {
  header.writeUInt32LE(FRAME_MAGIC, 0);
  header.writeUInt32LE(count, 4);
  header.writeUInt32LE(payload.length, 8);
  header.writeUInt32LE(headerCrc(header), 12);
}

function writeRecord(header: DataView, i: number, tx: bigint, op: number, length: number): void {
  const at = FRAME_HEADER + RECORD * i;
  header.setBigUint64(at, tx, true);
  header.setUint32(at + 8, op, true);
  header.setUint32(at + 12, length, true);
}

/** Offset of entry i of the frame whose header is at `at` in `buffer`. */
function recordOffset(buffer: Buffer, at: number, i: number): LogOffset {
  const r = at + FRAME_HEADER + RECORD * i;
  return { tx: buffer.readBigUInt64LE(r), op: buffer.readUInt32LE(r + 8) };
}

function headerCrc(header: Buffer): number {
  const count = header.readUInt32LE(4);
  return crc32(header.subarray(FRAME_HEADER, FRAME_HEADER + RECORD * count), crc32(header.subarray(0, 12)));
}

function decodeSpans(spans: readonly Span[]): string[] {
  const messages: string[] = [];
  for (const { header, payload, from } of spans) {
    const n = header.readUInt32LE(4);
    let entry = 0;
    for (let i = 0; i < n; i++) {
      const length = header.readUInt32LE(FRAME_HEADER + RECORD * i + 12);
      if (i >= from) messages.push(payload.toString('utf8', entry, entry + length - 1));
      entry += length;
    }
  }
  return messages;
}

function emptyRead(after: LogOffset): LogRead {
  return { count: 0, bytes: [], messages: [], lastOffset: after, more: false };
}
