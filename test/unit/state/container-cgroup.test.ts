import { cgroupParentOf, cgroupPathOf } from '../../../lib/state/container-cgroup.js';
import { generateSpec } from '../../../lib/oci/spec.js';
import { containerRecordFixture } from '../container-record-fixture.js';

describe("a container's cgroup path", () => {
  it('is /pman/ID without a recorded path, and HostConfig.CgroupParent is empty, as podman shows the default', () => {
    const rec = containerRecordFixture();
    expect([cgroupPathOf(rec), cgroupParentOf(rec)]).toEqual([`/pman/${rec.id}`, '']);
  });

  it('is the recorded one under a --cgroup-parent, whose parent inspect shows', () => {
    const rec = containerRecordFixture({ extras: { cgroupPath: `/my/slice/pman-${'a'.repeat(64)}` } });
    expect([cgroupPathOf(rec), cgroupParentOf(rec)]).toEqual([`/my/slice/pman-${rec.id}`, '/my/slice']);
    // runc makes it where the spec says: the same path.
    const spec = generateSpec({ rec, rootfs: '/r', user: { uid: 0, gid: 0, additionalGids: [], home: '/' }, etcFiles: { hostname: '/b/h', hosts: '/b/hosts', resolvConf: '/b/r' }, hostLimits: { nofile: 1, nproc: 1 } }) as { linux: { cgroupsPath: string } };
    expect(spec.linux.cgroupsPath).toBe(`/my/slice/pman-${rec.id}`);
    const top = containerRecordFixture({ extras: { cgroupPath: `/pman-${'a'.repeat(64)}` } });
    expect(cgroupParentOf(top)).toBe('/');
  });
});
