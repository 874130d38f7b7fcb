/**
 * The Shape API's query string: what the Electric client sends is read into a typed request, and
 * every problem is a ParamError naming the parameter; and the SSE resume point after a log's end.
 */
import { describe, expect, it } from 'vitest';
import { compareOffsets, formatOffset, parseOffset } from '../shapes/log-offset.ts';
import { ParamError } from './param-error.ts';
import type { ShapeRequest } from '../shapes/shape-request.ts';
import { parseShapeRequest } from './shape-params.ts';
import { sseResumeOffset } from './shape-route.ts';

const HANDLE = '0123456789abcdef0123-1732300000000000';

function parse(query: Record<string, string>): ShapeRequest {
  return parseShapeRequest(new URLSearchParams(query));
}

function refusal(query: Record<string, string>): { param: string; message: string } {
  try {
    parse(query);
  } catch (error) {
    expect(error).toBeInstanceOf(ParamError);
    return { param: (error as ParamError).param, message: (error as ParamError).message };
  }
  throw new Error('expected a ParamError');
}

describe('parseShapeRequest', () => {
  it('reads what the client sends and ignores parameters it does not know', () => {
    const request = parse({
      table: 'items',
      where: 'status = $1',
      'params[1]': 'open',
      columns: '"id",title',
      replica: 'full',
      offset: '123_4',
      handle: HANDLE,
      live: 'true',
      cursor: '42',
      'cache-buster': 'x',
      expired_handle: 'y',
    });
    expect(request.table).toEqual({ schema: 'public', name: 'items' });
    expect(request.where).toBe('status = $1');
    expect(request.params).toEqual({ '1': 'open' });
    expect(request.columns).toEqual(['id', 'title']);
    expect(request.replica).toBe('full');
    expect(formatOffset(request.offset)).toBe('123_4');
    expect(request.handle).toBe(HANDLE);
    expect(request.live).toBe(true);
    expect(request.sse).toBe(false);
    expect(request.cursor).toBe('42');
  });

  it('takes live_sse and its old name experimental_live_sse, only together with live=true', () => {
    const base = { table: 'items', offset: '5_0', handle: HANDLE, live: 'true' };
    expect(parse({ table: 'items', offset: '5_0', handle: 'not a handle' }).handle).toBe('not a handle');
    expect(parse({ ...base, live_sse: 'true' }).sse).toBe(true);
    expect(parse({ ...base, experimental_live_sse: 'true' }).sse).toBe(true);
    expect(parse({ ...base, live_sse: 'false' }).sse).toBe(false);
    expect(refusal({ table: 'items', offset: '5_0', handle: HANDLE, live_sse: 'true' })).toEqual({
      param: 'live_sse',
      message: 'live_sse=true needs live=true as well.',
    });
  });

  it('names the parameter of every problem', () => {
    expect(refusal({ offset: '-1' }).param).toBe('table');
    expect(refusal({ table: 'items' }).param).toBe('offset');
    expect(refusal({ table: 'items', offset: '5_0' }).param).toBe('handle');
    expect(refusal({ table: 'items', offset: '-1', live: 'true' }).param).toBe('live');
    expect(refusal({ table: 'items', offset: '-1', replica: 'partial' }).param).toBe('replica');
    expect(refusal({ table: 'items', offset: '-1', 'params[0]': 'x' }).param).toBe('params[0]');
    expect(refusal({ table: 'items', offset: '-1', columns: 'id,id' }).param).toBe('columns');
    expect(refusal({ table: 'items', offset: '-1', log: 'everything' }).param).toBe('log');
    expect(refusal({ table: 'items', offset: 'now', live: 'true' }).param).toBe('live');
    expect(refusal({ table: 'items', offset: '-1', subset__limit: '0', subset__order_by: 'id' }).param).toBe(
      'subset__limit',
    );
    expect(refusal({ table: 'items', offset: '-1', subset__limit: '5' }).param).toBe('subset__order_by');
    expect(refusal({ table: 'items', offset: '-1', subset__params: '[1]' }).param).toBe('subset__params');
    expect(refusal({ table: 'items', offset: '-1', subset__nope: 'x' }).param).toBe('subset__nope');
    expect(refusal({ table: 'items', offset: '-1', where: 'x'.repeat(20_000) }).param).toBe('where');
  });
});

describe('offset=now, log=changes_only and subsets', () => {
  it('reads offset=now (ignoring a handle) and log=changes_only', () => {
    const now = parse({ table: 'items', offset: 'now', handle: HANDLE, log: 'changes_only' });
    expect(now).toMatchObject({ now: true, handle: null, log: 'changes_only', subset: null });
    expect(parse({ table: 'items', offset: '-1' })).toMatchObject({ now: false, log: 'full' });
  });

  it('reads a GET subset with JSON params, ignoring the structured copies', () => {
    const request = parse({
      table: 'items',
      offset: '-1',
      subset__where: 'id > $1',
      subset__params: '{"1":"9007199254740993","2":5}',
      subset__order_by: '"id" DESC NULLS LAST',
      subset__limit: '10',
      subset__offset: '20',
      subset__where_expr: '{}',
    });
    expect(request.subset).toEqual({
      where: 'id > $1',
      params: { '1': '9007199254740993', '2': '5' },
      orderBy: '"id" DESC NULLS LAST',
      limit: 10,
      offset: 20,
    });
  });

  it('reads a POST body, flat or nested, over the query string', () => {
    const query = new URLSearchParams({ table: 'items', offset: '-1', subset__where: 'a = 1' });
    expect(
      parseShapeRequest(query, { where: 'b = $1', params: { '1': 7 }, limit: 3, order_by: 'b' }).subset,
    ).toEqual({
      where: 'b = $1',
      params: { '1': '7' },
      orderBy: 'b',
      limit: 3,
      offset: null,
    });
    expect(parseShapeRequest(query, { subset: { where: 'c = 2' } }).subset?.where).toBe('c = 2');
  });
});

describe('sseResumeOffset', () => {
  it('is just above every entry of the last transaction, and 1_0 after a snapshot', () => {
    const after = sseResumeOffset(parseOffset('24197216_6'));
    expect(formatOffset(after)).toBe('24197217_0');
    expect(compareOffsets(after, parseOffset('24197216_999999'))).toBeGreaterThan(0);
    expect(formatOffset(sseResumeOffset(parseOffset('0_inf')))).toBe('1_0');
    expect(formatOffset(sseResumeOffset(parseOffset('0_17')))).toBe('1_0');
  });
});
