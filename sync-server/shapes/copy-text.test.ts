import { describe, expect, it } from 'vitest';
import { CopyLineSplitter, parseCopyLine } from './copy-text.ts';

describe('COPY text format', () => {
  it('splits fields, reads NULL and undoes escapes', () => {
    expect(parseCopyLine('1\t\\N\ta\\tb\\nc\\\\d\t{"k": "v\\\\"}')).toEqual([
      '1',
      null,
      'a\tb\nc\\d',
      '{"k": "v\\"}',
    ]);
    expect(parseCopyLine('\\101\\x42\\r')).toEqual(['AB\r']);
    expect(parseCopyLine('')).toEqual(['']);
  });

  it('keeps lines and multi-byte characters whole across chunks', () => {
    const splitter = new CopyLineSplitter();
    const bytes = new TextEncoder().encode('é1\tx\nsecond\té\n');
    const lines = [
      ...splitter.push(bytes.slice(0, 1)),
      ...splitter.push(bytes.slice(1, 9)),
      ...splitter.push(bytes.slice(9)),
    ];
    splitter.end();
    expect(lines).toEqual(['é1\tx', 'second\té']);
  });

  it('notices a stream that ends inside a line', () => {
    const splitter = new CopyLineSplitter();
    splitter.push(new TextEncoder().encode('partial'));
    expect(() => splitter.end()).toThrow(/middle of a line/);
  });
});
