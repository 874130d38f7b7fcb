/**
 * The registry's lifecycles as data: every table complete, every state reachable, user events real
 * events, one event per (from, to) pair (the database's key), provider mirrors exactly the closure of
 * their provider's moves, and the helpers the named operations will use.
 */
import { describe, expect, it } from 'vitest';
import { DISPUTE_PROVIDER_MOVES, disputeLifecycle } from './dispute.ts';
import { INVOICE_PROVIDER_MOVES, invoiceLifecycle } from './invoice.ts';
import { ORDER_PROVIDER_MOVES, orderLifecycle } from './order.ts';
import { PAYMENT_PROVIDER_MOVES, paymentLifecycle } from './payment.ts';
import { PAYOUT_PROVIDER_MOVES, payoutLifecycle } from './payout.ts';
import { REFUND_PROVIDER_MOVES, refundLifecycle } from './refund.ts';
import {
  allowedEvents,
  allowedUserEvents,
  lifecycleFor,
  LIFECYCLES,
  NOT_LIFECYCLES,
  type LifecycleBinding,
} from './registry.ts';
import { allowedTransitions, isState, REFUSED, type Lifecycle } from './state-machine.ts';
import { SUBSCRIPTION_PROVIDER_MOVES, subscriptionLifecycle } from './subscription.ts';

const name = (b: LifecycleBinding) => b.lifecycle.name;

/** Every state reachable from `starts` through the allowed transitions. */
function reachable(lifecycle: Lifecycle<string, string>, starts: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...starts];
  for (let state = queue.shift(); state !== undefined; state = queue.shift()) {
    if (seen.has(state)) continue;
    seen.add(state);
    for (const t of allowedTransitions(lifecycle)) if (t.from === state) queue.push(t.to);
  }
  return seen;
}

describe('the lifecycle registry', () => {
  it('binds each machine, and each table, once', () => {
    const machines = LIFECYCLES.map(name);
    expect(new Set(machines).size).toBe(machines.length);
    const tables = LIFECYCLES.map((b) => b.table);
    expect(new Set(tables).size).toBe(tables.length);
    for (const b of LIFECYCLES) expect(lifecycleFor(b.table)).toBe(b);
    expect(lifecycleFor('audit_logs')).toBeUndefined();
    for (const b of LIFECYCLES) expect(NOT_LIFECYCLES[`${b.table}.${b.column}`], name(b)).toBeUndefined();
  });

  describe.each(LIFECYCLES.map((b) => [name(b), b] as const))('%s', (_, binding) => {
    const { lifecycle } = binding;

    it('has a complete table: every state × event has an outcome, a state or refused', () => {
      expect(new Set(lifecycle.states).size).toBe(lifecycle.states.length);
      expect(new Set(lifecycle.events).size).toBe(lifecycle.events.length);
      expect(Object.keys(lifecycle.table).sort()).toEqual([...lifecycle.states].sort());
      for (const state of lifecycle.states) {
        const row = lifecycle.table[state] ?? {};
        expect(Object.keys(row).sort(), state).toEqual([...lifecycle.events].sort());
        for (const outcome of Object.values(row))
          expect(outcome === REFUSED || lifecycle.states.includes(outcome), `${state}: ${outcome}`).toBe(
            true,
          );
      }
    });

    it('reaches every state from where rows start, and names real states and events', () => {
      expect(lifecycle.states).toContain(binding.initial);
      for (const state of binding.entry) expect(lifecycle.states).toContain(state);
      for (const event of binding.userEvents) expect(lifecycle.events).toContain(event);
      expect(new Set(binding.userEvents).size).toBe(binding.userEvents.length);
      expect([...reachable(lifecycle, [binding.initial, ...binding.entry])].sort()).toEqual(
        [...lifecycle.states].sort(),
      );
    });

    it('uses every event, never stays in place, and has one event per (from, to) pair', () => {
      const triples = allowedTransitions(lifecycle);
      for (const event of lifecycle.events)
        expect(
          triples.some((t) => t.event === event),
          event,
        ).toBe(true);
      expect(triples.filter((t) => t.from === t.to)).toEqual([]);
      const pairs = triples.map((t) => `${t.from}->${t.to}`);
      expect(new Set(pairs).size).toBe(pairs.length);
    });
  });
});

