import { normalizeNewName, parseReference, splitName } from '../../../lib/image/reference.js';

describe('image references', () => {
  it('treats a one-word name as short: docker.io/library remotely', () => {
    expect(parseReference('busybox')).toEqual({ domain: 'docker.io', path: 'library/busybox', tag: undefined, digest: undefined, short: true, shortPath: 'busybox' });
  });

  it('takes the first component as a registry only with a dot, a colon or "localhost"', () => {
    expect(parseReference('quay.io/x/y:1')).toMatchObject({ domain: 'quay.io', path: 'x/y', tag: '1', short: false });
    expect(parseReference('127.0.0.1:5000/x')).toMatchObject({ domain: '127.0.0.1:5000', path: 'x', short: false });
    expect(parseReference('localhost/img')).toMatchObject({ domain: 'localhost', path: 'img', short: false });
    expect(parseReference('user/img')).toMatchObject({ domain: 'docker.io', path: 'user/img', short: true });
  });

  it('normalizes docker.io names and index.docker.io', () => {
    expect(parseReference('docker.io/busybox')).toMatchObject({ domain: 'docker.io', path: 'library/busybox', short: false });
    expect(parseReference('index.docker.io/library/busybox')).toMatchObject({ domain: 'docker.io', path: 'library/busybox' });
  });

  it('splits a tag from a registry port correctly', () => {
    expect(parseReference('localhost:5000/a/b')).toMatchObject({ domain: 'localhost:5000', path: 'a/b', tag: undefined });
    expect(parseReference('localhost:5000/a/b:v2')).toMatchObject({ domain: 'localhost:5000', path: 'a/b', tag: 'v2' });
  });

  it('reads a sha256 digest, with or without a tag', () => {
    const d = `sha256:${'a'.repeat(64)}`;
    expect(parseReference(`busybox@${d}`)).toMatchObject({ path: 'library/busybox', digest: d, tag: undefined });
    expect(parseReference(`busybox:1@${d}`)).toMatchObject({ tag: '1', digest: d });
  });

  it('rejects uppercase repositories, bad tags and bad digests with the reason', () => {
    expect(() => parseReference('BusyBox')).toThrow('invalid image reference "BusyBox": repository name must be lowercase');
    expect(() => parseReference('busybox:-bad')).toThrow('invalid image reference "busybox:-bad": "-bad" is not a valid tag');
    expect(() => parseReference('busybox@sha256:abc')).toThrow(/"sha256:abc" is not a sha256 digest/);
    expect(() => parseReference('a//b')).toThrow(/"" is not a valid repository name component/);
    expect(() => parseReference('')).toThrow('invalid image reference "": the name is empty');
  });

  it('names new images under localhost/ with tag latest, as podman does', () => {
    expect(normalizeNewName('myimg')).toBe('localhost/myimg:latest');
    expect(normalizeNewName('team/myimg:v1')).toBe('localhost/team/myimg:v1');
    expect(normalizeNewName('quay.io/x/y')).toBe('quay.io/x/y:latest');
    expect(() => normalizeNewName(`x@sha256:${'b'.repeat(64)}`)).toThrow(/cannot be named by a digest/);
  });

  it('splits a stored name into repository and tag', () => {
    expect(splitName('localhost:5000/a/b:v1')).toEqual({ repository: 'localhost:5000/a/b', tag: 'v1' });
    expect(splitName('localhost:5000/a/b')).toEqual({ repository: 'localhost:5000/a/b', tag: '' });
  });
});
