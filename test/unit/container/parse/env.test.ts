import { mergeEnv, parseEnvFile, parseEnvFlag } from '../../../../lib/container/parse/env.js';

describe('environment assembly', () => {
  const host = { HOME: '/root', PMAN_A: '1', PMAN_B: '2' };

  it('parses an env file with comments, blank lines, bare names and = in values', () => {
    const text = '# comment\n\nA=1\n  B=x=y\nHOME\nUNSET\nC=\n';
    expect(parseEnvFile(text, 'f', host)).toEqual(['A=1', 'B=x=y', 'HOME=/root', 'C=']);
  });

  it('rejects an env file line whose key has spaces, naming the line and file', () => {
    expect(() => parseEnvFile('BAD KEY=1\n', '/tmp/e', host)).toThrow(/line 1 in env file "\/tmp\/e"/);
  });

  it('takes -e NAME from the host environment and drops it when unset', () => {
    expect(parseEnvFlag('HOME', host)).toEqual(['HOME=/root']);
    expect(parseEnvFlag('NOPE', host)).toEqual([]);
  });

  it('expands -e PREFIX* from the host environment', () => {
    expect(parseEnvFlag('PMAN_*', host).sort()).toEqual(['PMAN_A=1', 'PMAN_B=2']);
  });

  it('rejects -e with an empty key', () => {
    expect(() => parseEnvFlag('=x', host)).toThrow(/invalid --env value "=x"/);
  });

  it('lets later values win while keeping the first position', () => {
    expect(mergeEnv(['PATH=/bin', 'A=1'], ['A=2', 'B=3'])).toEqual(['PATH=/bin', 'A=2', 'B=3']);
  });
});