describe('provider mirrors', () => {
  const mirrors = [
    [orderLifecycle, ORDER_PROVIDER_MOVES],
    [paymentLifecycle, PAYMENT_PROVIDER_MOVES],
    [refundLifecycle, REFUND_PROVIDER_MOVES],
    [payoutLifecycle, PAYOUT_PROVIDER_MOVES],
    [disputeLifecycle, DISPUTE_PROVIDER_MOVES],
    [subscriptionLifecycle, SUBSCRIPTION_PROVIDER_MOVES],
    [invoiceLifecycle, INVOICE_PROVIDER_MOVES],
  ] as [Lifecycle<string, string>, readonly (readonly [string, string])[]][];

  it.each(mirrors.map(([l, moves]) => [l.name, l, moves] as const))(
    '%s allows exactly the states its provider can reach, one target per event',
    (_, lifecycle, moves) => {
      const closure: string[] = [];
      for (const from of lifecycle.states) {
        const seen = new Set<string>();
        const queue = moves.filter(([a]) => a === from).map(([, b]) => b);
        for (let s = queue.shift(); s !== undefined; s = queue.shift()) {
          if (seen.has(s)) continue;
          seen.add(s);
          queue.push(...moves.filter(([a]) => a === s).map(([, b]) => b));
        }
        seen.delete(from);
        for (const to of seen) closure.push(`${from}->${to}`);
      }
      const allowed = allowedTransitions(lifecycle).map((t) => `${t.from}->${t.to}`);
      expect(allowed.sort()).toEqual(closure.sort());
      for (const event of lifecycle.events) {
        const targets = new Set(
          allowedTransitions(lifecycle)
            .filter((t) => t.event === event)
            .map((t) => t.to),
        );
        expect(targets.size, event).toBe(1);
      }
    },
  );

  it('leaves provider mirrors to their connectors: no user events', () => {
    for (const [lifecycle] of mirrors)
      expect(LIFECYCLES.find((b) => b.lifecycle === lifecycle)?.userEvents).toEqual([]);
  });
});

describe('allowedEvents', () => {
  const workItem = lifecycleFor('work_items')!;

  it('lists the events allowed from a state with their targets, and those a person may trigger', () => {
    expect(allowedEvents(workItem, 'failed')).toEqual([
      { event: 'retry', to: 'backlog' },
      { event: 'cancel', to: 'cancelled' },
    ]);
    expect(allowedEvents(workItem, 'in_progress').map((a) => a.event)).toEqual([
      'request_approval',
      'complete',
      'fail',
      'requeue',
      'cancel',
    ]);
    expect(allowedUserEvents(workItem, 'in_progress')).toEqual([{ event: 'cancel', to: 'cancelled' }]);
  });

  it('allows nothing from a final state or a state the lifecycle does not have', () => {
    expect(allowedEvents(workItem, 'completed')).toEqual([]);
    expect(allowedEvents(workItem, 'cancelled')).toEqual([]);
    expect(allowedEvents(workItem, 'no_such_state')).toEqual([]);
    expect(allowedUserEvents(workItem, 'no_such_state')).toEqual([]);
  });

  it('agrees with the transition tables for every binding and state', () => {
    for (const b of LIFECYCLES)
      for (const from of b.lifecycle.states) {
        const expected = b.lifecycle.events
          .map((event) => ({ event, to: b.lifecycle.table[from]?.[event] ?? REFUSED }))
          .filter((a): a is { event: string; to: string } => isState(a.to));
        expect(allowedEvents(b, from)).toEqual(expected);
      }
  });
});

describe('decisions the tables encode', () => {
  const next = (table: string, from: string, event: string) =>
    lifecycleFor(table)?.lifecycle.table[from]?.[event];

  it('retries failed work and keeps finished work finished', () => {
    expect(next('work_items', 'failed', 'retry')).toBe('backlog');
    expect(allowedEvents(lifecycleFor('work_items')!, 'completed')).toEqual([]);
    expect(next('jobs', 'failed', 'retry')).toBe('pending');
    expect(allowedEvents(lifecycleFor('jobs')!, 'cancelled')).toEqual([]);
  });

  it('restores an archived tenant suspended, never straight to active', () => {
    expect(next('tenants', 'archived', 'restore')).toBe('suspended');
    expect(next('tenants', 'archived', 'reactivate')).toBe(REFUSED);
  });

  it('keeps run results and review verdicts as evidence', () => {
    for (const state of ['passed', 'failed', 'error', 'cancelled'])
      expect(allowedEvents(lifecycleFor('workspace_runs')!, state)).toEqual([]);
    for (const state of ['confirmed', 'false_positive'])
      expect(allowedEvents(lifecycleFor('hallucination_flags')!, state)).toEqual([]);
  });

  it('never moves a mirrored record back where its provider cannot', () => {
    expect(next('invoices', 'paid', 'finalize')).toBe(REFUSED);
    expect(allowedEvents(lifecycleFor('orders')!, 'cancelled')).toEqual([]);
    expect(next('orders', 'refunded', 'pay')).toBe(REFUSED);
    expect(next('payouts', 'paid', 'fail')).toBe('failed');
  });
});
