import { findRoute, route, splitVersion } from '../../../lib/api/router.js';
import { qFilters } from '../../../lib/api/http.js';

const h = async () => undefined;

describe('the API router', () => {
  it('strips an optional /vNN.NN prefix', () => {
    expect(splitVersion('/v1.41/containers/json')).toEqual({ path: '/containers/json', version: '1.41' });
    expect(splitVersion('/containers/json')).toEqual({ path: '/containers/json' });
    expect(splitVersion('/v1/containers')).toEqual({ path: '/v1/containers' });
  });

  it('matches literal routes before image names with slashes, and reports the methods a path allows', () => {
    const routes = [route('GET', '/images/json', h), route('GET', '/images/{name*}/json', h), route('DELETE', '/images/{name*}', h), route('POST', '/containers/{id}/start', h)];
    expect(findRoute(routes, 'GET', '/images/json')).toEqual({ route: routes[0], params: [] });
    expect(findRoute(routes, 'GET', '/images/example.test:5000/a/b:1/json')).toEqual({ route: routes[1], params: ['example.test:5000/a/b:1'] });
    expect(findRoute(routes, 'DELETE', '/images/a%2Fb')).toEqual({ route: routes[2], params: ['a/b'] });
    expect(findRoute(routes, 'HEAD', '/images/json')).toEqual({ route: routes[0], params: [] });
    expect(findRoute(routes, 'GET', '/containers/x/start')).toEqual({ allowed: ['POST'] });
    expect(findRoute(routes, 'POST', '/containers/x/y/start')).toBeUndefined();
  });

  it("reads Docker's filters, in the list and the map forms", () => {
    const q = new URLSearchParams({ filters: JSON.stringify({ label: { 'a=b': true, c: true, off: false }, name: ['web'] }) });
    expect(qFilters(q)).toEqual(['label=a=b', 'label=c', 'name=web']);
    expect(() => qFilters(new URLSearchParams({ filters: '[1]' }))).toThrow('invalid filters "[1]": expected a JSON object');
    expect(() => qFilters(new URLSearchParams({ filters: '{' }))).toThrow('invalid filters "{": expected JSON');
  });
});
