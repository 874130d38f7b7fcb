import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { WireMeter } from './wire-meter.ts';

/** A backend message: type byte, int32 length (counting itself), body. */
function message(type: string, body: string): Buffer {
  const payload = Buffer.from(body);
  const header = Buffer.alloc(5);
  header.write(type, 0);
  header.writeUInt32BE(payload.length + 4, 1);
  return Buffer.concat([header, payload]);
}

/** Stands in for pg-protocol's parser: joins slices, and records each slice and each whole message. */
class FakeParser {
  readonly slices: Buffer[] = [];
  readonly messages: string[] = [];
  private pending = Buffer.alloc(0);
  readonly listener = (chunk: Buffer): void => {
    this.slices.push(Buffer.from(chunk));
    this.pending = Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 5) {
      const total = 1 + this.pending.readUInt32BE(1);
      if (this.pending.length < total) break;
      this.messages.push(this.pending.subarray(5, total).toString());
      this.pending = this.pending.subarray(total);
    }
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

function setup(shouldPause: () => boolean = () => false) {
  const stream = new PassThrough();
  const parser = new FakeParser();
  stream.on('data', parser.listener);
  const errors: unknown[] = [];
  const meter = new WireMeter(stream, shouldPause, (error) => errors.push(error));
  return { stream, parser, meter, errors };
}

describe('WireMeter', () => {
  it('feeds the parser whole messages one at a time, however the socket splits them', async () => {
    const wire = Buffer.concat(
      ['a', 'bb', '', 'a much longer body', 'c'].map((b, i) => message('d', `${i}:${b}`)),
    );
    for (const cut of [1, 2, 3, 4, 5, 6, 7, 9, 13, wire.length]) {
      const { stream, parser } = setup();
      for (let offset = 0; offset < wire.length; offset += cut)
        stream.write(wire.subarray(offset, offset + cut));
      await tick();
      expect(parser.messages).toEqual(['0:a', '1:bb', '2:', '3:a much longer body', '4:c']);
      expect(Buffer.concat(parser.slices).equals(wire)).toBe(true);
      // No slice spans two messages.
      let position = 0;
      const ends: number[] = [];
      for (let offset = 0; offset < wire.length;) {
        offset += 1 + wire.readUInt32BE(offset + 1);
        ends.push(offset);
      }
      for (const slice of parser.slices) {
        const nextEnd = ends.find((end) => end > position)!;
        expect(position + slice.length).toBeLessThanOrEqual(nextEnd);
        position += slice.length;
      }
    }
  });

  it('stops at a message boundary while the caller wants a pause, and goes on when resumed', async () => {
    let allowed = 2;
    const { stream, parser, meter } = setup(() => parser.messages.length >= allowed);
    stream.write(Buffer.concat([1, 2, 3, 4, 5].map((i) => message('d', `m${i}`))));
    await tick();
    expect(parser.messages).toEqual(['m1', 'm2']);
    expect(meter.isPaused).toBe(true);
    expect(stream.isPaused()).toBe(true);
    expect(meter.backlogBytes).toBe(3 * message('d', 'm3').length);
    meter.resume(); // still not allowed
    expect(parser.messages).toHaveLength(2);
    allowed = 4;
    meter.resume();
    expect(parser.messages).toEqual(['m1', 'm2', 'm3', 'm4']);
    allowed = Infinity;
    meter.resume();
    expect(parser.messages).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect(meter.isPaused).toBe(false);
    expect(stream.isPaused()).toBe(false);
    stream.write(message('d', 'm6'));
    await tick();
    expect(parser.messages.at(-1)).toBe('m6');
  });

  it('reports an error thrown while a message is handled instead of letting it escape, and parses nothing more', async () => {
    const stream = new PassThrough();
    const seen: string[] = [];
    stream.on('data', (chunk: Buffer) => {
      seen.push(chunk.subarray(5).toString());
      if (seen.length === 2) throw new Error('bad message');
    });
    const errors: unknown[] = [];
    new WireMeter(
      stream,
      () => false,
      (error) => errors.push(error),
    );
    stream.write(Buffer.concat(['x', 'y', 'z'].map((b) => message('d', b))));
    await tick();
    stream.write(message('d', 'later'));
    await tick();
    expect(seen).toEqual(['x', 'y']);
    expect(errors).toHaveLength(1);
  });
});
