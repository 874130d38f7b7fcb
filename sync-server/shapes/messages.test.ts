import { describe, expect, it } from 'vitest';
import { changeMessages, rowKey, snapshotInsert, type MessageShape } from './messages.ts';

const shape = (over: Partial<MessageShape> = {}): MessageShape => ({
  schema: 'public',
  table: 'items',
  columns: ['id', 'title', 'status'],
  primaryKey: ['id'],
  replica: 'default',
  includes: (row) => row['status'] === 'open',
  ...over,
});

describe('shape messages', () => {
  it('keys rows by schema, table and primary key, doubling "/" inside values', () => {
    expect(rowKey(shape(), { id: '3' })).toBe('"public"."items"/"3"');
    expect(rowKey(shape({ primaryKey: ['a', 'b'] }), { a: 'x/y', b: '2' })).toBe(
      '"public"."items"/"x//y"/"2"',
    );
    expect(rowKey({ schema: 'S"', table: 't', primaryKey: ['id'] }, { id: '1' })).toBe('"S""".' + '"t"/"1"');
  });

  it('restricts values to the shape columns', () => {
    expect(snapshotInsert(shape(), { id: '1', title: 'a', status: 'open', secret: 'x' })).toEqual({
      key: '"public"."items"/"1"',
      value: { id: '1', title: 'a', status: 'open' },
      headers: { operation: 'insert', relation: ['public', 'items'] },
    });
  });

  it('sends only the key and changed columns for updates with replica=default', () => {
    const [m] = changeMessages(shape(), {
      op: 'update',
      old: { id: '1', title: 'a', status: 'open' },
      new: { id: '1', title: 'b', status: 'open' },
    });
    expect(m).toEqual({
      key: '"public"."items"/"1"',
      value: { id: '1', title: 'b' },
      headers: { operation: 'update', relation: ['public', 'items'] },
    });
  });

  it('sends the full row and old_value with replica=full', () => {
    const [m] = changeMessages(shape({ replica: 'full' }), {
      op: 'update',
      old: { id: '1', title: 'a', status: 'open' },
      new: { id: '1', title: 'b', status: 'open' },
    });
    expect(m?.value).toEqual({ id: '1', title: 'b', status: 'open' });
    expect(m?.old_value).toEqual({ title: 'a' });
  });

  it('turns rows moving into and out of the shape into inserts and deletes', () => {
    const into = changeMessages(shape(), {
      op: 'update',
      old: { id: '1', title: 'a', status: 'draft' },
      new: { id: '1', title: 'a', status: 'open' },
    });
    expect(into.map((m) => [m.headers.operation, m.value])).toEqual([
      ['insert', { id: '1', title: 'a', status: 'open' }],
    ]);
    const out = changeMessages(shape(), {
      op: 'update',
      old: { id: '1', title: 'a', status: 'open' },
      new: { id: '1', title: 'a', status: 'done' },
    });
    expect(out.map((m) => [m.headers.operation, m.value])).toEqual([['delete', { id: '1' }]]);
    expect(
      changeMessages(shape(), { op: 'update', old: { id: '1', status: 'x' }, new: { id: '1', status: 'y' } }),
    ).toEqual([]);
    expect(changeMessages(shape(), { op: 'insert', new: { id: '2', status: 'draft' } })).toEqual([]);
    expect(changeMessages(shape(), { op: 'delete', old: { id: '2', status: 'draft' } })).toEqual([]);
  });

  it('turns a primary key change into a delete and an insert', () => {
    const ms = changeMessages(shape(), {
      op: 'update',
      old: { id: '1', title: 'a', status: 'open' },
      new: { id: '9', title: 'a', status: 'open' },
    });
    expect(ms.map((m) => [m.headers.operation, m.key])).toEqual([
      ['delete', '"public"."items"/"1"'],
      ['insert', '"public"."items"/"9"'],
    ]);
    expect(ms[0]?.headers.key_change_to).toBe('"public"."items"/"9"');
    expect(ms[1]?.headers.key_change_from).toBe('"public"."items"/"1"');
  });
});
