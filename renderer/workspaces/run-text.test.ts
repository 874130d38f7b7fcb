import { describe, expect, it } from 'vitest';
import { durationText, runStateText } from './run-text.ts';

describe('a run in words', () => {
  it('names states, and says when a queued run waits for the network', () => {
    expect(runStateText('error', false)).toBe('Could not run');
    expect(runStateText('queued', true)).toBe('Queued · waits for the network');
    expect(runStateText('passed', true)).toBe('Passed');
  });

  it('gives durations in ms, seconds or minutes, and none until finished', () => {
    const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();
    expect(durationText(at(0), at(850))).toBe('850 ms');
    expect(durationText(at(0), at(12_400))).toBe('12.4 s');
    expect(durationText(at(0), at(185_000))).toBe('3 min 5 s');
    expect(durationText(at(0), null)).toBeNull();
  });
});
