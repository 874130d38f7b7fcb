/**
 * Records in people's terms, from the local database: every table describes how each column is shown
 * (references, choices, money, dates, code) and every page names its rows and the rows its references
 * point to, so no view has to show an id. Fixtures: the write operations' (operations.testkit.ts), as
 * server state.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { LiveNamespace } from '@electric-sql/pglite/live';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturesSql, IDS } from '../../common/mutations/operations.testkit.ts';
import type { TableInfo } from '../../common/rpc/contract.ts';
import { asServerState, createLocalPGlite } from '../../scripts/testing/migrated.ts';
import { TableService } from './table-service.ts';

const READ_ALL = new Set([
  'approvals:read',
  'work_items:read',
  'workspaces:read',
  'changesets:read',
  'assistants:read',
  'commerce:read',
]);

describe('records in people’s terms', () => {
  let db: PGlite & { live: LiveNamespace };
  let service: TableService;
  let tables: Map<string, TableInfo>;

  beforeAll(async () => {
    db = (await createLocalPGlite()) as PGlite & { live: LiveNamespace };
    await asServerState(db, (tx) => tx.exec(fixturesSql()));
    service = new TableService({ db });
    tables = new Map((await service.tables(READ_ALL)).map((t) => [t.table, t]));
  });
  afterAll(async () => {
    await db?.close();
  });

  const column = (table: string, name: string) =>
    tables.get(table)?.columns.find((c) => c.name === name)?.presentation;

  it('describes each column: references, choices, amounts, times, code', () => {
    expect(tables.get('work_items')).toMatchObject({ title: 'Work items', noun: 'work item' });
    expect(column('work_items', 'assistant_id')).toEqual({
      label: 'Assistant',
      format: 'reference',
      references: 'assistants',
    });
    expect(column('work_items', 'created_by')).toMatchObject({ format: 'reference', references: 'users' });
    expect(column('work_items', 'tenant_id')).toMatchObject({ format: 'reference', references: 'tenants' });
    expect(column('approvals', 'approver_ids')).toMatchObject({ format: 'references', references: 'users' });
    expect(column('work_items', 'priority')).toEqual({ label: 'Priority', format: 'number' });
    expect(column('work_items', 'status')).toEqual({
      label: 'Status',
      format: 'lifecycle',
      lifecycle: 'work_item',
      choices: ['backlog', 'in_progress', 'awaiting_approval', 'completed', 'failed', 'cancelled'],
    });
    expect(column('work_items', 'estimated_cost')).toEqual({
      label: 'Estimated cost',
      format: 'money',
      currency: { code: 'USD' },
    });
    expect(column('orders', 'total_amount')).toMatchObject({
      format: 'money',
      currency: { column: 'currency' },
    });
    expect(column('work_items', 'due_at')).toMatchObject({ format: 'datetime' });
    expect(column('work_items', 'context')).toMatchObject({ format: 'json' });
    expect(column('work_items', 'description')).toMatchObject({ format: 'long_text' });
    expect(column('workspace_files', 'content')).toMatchObject({
      format: 'code',
      language: { pathColumn: 'path' },
    });
    expect(column('workspace_patches', 'operation')).toMatchObject({
      format: 'choice',
      choices: ['create', 'modify', 'delete'],
    });
  });

  it('names the rows of a page and the rows its references point to', async () => {
    const page = await service.query(READ_ALL, {
      table: 'approvals',
      filters: [{ column: 'id', op: 'eq', value: IDS.pending }],
    });
    expect(page.rowLabels).toEqual(['Pending']);
    expect(page.labels['work_item_id']).toEqual({ [IDS.workItem]: 'Post journal' });
    expect(page.labels['requested_by']).toEqual({ [IDS.requester]: 'requester@ops.test' });
    expect(page.labels['approver_ids']).toEqual({ [IDS.approver]: 'approver@ops.test' });
    expect(page.labels['tenant_id']).toEqual({ [IDS.tenant]: 'Ops Test' });
    const items = await service.query(READ_ALL, { table: 'work_items' });
    expect(items.labels['assistant_id']).toMatchObject({ [IDS.assistant]: 'Bot' });
  });

  it('follows a renamed referenced row live', async () => {
    const pages: string[] = [];
    const stop = await service.liveQuery(
      READ_ALL,
      { table: 'work_items', filters: [{ column: 'id', op: 'eq', value: IDS.workItem }] },
      (page) => pages.push(page.labels['assistant_id']?.[IDS.assistant] ?? ''),
      () => undefined,
    );
    await asServerState(db, (tx) =>
      tx.query(`UPDATE synced.assistants SET name = 'Ledger bot' WHERE id = $1`, [IDS.assistant]),
    );
    const start = Date.now();
    while (!pages.includes('Ledger bot') && Date.now() - start < 10_000)
      await new Promise((resolve) => setTimeout(resolve, 20));
    stop();
    expect(pages).toEqual(['Bot', 'Ledger bot']);
  });
});
