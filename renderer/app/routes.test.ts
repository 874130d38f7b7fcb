import { describe, expect, it } from 'vitest';
import type { View } from '../shell/contribution.ts';
import { buildRegistry } from '../shell/registry.ts';
import { REGISTRY } from '../views.ts';
import { formatHash, parseLocation, screenView } from './routes.ts';

describe('routes of the registered views', () => {
  it('round-trips every example of every view through its hash', () => {
    expect(REGISTRY.views.length).toBeGreaterThanOrEqual(4);
    for (const view of REGISTRY.views)
      for (const params of view.route.examples) {
        const hash = formatHash(view, params);
        expect(parseLocation(REGISTRY, hash), `${view.id} ${hash}`).toEqual({ view: view.id, params });
      }
  });

  it('keeps the URLs the app has always had', () => {
    const explorer = REGISTRY.view('explorer');
    if (!explorer) throw new Error('no explorer view');
    expect(formatHash(REGISTRY.home, {})).toBe('#/');
    expect(formatHash(explorer, { table: null })).toBe('#/explorer');
    expect(formatHash(explorer, { table: 'workflows' })).toBe('#/explorer/workflows');
    expect(parseLocation(REGISTRY, '#/settings')).toEqual({ view: 'settings', params: {} });
    expect(parseLocation(REGISTRY, '#/sign-in')).toEqual({ view: 'sign-in', params: {} });
    expect(parseLocation(REGISTRY, '#/explorer/workflows?x=1')).toEqual({
      view: 'explorer',
      params: { table: 'workflows' },
    });
  });

  it('treats unknown or empty hashes as home', () => {
    for (const hash of ['', '#', '#/', '#//', '#/nowhere', '#/Explorer', 'garbage'])
      expect(parseLocation(REGISTRY, hash), hash).toEqual({ view: 'home', params: {} });
  });

  it('never accepts a table segment that is not an SQL identifier', () => {
    for (const hash of ['#/explorer/Robert%27);DROP', '#/explorer/../../x', '#/explorer/A', '#/explorer/1x'])
      expect(parseLocation(REGISTRY, hash), hash).toEqual({ view: 'explorer', params: { table: null } });
  });

  it('never throws: a view whose parse throws or refuses leads home', () => {
    const home: View = { ...REGISTRY.home };
    const broken: View = {
      id: 'broken',
      title: 'Broken',
      permission: null,
      route: {
        path: 'broken',
        parse: (segments) => {
          if (segments[0] === 'throw') throw new Error('boom');
          return segments.length === 0 ? {} : null;
        },
        format: () => [],
        examples: [{}],
      },
      render: () => null,
    };
    const registry = buildRegistry({ views: [home, broken], global: [], home, signIn: home });
    expect(parseLocation(registry, '#/broken')).toEqual({ view: 'broken', params: {} });
    expect(parseLocation(registry, '#/broken/throw')).toEqual({ view: 'home', params: {} });
    expect(parseLocation(registry, '#/broken/other')).toEqual({ view: 'home', params: {} });
  });

  it('shows sign-in without a session, whatever the location', () => {
    expect(screenView(REGISTRY, { view: 'explorer', params: { table: null } }, null).id).toBe('sign-in');
    expect(screenView(REGISTRY, { view: 'nowhere', params: {} }, null).id).toBe('sign-in');
  });
});
