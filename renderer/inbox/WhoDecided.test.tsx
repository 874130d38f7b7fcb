import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { TablePage } from '../../common/rpc/contract.ts';
import { Approvers, WhoMayDecide } from './WhoDecided.tsx';

/** The text a reader sees (tags dropped). */
const seen = (element: React.ReactElement) => renderToStaticMarkup(element).replace(/<[^>]+>/g, '');

/** The approval's record page: no row (null), or one with these approvers. */
const page = (approverIds: string[] | null, labels: Record<string, string> = {}): TablePage => ({
  rows: approverIds === null ? [] : [{ id: 'ap1', approver_ids: approverIds }],
  total: approverIds === null ? 0 : 1,
  rowLabels: approverIds === null ? [] : ['Pay the freight invoice'],
  labels: { approver_ids: labels },
});

describe('who may decide', () => {
  it('says "Reading…" while the approval is read, not a dash', () => {
    expect(seen(<WhoMayDecide approvalId="ap1" me="u1" />)).toBe('Reading…');
    expect(seen(<Approvers page={null} me="u1" />)).toBe('Reading…');
  });

  it('says in words when nobody can decide', () => {
    expect(seen(<Approvers page={page([])} me="u1" />)).toBe('Nobody can decide this now');
    expect(seen(<Approvers page={page(null)} me="u1" />)).toBe('Not on this device');
  });

  it('names the approvers, the reader marked', () => {
    expect(seen(<Approvers page={page(['u1', 'u2'], { u1: 'Ada Byron' })} me="u1" />)).toBe(
      'Ada Byron (you)Someone you cannot see',
    );
  });
});
