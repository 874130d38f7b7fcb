/**
 * common/lifecycles/state-machine.ts: complete transition tables for Outpost's lifecycles.
 *
 * A lifecycle is `Record<State, Record<Event, Outcome>>`: every (state, event) pair has an explicit
 * outcome, either the next state or `refused`, so nothing is decided by omission. registry.ts binds
 * each to its table and column. The same tables are enforced in the database (table
 * `state_transitions`; migrations/shared/0050_lifecycle_rules.sql and 0300_lifecycles.sql), and
 * migrations/lifecycles.testkit.ts proves the two agree pair by pair.
 */
export const REFUSED = 'refused' as const;
export type Outcome<State extends string> = State | typeof REFUSED;
export type TransitionTable<State extends string, Event extends string> = Readonly<
  Record<State, Readonly<Record<Event, Outcome<State>>>>
>;

export interface Lifecycle<State extends string, Event extends string> {
  readonly name: string;
  readonly states: readonly State[];
  readonly events: readonly Event[];
  readonly table: TransitionTable<State, Event>;
}

export function nextState<State extends string, Event extends string>(
  lifecycle: Lifecycle<State, Event>,
  from: State,
  event: Event,
): Outcome<State> {
  return lifecycle.table[from][event];
}

export function isState<State extends string>(outcome: Outcome<State>): outcome is State {
  return outcome !== REFUSED;
}

/** Every allowed (from, event, to) triple, the form the database stores. */
export function allowedTransitions<State extends string, Event extends string>(
  lifecycle: Lifecycle<State, Event>,
): { from: State; event: Event; to: State }[] {
  const triples: { from: State; event: Event; to: State }[] = [];
  for (const from of lifecycle.states) {
    for (const event of lifecycle.events) {
      const to: Outcome<State> = lifecycle.table[from][event];
      if (isState(to)) triples.push({ from, event, to });
    }
  }
  return triples;
}
