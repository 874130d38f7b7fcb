/**
 * main/lifecycle/quit-sequence.test.ts: the quit transition table, pair by pair, and the sequences
 * that matter (normal quit, a core that hangs, a core that died).
 */
import { describe, expect, it } from 'vitest';
import {
  QUIT_TRANSITIONS,
  QuitSequence,
  type QuitAction,
  type QuitEvent,
  type QuitState,
} from './quit-sequence.ts';

const expected: Record<QuitState, Record<QuitEvent, [QuitState, QuitAction[]]>> = {
  running: {
    quitRequested: ['closing', ['preventQuit', 'sendQuit', 'startTimer']],
    coreStarted: ['running', []],
    coreClosed: ['running', []],
    coreExited: ['coreDown', []],
    timeout: ['running', []],
  },
  coreDown: {
    quitRequested: ['closed', []],
    coreStarted: ['running', []],
    coreClosed: ['coreDown', []],
    coreExited: ['coreDown', []],
    timeout: ['coreDown', []],
  },
  closing: {
    quitRequested: ['closing', ['preventQuit']],
    coreStarted: ['closing', []],
    coreClosed: ['closed', ['clearTimer', 'quitApp']],
    coreExited: ['closed', ['clearTimer', 'quitApp']],
    timeout: ['closed', ['killCore', 'quitApp']],
  },
  closed: {
    quitRequested: ['closed', []],
    coreStarted: ['closed', []],
    coreClosed: ['closed', []],
    coreExited: ['closed', []],
    timeout: ['closed', []],
  },
};

describe('QUIT_TRANSITIONS', () => {
  for (const [state, events] of Object.entries(expected)) {
    for (const [event, [next, actions]] of Object.entries(events)) {
      it(`${state} + ${event} → ${next} [${actions.join(', ')}]`, () => {
        expect(QUIT_TRANSITIONS[state as QuitState][event as QuitEvent]).toEqual({ next, actions });
      });
    }
  }

  it('prevents the quit in every state but closed and coreDown, whose quit goes through', () => {
    for (const state of ['running', 'closing'] as const) {
      expect(QUIT_TRANSITIONS[state].quitRequested.actions).toContain('preventQuit');
    }
    for (const state of ['coreDown', 'closed'] as const) {
      expect(QUIT_TRANSITIONS[state].quitRequested.actions).not.toContain('preventQuit');
    }
  });
});

describe('QuitSequence', () => {
  const run = (events: QuitEvent[]) => {
    const sequence = new QuitSequence();
    const actions = events.flatMap((e) => sequence.dispatch(e));
    return { state: sequence.state, actions };
  };

  it('waits for the core to close, then quits once', () => {
    expect(run(['coreStarted', 'quitRequested', 'quitRequested', 'coreClosed', 'quitRequested'])).toEqual({
      state: 'closed',
      actions: ['preventQuit', 'sendQuit', 'startTimer', 'preventQuit', 'clearTimer', 'quitApp'],
    });
  });

  it('kills a core that does not answer in time', () => {
    expect(run(['coreStarted', 'quitRequested', 'timeout', 'coreExited'])).toEqual({
      state: 'closed',
      actions: ['preventQuit', 'sendQuit', 'startTimer', 'killCore', 'quitApp'],
    });
  });

  it('does not wait for a core that died or never started', () => {
    expect(run(['quitRequested'])).toEqual({ state: 'closed', actions: [] });
    expect(run(['coreStarted', 'coreExited', 'quitRequested'])).toEqual({ state: 'closed', actions: [] });
  });
});
