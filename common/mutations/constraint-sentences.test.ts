/**
 * Refused writes as sentences: each CHECK form the schema uses (definitions as pg_get_constraintdef
 * prints them on PostgreSQL 15 and PGlite), unique and foreign-key violations, missing values and
 * lifecycle moves, through mapDatabaseError as the write paths call it.
 */
import { describe, expect, it } from 'vitest';
import { describeCheck, type ConstraintInfo } from './constraint-sentences.ts';
import { mapDatabaseError } from './database-errors.ts';

const check = (name: string, columns: string[], definition: string) =>
  describeCheck({ name, columns, definition });

describe('constraint sentences', () => {
  it('names the field and the allowed choices', () => {
    expect(
      check(
        'work_items_status_check',
        ['status'],
        "CHECK ((status = ANY (ARRAY['backlog'::text, 'in_progress'::text, 'completed'::text])))",
      ),
    ).toBe('Status must be one of Backlog, In progress or Completed.');
    expect(
      check(
        'workflow_steps_executor_check',
        ['executor'],
        "CHECK (((executor)::text = ANY ((ARRAY['python_worker'::character varying, 'api_call'::character varying])::text[])))",
      ),
    ).toBe('Executor must be one of Python worker or API call.');
  });

  it('names the field and its range', () => {
    expect(
      check('work_items_priority_check', ['priority'], 'CHECK (((priority >= 1) AND (priority <= 5)))'),
    ).toBe('Priority must be between 1 and 5.');
    expect(
      check(
        'ai_personalities_temperature_check',
        ['temperature'],
        'CHECK (((temperature >= (0)::numeric) AND (temperature <= (2)::numeric)))',
      ),
    ).toBe('Temperature must be between 0 and 2.');
    expect(check('x_amount_check', ['amount'], 'CHECK ((amount > (0)::numeric))')).toBe(
      'Amount must be greater than 0.',
    );
    expect(check('x_n_check', ['max_tokens'], 'CHECK ((max_tokens BETWEEN 1 AND 8192))')).toBe(
      'Max tokens must be between 1 and 8192.',
    );
  });

  it('compares two fields, and says blank', () => {
    expect(
      check('approval_delegations_period', ['starts_at', 'ends_at'], 'CHECK ((ends_at > starts_at))'),
    ).toBe('Ends at must be after Starts at.');
    expect(check('x_title_check', ['title'], "CHECK ((btrim(title) <> ''::text))")).toBe(
      'Title must not be blank.',
    );
    expect(
      check('valid_delegation', ['delegator_id', 'delegate_id'], 'CHECK ((delegator_id <> delegate_id))'),
    ).toBe('Nobody can delegate to themselves: the delegate must be another user.');
    expect(check('some_rule', ['a', 'b'], 'CHECK ((f(a, b)))')).toBe('A and B break the rule “Some rule”.');
  });

  describe('mapDatabaseError', () => {
    const constraints: ConstraintInfo[] = [
      {
        name: 'workspace_files_workspace_id_path_key',
        table: 'workspace_files',
        kind: 'unique',
        columns: ['workspace_id', 'path'],
        definition: 'UNIQUE (workspace_id, path)',
        references: null,
      },
      {
        name: 'work_items_assistant_id_tenant_id_fkey',
        table: 'work_items',
        kind: 'foreign_key',
        columns: ['assistant_id', 'tenant_id'],
        definition: 'FOREIGN KEY (assistant_id, tenant_id) REFERENCES assistants(id, tenant_id)',
        references: 'assistants',
      },
      {
        name: 'work_items_priority_check',
        table: 'work_items',
        kind: 'check',
        columns: ['priority'],
        definition: 'CHECK (((priority >= 1) AND (priority <= 5)))',
        references: null,
      },
    ];
    const lookup = (table: string | null, name: string) =>
      constraints.find((c) => c.name === name && (table === null || c.table === table));
    const refused = (fields: Record<string, unknown>) => mapDatabaseError(fields, lookup);

    it('turns constraint violations into sentences, with codes and details', () => {
      const check = refused({
        code: '23514',
        constraint: 'work_items_priority_check',
        table: 'work_items_state',
      });
      expect(check).toMatchObject({ code: 'validation', message: 'Priority must be between 1 and 5.' });
      expect(check?.details).toMatchObject({
        sqlstate: '23514',
        constraint: 'work_items_priority_check',
        column: 'priority',
      });
      expect(
        refused({
          code: '23505',
          constraint: 'workspace_files_workspace_id_path_key',
          table: 'workspace_files',
        })?.message,
      ).toBe('Another workspace file already has this Workspace and Path.');
      expect(
        refused({ code: '23503', constraint: 'work_items_assistant_id_tenant_id_fkey', table: 'work_items' })
          ?.message,
      ).toBe('Assistant must name an existing assistant you can see.');
      expect(refused({ code: '23502', column: 'title', table: 'work_items' })?.message).toBe(
        'Title is required.',
      );
    });

    it('says which moves a lifecycle allows from here', () => {
      expect(
        refused({
          code: 'OP001',
          message: 'invalid work_item transition: completed -> backlog (x)',
          hint: 'from completed the allowed next states are: in_progress',
        })?.message,
      ).toBe(
        'A work item that is completed cannot move to backlog. From completed it can move to in progress.',
      );
      expect(
        refused({
          code: 'OP001',
          message: 'invalid workspace_changeset transition: applied -> draft (x)',
          hint: 'applied is a final state',
        })?.message,
      ).toBe('A workspace changeset that is applied cannot move to draft. Applied is final.');
    });

    it('keeps the database’s message where it knows no better, and never quotes key values', () => {
      const unknown = refused({ code: '23505', constraint: 'nope', detail: 'Key (id)=(secret) exists' });
      expect(unknown?.message).toBe('A row with the same values for nope already exists.');
      expect(unknown?.message).not.toContain('secret');
    });
  });
});
