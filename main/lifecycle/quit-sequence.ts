/**
 * main/lifecycle/quit-sequence.ts: how quitting waits for the core to close its database, as a
 * complete transition table (every state × every event), so that no path quits while PGlite is open.
 *
 *   running ──quitRequested──► closing ──coreClosed | coreExited──► closed (app.quit proceeds)
 *      │  ▲                        │
 *      │  └──coreStarted──┐        └──timeout──► closed (the core is killed, then app.quit)
 *      └──coreExited──► coreDown ──quitRequested──► closed
 *
 * Guarantees: the first quit request while the core runs is cancelled (`preventQuit`) and turned into
 * `sendQuit` + `startTimer`; further requests while closing are cancelled too; only `closed` lets a
 * quit through, and it is reached once, with `quitApp` exactly once. A core that already died (or
 * never started) does not hold the quit up.
 */

export type QuitState = 'running' | 'coreDown' | 'closing' | 'closed';
export type QuitEvent = 'quitRequested' | 'coreStarted' | 'coreClosed' | 'coreExited' | 'timeout';
export type QuitAction = 'preventQuit' | 'sendQuit' | 'startTimer' | 'clearTimer' | 'killCore' | 'quitApp';

export interface QuitOutcome {
  readonly next: QuitState;
  readonly actions: readonly QuitAction[];
}

const stay = (state: QuitState): QuitOutcome => ({ next: state, actions: [] });

export const QUIT_TRANSITIONS: Record<QuitState, Record<QuitEvent, QuitOutcome>> = {
  running: {
    quitRequested: { next: 'closing', actions: ['preventQuit', 'sendQuit', 'startTimer'] },
    coreStarted: stay('running'),
    coreClosed: stay('running'),
    coreExited: stay('coreDown'),
    timeout: stay('running'),
  },
  coreDown: {
    quitRequested: stay('closed'),
    coreStarted: stay('running'),
    coreClosed: stay('coreDown'),
    coreExited: stay('coreDown'),
    timeout: stay('coreDown'),
  },
  closing: {
    quitRequested: { next: 'closing', actions: ['preventQuit'] },
    coreStarted: stay('closing'),
    coreClosed: { next: 'closed', actions: ['clearTimer', 'quitApp'] },
    coreExited: { next: 'closed', actions: ['clearTimer', 'quitApp'] },
    timeout: { next: 'closed', actions: ['killCore', 'quitApp'] },
  },
  closed: {
    quitRequested: stay('closed'),
    coreStarted: stay('closed'),
    coreClosed: stay('closed'),
    coreExited: stay('closed'),
    timeout: stay('closed'),
  },
};

/** The table with its current state; `dispatch` returns the actions the caller must perform. */
export class QuitSequence {
  private current: QuitState;

  constructor(initial: QuitState = 'coreDown') {
    this.current = initial;
  }

  get state(): QuitState {
    return this.current;
  }

  dispatch(event: QuitEvent): readonly QuitAction[] {
    const outcome = QUIT_TRANSITIONS[this.current][event];
    this.current = outcome.next;
    return outcome.actions;
  }
}
