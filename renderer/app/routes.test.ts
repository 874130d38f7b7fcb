import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute, type Route } from './routes.ts';

describe('routes', () => {
  it('round-trips every route through its hash', () => {
    const routes: Route[] = [
      { name: 'home' },
      { name: 'sign-in' },
      { name: 'settings' },
      { name: 'explorer', table: null },
      { name: 'explorer', table: 'approval_requests' },
    ];
    for (const route of routes) expect(parseRoute(formatRoute(route))).toEqual(route);
  });

  it('treats unknown or empty hashes as home', () => {
    expect(parseRoute('')).toEqual({ name: 'home' });
    expect(parseRoute('#/nowhere')).toEqual({ name: 'home' });
  });

  it('never accepts a table segment that is not an SQL identifier', () => {
    expect(parseRoute('#/explorer/Robert%27);DROP')).toEqual({ name: 'explorer', table: null });
    expect(parseRoute('#/explorer/../../x')).toEqual({ name: 'explorer', table: null });
  });
});
