/**
 * sync-server/shapes/shape-log.ts: the on-disk, append-only log of one shape.
 *
 * Layout: one file, one entry per line: `<offset>\t<message JSON>\n`, offsets strictly increasing.
 * Entries are grouped into chunks (at most CHUNK_BYTES each); memory holds only the chunk index
 * (first/last offset and byte range per chunk), never the rows, so a million-row shape costs a few
 * kilobytes of memory. A read returns the entries after an offset up to the end of one chunk, the
 * unit the Shape API serves per response.
 *
 * Durability: `append` writes to the file (page cache) at once, so readers see the entries
 * immediately; `flush` makes them durable (fsync) and reports how far. After a crash, `open`
 * truncates a torn last line and the replication stream re-delivers what was not yet durable; since
 * replicated offsets derive from commit LSNs, the rebuilt entries are identical (see log-offset.ts).
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
} from 'node:fs';
import { compareOffsets, formatOffset, parseOffset, type LogOffset } from './log-offset.ts';

export const CHUNK_BYTES = 4 * 1024 * 1024;
const INDEX_GROUP = 1024;

interface Chunk {
  first: LogOffset;
  last: LogOffset;
  start: number;
  end: number;
}

export interface LogRead {
  /** Message JSON texts, in order. */
  readonly messages: string[];
  /** Offset of the last message returned, or the requested offset when nothing was returned. */
  readonly lastOffset: LogOffset;
  /** True when more entries follow after this read. */
  readonly more: boolean;
}

export class ShapeLog {
  private readonly chunks: Chunk[] = [];
  private size = 0;
  private durableSize = 0;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly fd: number,
    private readonly chunkBytes: number,
  ) {}

  /** Opens (creating if needed) a log file, rebuilding the chunk index and dropping a torn tail. */
  static open(path: string, options: { chunkBytes?: number } = {}): ShapeLog {
    const fd = openSync(path, 'a+');
    const log = new ShapeLog(path, fd, options.chunkBytes ?? CHUNK_BYTES);
    log.recover();
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

  private recover(): void {
    const total = fstatSync(this.fd).size;
    const buffer = Buffer.allocUnsafe(1024 * 1024);
    let pos = 0;
    let carry = '';
    let lineStart = 0;
    while (pos < total) {
      const n = readSync(this.fd, buffer, 0, buffer.length, pos);
      if (n <= 0) break;
      const text = carry + buffer.toString('utf8', 0, n);
      const lines = text.split('\n');
      carry = lines.pop() ?? '';
      for (const line of lines) {
        const tab = line.indexOf('\t');
        const offset = parseOffset(line.slice(0, tab));
        const length = Buffer.byteLength(line) + 1;
        this.index(offset, lineStart, length);
        lineStart += length;
      }
      pos += n;
    }
    if (lineStart < total) ftruncateSync(this.fd, lineStart); // a torn last line from a crash
    this.size = lineStart;
    this.durableSize = lineStart;
  }

  private index(offset: LogOffset, start: number, length: number): void {
    const last = this.chunks.at(-1);
    if (last && compareOffsets(offset, last.last) <= 0) {
      throw new Error(
        `internal: shape log ${this.path} offsets must increase (${formatOffset(offset)} after ${formatOffset(last.last)})`,
      );
    }
    if (!last || last.end - last.start >= this.chunkBytes) {
      this.chunks.push({ first: offset, last: offset, start, end: start + length });
    } else {
      last.last = offset;
      last.end = start + length;
    }
  }

  /**
   * Appends entries (offsets increasing, after the current last). Visible to reads at once. Entries
   * are indexed in groups of up to INDEX_GROUP, so a chunk may exceed `chunkBytes` by one group.
   */
  append(entries: readonly { offset: LogOffset; json: string }[]): void {
    if (this.closed) throw new Error(`internal: shape log ${this.path} is closed`);
    let previous = this.lastOffset;
    for (let from = 0; from < entries.length; from += INDEX_GROUP) {
      const group = entries.slice(from, from + INDEX_GROUP);
      let text = '';
      for (const e of group) {
        if (previous && compareOffsets(e.offset, previous) <= 0) {
          throw new Error(
            `internal: shape log ${this.path} offsets must increase (${formatOffset(e.offset)} after ${formatOffset(previous)})`,
          );
        }
        previous = e.offset;
        text += `${formatOffset(e.offset)}\t${e.json}\n`;
      }
      const bytes = Buffer.from(text);
      let written = 0;
      while (written < bytes.length) {
        written += writeSync(this.fd, bytes, written, bytes.length - written, this.size + written);
      }
      const first = (group[0] as { offset: LogOffset }).offset;
      const last = (group.at(-1) as { offset: LogOffset }).offset;
      const chunk = this.chunks.at(-1);
      const end = this.size + bytes.length;
      if (!chunk || chunk.end - chunk.start >= this.chunkBytes)
        this.chunks.push({ first, last, start: this.size, end });
      else {
        chunk.last = last;
        chunk.end = end;
      }
      this.size = end;
    }
  }

  /** True when everything appended has been made durable. */
  get isDurable(): boolean {
    return this.durableSize === this.size;
  }

  /**
   * Makes every entry appended so far durable (fsync on the libuv thread pool, so many logs flush
   * in parallel without blocking the event loop). Resolves with the offset that is now durable.
   */
  async flush(): Promise<void> {
    const target = this.size;
    if (this.durableSize >= target || this.closed) return;
    await new Promise<void>((resolve, reject) =>
      fsync(this.fd, (error) => (error ? reject(error) : resolve())),
    );
    this.durableSize = Math.max(this.durableSize, target);
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
    if (!chunk) return { messages: [], lastOffset: after, more: false };
    const buffer = Buffer.allocUnsafe(chunk.end - chunk.start);
    let got = 0;
    while (got < buffer.length) got += readSync(this.fd, buffer, got, buffer.length - got, chunk.start + got);
    const messages: string[] = [];
    const whole = compareOffsets(chunk.first, after) > 0; // every entry of the chunk is wanted
    let lastOffset = whole ? chunk.last : after;
    for (const line of buffer.toString('utf8').split('\n')) {
      if (line === '') continue;
      const tab = line.indexOf('\t');
      if (!whole) {
        const offset = parseOffset(line.slice(0, tab));
        if (compareOffsets(offset, after) <= 0) continue;
        lastOffset = offset;
      }
      messages.push(line.slice(tab + 1));
    }
    return { messages, lastOffset, more: lo < this.chunks.length - 1 };
  }

  close(): void {
    if (this.closed) return;
    if (this.durableSize < this.size) fsyncSync(this.fd);
    this.closed = true;
    closeSync(this.fd);
  }
}
