import { applyResourceExtras } from '../../../lib/oci/spec-resources-extra.js';
import { containerRecordFixture } from '../container-record-fixture.js';

const loop = { path: '/dev/xloop', hostPath: '/dev/loop7', type: 'b' as const, major: 7, minor: 7, fileMode: 0o600, uid: 0, gid: 0, access: 'r' };

describe('spec of devices and the extra cgroup settings', () => {
  it('makes --device nodes and allows them, with --device-cgroup-rule, after the default deny', () => {
    const rec = containerRecordFixture({ devices: [loop], resources: { deviceCgroupRule: [{ type: 'c', major: 42, access: 'rm' }] } });
    const spec = applyResourceExtras({ linux: { resources: { devices: [{ allow: false, access: 'rwm' }] } } }, rec);
    expect(spec.linux).toEqual({
      devices: [{ path: '/dev/xloop', type: 'b', major: 7, minor: 7, fileMode: 0o600, uid: 0, gid: 0 }],
      resources: {
        devices: [
          { allow: false, access: 'rwm' },
          { allow: true, type: 'b', major: 7, minor: 7, access: 'r' },
          { allow: true, type: 'c', major: 42, access: 'rm' },
        ],
      },
    });
  });

  it('lets a --device replace a --privileged container\'s host node at the same path', () => {
    const rec = containerRecordFixture({ devices: [{ ...loop, path: '/dev/loop0' }] });
    const spec = applyResourceExtras({ linux: { devices: [{ path: '/dev/loop0', major: 7, minor: 0 }, { path: '/dev/null' }] } }, rec);
    expect(spec.linux.devices?.map((d) => [d.path, (d as { minor?: number }).minor])).toEqual([['/dev/null', undefined], ['/dev/loop0', 7]]);
  });

  it('writes one set of values in OCI terms, which runc writes to v1 files or converts for v2', () => {
    // v1 (test/integration/config/podman-flags-2.test.ts reads them): blkio.throttle.*_device
    // "7:0 RATE", cpu.cfs_period_us/cfs_quota_us, cpu.rt_period_us/rt_runtime_us,
    // memory.swappiness. v2: io.max "7:0 rbps=… wiops=…", io.weight, cpu.max "QUOTA PERIOD", and
    // the unified keys (--cgroup-conf) written as the files they name; no rt, no swappiness there
    // (refused or dropped at create: resources-extra.test.ts).
    const t = { major: 7, minor: 0, rate: 1048576 };
    const rec = containerRecordFixture({
      resources: {
        deviceReadBps: [t],
        deviceWriteBps: [{ ...t, rate: 2 }],
        deviceReadIops: [{ ...t, rate: 3 }],
        deviceWriteIops: [{ ...t, rate: 4 }],
        blkioWeight: 300,
        blkioWeightDevice: [{ major: 7, minor: 0, weight: 200 }],
        cpuPeriod: 50000,
        cpuQuota: 25000,
        cpuRtPeriod: 100000,
        cpuRtRuntime: 1000,
        memorySwappiness: 10,
        cgroupConf: { 'memory.high': '1073741824' },
      },
    });
    const spec = applyResourceExtras({ linux: { resources: { memory: { limit: 1 }, cpu: { shares: 512 } } } }, rec);
    expect(spec.linux.resources).toEqual({
      memory: { limit: 1, swappiness: 10 },
      cpu: { shares: 512, period: 50000, quota: 25000, realtimePeriod: 100000, realtimeRuntime: 1000 },
      blockIO: {
        weight: 300,
        weightDevice: [{ major: 7, minor: 0, weight: 200 }],
        throttleReadBpsDevice: [t],
        throttleWriteBpsDevice: [{ ...t, rate: 2 }],
        throttleReadIOPSDevice: [{ ...t, rate: 3 }],
        throttleWriteIOPSDevice: [{ ...t, rate: 4 }],
      },
      unified: { 'memory.high': '1073741824' },
    });
  });

  it('bind-mounts the host node for a rootless container (read-only without w)', () => {
    const rec = containerRecordFixture({ devices: [loop] });
    const spec = applyResourceExtras({ mounts: [{ destination: '/proc', type: 'proc', source: 'proc', options: [] }], linux: {} as { devices?: unknown[] } }, rec, true);
    expect(spec.mounts?.[1]).toEqual({ destination: '/dev/xloop', type: 'bind', source: '/dev/loop7', options: ['bind', 'nosuid', 'noexec', 'rprivate', 'ro'] });
    expect(spec.linux.devices).toBeUndefined();
  });

  it('adds nothing to a container without these flags', () => {
    const base = { linux: { resources: { pids: { limit: 2048 } } } };
    expect(applyResourceExtras(structuredClone(base), containerRecordFixture())).toEqual(base);
  });
});
