/**
 * sync-server/shapes/shape-snapshotter.ts: reads a shape's rows from PostgreSQL: its initial snapshot
 * into its log (snapshot.ts), and subset snapshots on demand (subset.ts), each on a pooled connection
 * that carries the shape's row-level security context.
 *
 * Security: a gated shape's reads run as its role with `app.tenant_id` set, session-level, on a
 * connection that is discarded afterwards (released with `destroy`), so neither the role nor the tenant
 * can outlive the read; PostgreSQL then scopes the rows as it scopes the tenant's own queries. A
 * connection whose read failed is discarded too.
 */
import type pg from 'pg';
import type { Shape, ShapeDefinition } from './shape.ts';
import { bindDefinitionWhere } from './shape-builder.ts';
import { runSnapshot, type SnapshotResult } from './snapshot.ts';
import { runSubset, type Subset, type SubsetResult } from './subset.ts';
import { quoteIdent } from './where/to-sql.ts';

type ShapeContext = ShapeDefinition['context'];

/** Runs `read` on a pooled connection set to the shape's role and tenant (if any). */
async function withShapeContext<T>(
  pool: pg.Pool,
  context: ShapeContext,
  read: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let failed = false;
  try {
    if (context) {
      await client.query(`SET ROLE ${quoteIdent(context.role)}`);
      await client.query(`SELECT set_config('app.tenant_id', $1, false)`, [context.tenantId]);
    }
    return await read(client);
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    client.release(Boolean(context) || failed);
  }
}

/** Takes a shape's snapshot into its log (no rows for `changes_only`), waking readers as rows come. */
export function snapshotShape(pool: pg.Pool, shape: Shape): Promise<SnapshotResult> {
  return withShapeContext(pool, shape.definition.context ?? null, (client) =>
    runSnapshot(
      client,
      {
        schema: shape.table.schema,
        table: shape.table.name,
        columns: shape.messages.columns,
        where: bindDefinitionWhere(shape.definition, shape.table),
        rows: shape.definition.log !== 'changes_only',
      },
      shape.messages,
      shape.log,
      () => shape.wake(),
    ),
  );
}

/** A subset snapshot of a shape, scoped as the shape's own snapshot is. */
export function snapshotSubset(pool: pg.Pool, shape: Shape, subset: Subset): Promise<SubsetResult> {
  return withShapeContext(pool, shape.definition.context ?? null, (client) =>
    runSubset(
      client,
      {
        schema: shape.table.schema,
        table: shape.table.name,
        tableColumns: shape.table.columns,
        messages: shape.messages,
        predicate: shape.predicate,
      },
      subset,
    ),
  );
}
