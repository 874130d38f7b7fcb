import { describe, expect, it } from 'vitest';
import { presentColumn } from '../../common/records/presentation.ts';
import type { ColumnInfo } from '../../common/rpc/contract.ts';
import { columnWidth, filterValue } from './column-kinds.ts';

const col = (name: string, type: string, facts = {}): ColumnInfo => ({
  name,
  type,
  nullable: true,
  presentation: presentColumn('work_items', name, type, [name], facts),
});

describe('explorer columns', () => {
  it('sizes grid columns by what they show', () => {
    expect(columnWidth(col('is_active', 'boolean'))).toBe(90);
    expect(columnWidth(col('title', 'text'))).toBe(260);
    expect(columnWidth(col('assistant_id', 'uuid', { references: 'assistants' }))).toBe(210);
    expect(columnWidth(col('due_at', 'timestamp with time zone'))).toBe(190);
  });

  it('types filter values for numbers and booleans, and keeps other text', () => {
    expect(filterValue('3', col('priority', 'integer'))).toBe(3);
    expect(filterValue('2.5', col('estimated_cost', 'numeric(10,4)'))).toBe(2.5);
    expect(filterValue('true', col('is_active', 'boolean'))).toBe(true);
    expect(filterValue('abc', col('priority', 'integer'))).toBe('abc');
    expect(filterValue('3', col('title', 'text'))).toBe('3');
  });
});
