/**
 * sync-server/db/tenant-transaction.ts: runs request-scoped database work the one safe way: in a
 * transaction, as the application role (`outpost_app`, subject to row-level security), with the
 * tenant and user of the verified token as transaction-local settings.
 *
 * Guarantees: the role and the settings end with the transaction (`SET LOCAL`, `set_config(..., true)`),
 * so a pooled connection never carries a tenant into the next request; the settings travel as bind
 * parameters; on any error the transaction is rolled back and the error rethrown. The role name is
 * quoted from configuration, never from a request.
 */
import type pg from 'pg';
import { quoteIdent } from '../shapes/where/to-sql.ts';

export const APP_ROLE = 'outpost_app';

export interface TenantContext {
  /** null: no tenant (row-level security then shows no tenant rows at all). */
  readonly tenantId: string | null;
  readonly userId: string | null;
}

export type Isolation = 'read committed' | 'repeatable read' | 'serializable';

export interface TenantTransactionOptions {
  readonly isolation?: Isolation;
  readonly readOnly?: boolean;
  /** The role to run as; APP_ROLE unless a deployment renamed it. */
  readonly role?: string;
}

/** BEGIN; SET LOCAL ROLE; set_config(app.tenant_id, app.user_id): the statements, for callers that drive a client themselves. */
export async function beginTenantTransaction(
  client: pg.ClientBase,
  context: TenantContext,
  options: TenantTransactionOptions = {},
): Promise<void> {
  const isolation = options.isolation ?? 'read committed';
  await client.query(
    `BEGIN ISOLATION LEVEL ${isolation.toUpperCase()}${options.readOnly ? ' READ ONLY' : ''}`,
  );
  await client.query(`SET LOCAL ROLE ${quoteIdent(options.role ?? APP_ROLE)}`);
  await client.query(`SELECT set_config('app.tenant_id', $1, true), set_config('app.user_id', $2, true)`, [
    context.tenantId ?? '',
    context.userId ?? '',
  ]);
}

export async function inTenantTransaction<T>(
  pool: pg.Pool,
  context: TenantContext,
  work: (client: pg.PoolClient) => Promise<T>,
  options: TenantTransactionOptions = {},
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await beginTenantTransaction(client, context, options);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
