/**
 * Review comments under row-level security on PostgreSQL 15, as the sync server runs requests
 * (`SET LOCAL ROLE outpost_app`, `app.tenant_id` from the verified token; docs/security.md): another
 * tenant neither sees a changeset's comments nor writes one, even through an actor whose visible
 * tenants were wrongly widened (the database, not the operation's tenant filter, refuses), while the
 * changeset's own tenant comments and reads as usual.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOutpostError } from '../errors.ts';
import { createMigratedTestDatabase } from '../../scripts/testing/migrated.ts';
import type { TestDatabase } from '../../scripts/testing/postgres.ts';
import { loadWriteCatalog, type WriteCatalog } from './catalog.ts';
import { mapDatabaseError } from './database-errors.ts';
import { prepareMutation } from './mutation.ts';
import { actorOf, fixturesSql, IDS, reviewFixturesSql } from './operations.testkit.ts';
import type { MutationActor } from './types.ts';

const DISCUSSING = ['changesets:read', 'changesets:review'];

describe('review comments under row-level security', () => {
  let database: TestDatabase;
  let client: pg.Client;
  let catalog: WriteCatalog;

  beforeAll(async () => {
    database = await createMigratedTestDatabase('comments_rls');
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query(fixturesSql() + reviewFixturesSql());
    catalog = await loadWriteCatalog(client);
  });
  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  /** Runs `fn` as outpost_app in `tenant`'s context, in a transaction that is rolled back. */
  async function asTenant<T>(tenant: string, fn: () => Promise<T>): Promise<T> {
    await client.query('BEGIN');
    try {
      await client.query('SET LOCAL ROLE outpost_app');
      await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenant]);
      return await fn();
    } finally {
      await client.query('ROLLBACK');
    }
  }

  /** The outcome of a named mutation: its result, or the code it was refused with. */
  async function attempt(actor: MutationActor, name: string, id: string, values: Record<string, unknown>) {
    const mutation = { id: crypto.randomUUID(), name, key: { id }, values };
    try {
      return { result: (await prepareMutation(mutation, { actor, catalog }).run(client)).result };
    } catch (error) {
      if (isOutpostError(error)) return { code: error.code };
      const mapped = mapDatabaseError(error);
      if (mapped) return { code: mapped.code };
      throw error;
    }
  }

  const comments = async () =>
    (await client.query<{ id: string }>(`SELECT id::text FROM workspace_changeset_comments`)).rows.map(
      (r) => r.id,
    );

  it('lets the changeset’s tenant read and add comments', async () => {
    await asTenant(IDS.tenant, async () => {
      expect(await comments()).toEqual([IDS.comment]);
      const added = await attempt(actorOf(IDS.approver, DISCUSSING), 'changeset.comment', IDS.pendingReview, {
        body: 'Looks good',
      });
      expect(added).toMatchObject({ result: { changeset_id: IDS.pendingReview } });
      expect(await comments()).toHaveLength(2);
    });
  });

  it('hides them from another tenant, and refuses its writes even with a widened actor', async () => {
    const intruder: MutationActor = {
      ...actorOf(IDS.otherUser, DISCUSSING),
      tenantId: IDS.other,
      // A bug that let the token's tenant see more: row-level security still decides.
      visibleTenantIds: [IDS.other, IDS.tenant],
    };
    await asTenant(IDS.other, async () => {
      expect(await comments()).toEqual([]);
      expect(await attempt(intruder, 'changeset.comment', IDS.pendingReview, { body: 'psst' })).toEqual({
        code: 'not_found',
      });
      expect(await attempt(intruder, 'changeset.resolve_comment', IDS.comment, {})).toEqual({
        code: 'not_found',
      });
      await client.query('SAVEPOINT direct');
      const direct = await client
        .query(
          `INSERT INTO workspace_changeset_comments (tenant_id, changeset_id, body, author_id) VALUES ($1, $2, 'x', $3)`,
          [IDS.tenant, IDS.pendingReview, IDS.otherUser],
        )
        .then(
          () => null,
          (error: unknown) => (error as { code?: string }).code,
        );
      expect(direct).toBe('42501');
      await client.query('ROLLBACK TO SAVEPOINT direct');
      const updated = await client.query(
        `UPDATE workspace_changeset_comments SET resolved = true, resolved_at = now()`,
      );
      expect(updated.rowCount).toBe(0);
    });
    await asTenant(IDS.tenant, async () => {
      expect(
        (await client.query(`SELECT resolved FROM workspace_changeset_comments WHERE id = $1`, [IDS.comment]))
          .rows,
      ).toEqual([{ resolved: false }]);
    });
  });
});
