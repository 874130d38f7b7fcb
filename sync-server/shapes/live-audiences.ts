/**
 * sync-server/shapes/live-audiences.ts: which idle long-polls to answer when a transaction commits,
 * so that a client holding many shapes learns at once that the shapes the transaction did not touch
 * are up to date with it.
 *
 * Why: a client applies its shapes in one transactional stream (pglite-sync's multi-shape
 * subscription), and commits a change at LSN L only when every one of its shapes has reported
 * `up-to-date` at or above L. A shape with nothing new reports that only when its long-poll ends:
 * at the 20 s timeout, or when the client aborts it and asks again (the multi-shape stream's refresh
 * of lagging shapes: one abort and two requests per shape, about 300 requests for 98 shapes, per
 * change). Instead, when a transaction reaches the shapes of a tenant, the server answers every idle
 * long-poll of that tenant's principals at once with `up-to-date` and the new `global_last_seen_lsn`
 * (an ordinary live answer, as at the timeout). The client's next long-poll is one request per shape,
 * and nothing is aborted.
 *
 *   hold(audience, wake) while a live request of a principal of tenant `audience` waits
 *   reached(shapes) after a routed transaction (processedLsn covers it) ─► wake the audiences of
 *     the shapes it reached: each shape's RLS tenant; a shape without one (a global table, or an
 *     ungated server) reaches every audience
 *
 * Guarantees: a wake only ends a wait early (the request then reads its log as usual, so it answers
 * with whatever its shape holds, never less); every hold is released by its caller; waking is
 * synchronous and the woken requests read after the router has advanced `processedLsn`, so their
 * `global_last_seen_lsn` covers the transaction. Cost: one answer per idle long-poll of the tenant per
 * routed transaction, what the client's refreshes cost without it (docs/scaling.md).
 */
import type { Shape } from './shape.ts';

export class LiveAudiences {
  private readonly idle = new Map<string, Set<() => void>>();

  /** Registers an idle live request of a principal of tenant `audience`; call the result when it ends. */
  hold(audience: string, wake: () => void): () => void {
    let set = this.idle.get(audience);
    if (!set) {
      set = new Set();
      this.idle.set(audience, set);
    }
    set.add(wake);
    return () => {
      const current = this.idle.get(audience);
      if (!current) return;
      current.delete(wake);
      if (current.size === 0) this.idle.delete(audience);
    };
  }

  /** How many live requests are held (for tests and metrics). */
  get holding(): number {
    let n = 0;
    for (const set of this.idle.values()) n += set.size;
    return n;
  }

  /** Wakes the idle live requests of every audience the shapes belong to. */
  reached(shapes: Iterable<Shape>): void {
    const audiences = new Set<string>();
    for (const shape of shapes) {
      const tenant = shape.definition.context?.tenantId;
      if (!tenant) {
        this.wakeAll();
        return;
      }
      audiences.add(tenant);
    }
    for (const audience of audiences) this.wake(this.idle.get(audience));
  }

  private wakeAll(): void {
    for (const set of [...this.idle.values()]) this.wake(set);
  }

  private wake(set: Set<() => void> | undefined): void {
    if (!set) return;
    for (const wake of [...set]) wake();
  }
}
