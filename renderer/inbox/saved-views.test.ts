import { describe, expect, it } from 'vitest';
import { NO_FILTER } from './inbox-model.ts';
import { MAX_VIEWS, parseViews, viewOf, withView, type SavedView } from './saved-views.ts';

const highRisk = { ...NO_FILTER, minRisk: 4 };
const refunds = { ...NO_FILTER, text: 'refund', kinds: ['approval' as const] };

describe('saved inbox views', () => {
  it('saves a named filter, and the same name again replaces it (ignoring case)', () => {
    const first = withView([], '  High risk ', highRisk);
    expect(first).toEqual({ ok: true, views: [{ name: 'High risk', filter: highRisk }] });
    const again = first.ok ? withView(first.views, 'high RISK', refunds) : first;
    expect(again).toEqual({ ok: true, views: [{ name: 'high RISK', filter: refunds }] });
  });

  it('says what is wrong: no name, too long, nothing filtered, too many', () => {
    expect(withView([], '   ', highRisk)).toEqual({ ok: false, problem: 'Name the view.' });
    expect(withView([], 'x'.repeat(61), highRisk)).toEqual({
      ok: false,
      problem: 'The name is 61 characters; 60 at most.',
    });
    expect(withView([], 'Everything', NO_FILTER)).toMatchObject({ ok: false, problem: /shows everything/ });
    const full: SavedView[] = Array.from({ length: MAX_VIEWS }, (_, i) => ({
      name: `v${i}`,
      filter: highRisk,
    }));
    expect(withView(full, 'one more', refunds)).toMatchObject({ ok: false, problem: /delete one first/ });
    expect(withView(full, 'V3', refunds).ok).toBe(true);
  });

  it('reads back what it stored, and nothing from damaged or foreign storage', () => {
    const saved = withView([], 'Refunds', refunds);
    const raw = JSON.stringify(saved.ok ? saved.views : []);
    expect(parseViews(raw)).toEqual([{ name: 'Refunds', filter: refunds }]);
    expect(parseViews(null)).toEqual([]);
    expect(parseViews('{not json')).toEqual([]);
    expect(parseViews(JSON.stringify([{ name: 'x', filter: { kinds: ['rockets'] } }]))).toEqual([]);
    expect(parseViews(JSON.stringify({ name: 'x' }))).toEqual([]);
  });

  it('finds the view a filter belongs to', () => {
    const views = [{ name: 'High risk', filter: highRisk }];
    expect(viewOf(views, { ...NO_FILTER, minRisk: 4 })?.name).toBe('High risk');
    expect(viewOf(views, refunds)).toBeNull();
  });
});
