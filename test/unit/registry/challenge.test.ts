import { challengeScopes, parseChallenges } from '../../../lib/registry/challenge.js';

describe('WWW-Authenticate challenges', () => {
  it('reads a bearer challenge with quoted parameters', () => {
    const [c] = parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"');
    expect(c).toEqual({ scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/busybox:pull' } });
  });

  it('reads error="insufficient_scope" and several scopes', () => {
    const [c] = parseChallenges('Bearer realm="http://127.0.0.1:5010/token",service="s",scope="repository:a:pull repository:b:pull,push",error="insufficient_scope"');
    expect(c.params.error).toBe('insufficient_scope');
    expect(challengeScopes(c)).toEqual(['repository:a:pull', 'repository:b:pull,push']);
  });

  it('reads several challenges in one header, bare tokens and escapes', () => {
    expect(parseChallenges('Basic realm="Registry \\"x\\"", Bearer realm=https://r/t,service=svc')).toEqual([
      { scheme: 'basic', params: { realm: 'Registry "x"' } },
      { scheme: 'bearer', params: { realm: 'https://r/t', service: 'svc' } },
    ]);
  });

  it('lower-cases schemes and parameter names, and survives junk', () => {
    expect(parseChallenges('BASIC Realm="x"')).toEqual([{ scheme: 'basic', params: { realm: 'x' } }]);
    expect(parseChallenges('')).toEqual([]);
    expect(parseChallenges('=,=')).toEqual([]);
  });
});
