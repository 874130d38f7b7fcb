/**
 * sync-server/shapes/shape-registry.ts: which shapes exist: the active shape of each definition, every
 * handle still answerable, the shapes of each table, and their `where` index for routing changes.
 *
 * Guarantees: one active shape per definition key (`activate` replaces, `retire` removes); a creation
 * in flight is shared, so concurrent requests for one new definition get one shape (`resolveOnce`).
 * A retired shape leaves its table's set and index at once, so no later transaction reaches it; its
 * handle stays known (`lookup`) so requests with it can be answered 409 with the replacement.
 */
import type { Shape } from './shape.ts';
import { WhereIndex } from './where/index.ts';

export const tableKeyOf = (shape: Shape): string => `${shape.table.schema}.${shape.table.name}`;

export class ShapeRegistry {
  private readonly active = new Map<string, Shape>(); // definition key -> shape
  private readonly byHandle = new Map<string, Shape>();
  private readonly byTable = new Map<string, Set<Shape>>(); // "schema.table" -> shapes
  /** The same shapes, indexed by their `where` for routing changes ("schema.table" -> index). */
  private readonly routes = new Map<string, WhereIndex<Shape>>();
  private readonly creating = new Map<string, Promise<Shape>>();

  get size(): number {
    return this.active.size;
  }

  lookup(handle: string): Shape | undefined {
    return this.byHandle.get(handle);
  }

  isActive(shape: Shape): boolean {
    return this.active.get(shape.key) === shape;
  }

  /** Every shape with a known handle, retired ones included. */
  handles(): IterableIterator<Shape> {
    return this.byHandle.values();
  }

  /** The shapes receiving a table's changes ("schema.table"). */
  shapesOf(table: string): ReadonlySet<Shape> {
    return this.byTable.get(table) ?? new Set();
  }

  routesOf(table: string): WhereIndex<Shape> | null {
    return this.routes.get(table) ?? null;
  }

  /** The active shape for a key, or the one being created, or a new one from `create` (shared). */
  resolveOnce(key: string, create: () => Promise<Shape>): Promise<Shape> {
    const existing = this.active.get(key);
    if (existing) return Promise.resolve(existing);
    const inFlight = this.creating.get(key);
    if (inFlight) return inFlight;
    const creation = create().finally(() => this.creating.delete(key));
    this.creating.set(key, creation);
    return creation;
  }

  /** Makes a shape the active one of its definition and routes its table's changes to it. */
  activate(shape: Shape): void {
    this.active.set(shape.key, shape);
    this.byHandle.set(shape.handle, shape);
    const table = tableKeyOf(shape);
    let set = this.byTable.get(table);
    if (!set) this.byTable.set(table, (set = new Set()));
    set.add(shape);
    let routes = this.routes.get(table);
    if (!routes) this.routes.set(table, (routes = new WhereIndex()));
    routes.add(shape, shape.predicate);
  }

  /** No longer active nor routed to; its handle stays known. */
  retire(shape: Shape): void {
    if (this.active.get(shape.key) === shape) this.active.delete(shape.key);
    const table = tableKeyOf(shape);
    this.byTable.get(table)?.delete(shape);
    this.routes.get(table)?.delete(shape);
  }
}
