import { parseTransport } from '../../../lib/registry/transports.js';

describe('transport names', () => {
  it('splits the transport, the path and the reference inside it', () => {
    expect(parseTransport('docker://quay.io/a/b:1')).toEqual({ transport: 'docker', target: 'quay.io/a/b:1' });
    expect(parseTransport('docker-archive:/x/y.tar')).toEqual({ transport: 'docker-archive', target: '/x/y.tar' });
    expect(parseTransport('docker-archive:/x/y.tar:localhost/a:v1')).toEqual({ transport: 'docker-archive', target: '/x/y.tar', ref: 'localhost/a:v1' });
    expect(parseTransport('oci-archive:rel.tar:tag')).toEqual({ transport: 'oci-archive', target: 'rel.tar', ref: 'tag' });
    expect(parseTransport('oci:/d')).toEqual({ transport: 'oci', target: '/d' });
    expect(parseTransport('containers-storage:busybox:latest')).toEqual({ transport: 'containers-storage', target: 'busybox:latest' });
    expect(parseTransport('dir:/a:b')).toEqual({ transport: 'dir', target: '/a:b' });
  });

  it('plain image names, registries with ports included, are not transports', () => {
    for (const n of ['busybox', 'busybox:latest', 'localhost:5000/a:b', '127.0.0.1:5000/x', 'docker.io/library/busybox', 'ocifoo:1']) expect(parseTransport(n)).toBeUndefined();
  });

  it('a transport pman does not implement is refused by name', () => {
    expect(() => parseTransport('docker-daemon:busybox:latest')).toThrow('the "docker-daemon" transport is not supported ("docker-daemon:busybox:latest")');
  });

  it('a transport without a path is an error', () => {
    expect(() => parseTransport('oci-archive:')).toThrow('invalid image name "oci-archive:": oci-archive: needs a path');
  });
});
