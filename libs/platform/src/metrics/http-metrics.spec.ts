import { routeOf, UNMATCHED_ROUTE } from './http-metrics';

describe('routeOf', () => {
  it('is the route as declared, never the path asked for', () => {
    expect(routeOf({ route: { path: '/v1/contacts/:id' }, baseUrl: '' })).toBe('/v1/contacts/:id');
  });

  it('is the mount path of an application that answered below it', () => {
    expect(routeOf({ route: undefined, baseUrl: '/graphql' })).toBe('/graphql');
  });

  it('is not the wildcard route a middleware for every path was mounted with', () => {
    const wildcard = { path: '{/*splat}' };
    expect(routeOf({ route: wildcard, baseUrl: '/graphql' }, wildcard)).toBe('/graphql');
    expect(routeOf({ route: wildcard, baseUrl: '' }, wildcard)).toBe(UNMATCHED_ROUTE);
    expect(routeOf({ route: { path: '/metrics' }, baseUrl: '' }, wildcard)).toBe('/metrics');
  });

  it('is one value for every request no route answered', () => {
    expect(routeOf({ route: undefined, baseUrl: '' })).toBe(UNMATCHED_ROUTE);
    expect(routeOf({ route: undefined, baseUrl: undefined as unknown as string })).toBe(UNMATCHED_ROUTE);
  });
});
