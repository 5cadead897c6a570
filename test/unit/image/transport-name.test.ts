import { localImageName, refuseTransportPath, transportOf } from '../../../lib/image/transport-name.js';

describe('transport names where a local image is named', () => {
  it('containers-storage:NAME is NAME in pman\'s store; a plain name, registry ports included, is itself', () => {
    expect(localImageName('containers-storage:localhost/busybox:latest')).toBe('localhost/busybox:latest');
    for (const n of ['busybox', 'localhost:5000/a:b', 'docker.io/library/busybox', 'ocifoo:1', 'sha256:' + 'a'.repeat(64)]) expect(localImageName(n)).toBe(n);
  });

  it('other transports are refused with the command that reads them; a store given by its paths, or no name, too', () => {
    expect(() => localImageName('docker-archive:/x.tar')).toThrow(
      'unsupported transport "docker-archive" for looking up local images: "docker-archive:/x.tar" is not in pman\'s store; bring it in first with "pman pull docker-archive:/x.tar"',
    );
    for (const [n, t] of [['docker://quay.io/a', 'docker'], ['oci:/d:t', 'oci'], ['oci-archive:/a.tar', 'oci-archive'], ['dir:/d', 'dir']]) {
      expect(transportOf(n)).toBe(t);
      expect(() => localImageName(n)).toThrow(`unsupported transport "${t}"`);
    }
    expect(() => localImageName('containers-storage:[overlay@/var/lib/containers/storage+/run/containers/storage]busybox')).toThrow('names a containers/storage store by its paths');
    expect(() => localImageName('containers-storage:')).toThrow('"containers-storage:" names no image: give containers-storage:NAME');
  });

  it('transports podman knows and pman does not implement are refused with what to use; an unknown prefix is a name', () => {
    expect(() => localImageName('docker-daemon:busybox:latest')).toThrow(
      'the "docker-daemon" transport is not supported ("docker-daemon:busybox:latest"): pman does not talk to a Docker daemon: use "docker save IMAGE | pman load", or docker-archive:FILE',
    );
    expect(() => localImageName('tarball:/x.tar')).toThrow('for a root filesystem tarball use "pman import FILE [NAME]"');
    for (const n of ['sif:/x.sif', 'ostree:a@/repo']) expect(() => localImageName(n)).toThrow('transport is not supported');
    for (const n of ['constructor:1', 'toString:x', 'registry:5000/a']) expect(transportOf(n)).toBeUndefined();
  });

  it('save -o refuses a transport; load -i only when no file has that name', () => {
    expect(() => refuseTransportPath('oci:/d', 'save -o')).toThrow('invalid -o "oci:/d": save writes to a path, not to a transport (the format is --format); to write to a transport use "pman push IMAGE oci:/d"');
    expect(() => refuseTransportPath('/a:b.tar', 'save -o')).not.toThrow();
    expect(() => refuseTransportPath('docker-archive:/x', 'load -i', () => false)).toThrow('cannot load "docker-archive:/x": no such file, and load -i takes a path, not a transport; to load from a transport use "pman pull docker-archive:/x"');
    expect(() => refuseTransportPath('docker-archive:x', 'load -i', () => true)).not.toThrow();
  });
});
