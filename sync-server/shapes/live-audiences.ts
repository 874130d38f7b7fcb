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
 *   reached(shapes, lsn) after a routed transaction (processedLsn = lsn covers it) ─► wake the
 *     audiences of the shapes it reached: each shape's RLS tenant; a shape without one (a global
 *     table, or an ungated server) reaches every audience; and remember lsn per audience
 *   missed(audience, known) a live request whose client last heard of LSN `known` (its cursor,
 *     live-cursor.ts) came after a transaction reached its audience: answer it at once, not at the
 *     timeout (it was between two long-polls when the others were woken)
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
  /** The LSN of the last transaction that reached each audience (one entry per tenant). */
  private readonly lastReached = new Map<string, bigint>();
  /** The LSN of the last transaction that reached every audience (a global table's). */
  private lastReachedAll = -1n;

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

  /** Whether a transaction reached `audience` after LSN `known` (what the request's client last heard). */
  missed(audience: string, known: bigint): boolean {
    return this.lastReachedAll > known || (this.lastReached.get(audience) ?? -1n) > known;
  }

  /** Wakes the idle live requests of every audience the shapes belong to; `lsn` covers the transaction. */
  reached(shapes: Iterable<Shape>, lsn: bigint): void {
    const audiences = new Set<string>();
    for (const shape of shapes) {
      const tenant = shape.definition.context?.tenantId;
      if (!tenant) {
        this.lastReachedAll = lsn;
        this.wakeAll();
        return;
      }
      audiences.add(tenant);
    }
    for (const audience of audiences) {
      this.lastReached.set(audience, lsn);
      this.wake(this.idle.get(audience));
    }
  }

  private wakeAll(): void {
    for (const set of [...this.idle.values()]) this.wake(set);
  }

  private wake(set: Set<() => void> | undefined): void {
    if (!set) return;
    for (const wake of [...set]) wake();
  }
}
