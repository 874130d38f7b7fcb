/**
 * bench/inbox-rows.ts: the rows bench/inbox.ts puts in central Postgres for the approvals inbox: in
 * acme (the seeded tenant), `approvals` pending approvals where acme's approver is the approver, asked
 * for by acme's admin, each behind one of `workItems` work items awaiting approval (one work item gates
 * many approvals, which the schema allows), and `changesets` changesets pending review proposed by the
 * admin in acme's workspaces.
 *
 * Rows are inserted the way the lifecycles allow (0050: a row may be inserted in a lifecycle's first
 * states; only UPDATEs are transitions), with INSERT ... SELECT generate_series, before the sync
 * server starts, so they reach the browser through the real shapes' snapshots. Expiries are spread
 * from 2 hours to 60 days ahead (none expires during a run), risks 0–5, creation times over 30 days.
 */
import type pg from 'pg';

export interface InboxRowCounts {
  readonly approvals: number;
  readonly changesets: number;
  readonly workItems: number;
}

export async function insertInboxRows(client: pg.Client, counts: InboxRowCounts): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(
      `CREATE TEMP TABLE bench_who ON COMMIT DROP AS
         SELECT t.id AS tenant_id,
                (SELECT id FROM users WHERE email = 'approver@acme.test') AS approver_id,
                (SELECT id FROM users WHERE email = 'admin@acme.test') AS admin_id,
                (SELECT id FROM assistants a WHERE a.tenant_id = t.id ORDER BY a.name LIMIT 1) AS assistant_id,
                (SELECT array_agg(s.id ORDER BY s.id) FROM workspaces s WHERE s.tenant_id = t.id) AS workspace_ids
           FROM tenants t WHERE t.slug = 'acme'`,
    );
    await client.query(
      `CREATE TEMP TABLE bench_work_items ON COMMIT DROP AS
         SELECT gen_random_uuid() AS id, g AS n FROM generate_series(1, $1::int) g`,
      [counts.workItems],
    );
    await client.query(
      `INSERT INTO work_items (id, tenant_id, assistant_id, title, status, priority, risk_level, estimated_cost,
                               context, created_by)
       SELECT b.id, w.tenant_id, w.assistant_id, 'Bench work item ' || b.n, 'awaiting_approval', 2, b.n % 6,
              100 + b.n, jsonb_build_object('vendor', 'Bench vendor ' || (b.n % 97), 'lines', b.n % 9),
              w.admin_id
         FROM bench_work_items b CROSS JOIN bench_who w`,
    );
    await client.query(
      `INSERT INTO approvals (tenant_id, work_item_id, title, description, risk_level, requested_by, approver_ids,
                              expires_at, created_at, updated_at)
       SELECT w.tenant_id, b.id, 'Bench approval ' || g, 'Asked for by bench/inbox.ts, number ' || g || '.',
              g % 6, w.admin_id, ARRAY[w.approver_id],
              now() + interval '2 hours' + (g * 47 % 86400) * interval '1 minute',
              now() - (g * 31 % 43200) * interval '1 minute', now()
         FROM generate_series(1, $1::int) g
         CROSS JOIN bench_who w
         JOIN bench_work_items b ON b.n = 1 + g % $2::int`,
      [counts.approvals, counts.workItems],
    );
    await client.query(
      `INSERT INTO workspace_changesets (tenant_id, workspace_id, title, description, status, proposed_by,
                                         created_at, updated_at)
       SELECT w.tenant_id, w.workspace_ids[1 + g % cardinality(w.workspace_ids)], 'Bench changeset ' || g, 'Proposed by bench/inbox.ts, number ' || g || '.',
              'pending_review', w.admin_id,
              now() - (g * 37 % 43200) * interval '1 minute', now() - (g * 37 % 43200) * interval '1 minute'
         FROM generate_series(1, $1::int) g
         CROSS JOIN bench_who w`,
      [counts.changesets],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
