import { rootlessSpec } from '../../../lib/oci/spec-rootless.js';
import type { ContainerRecord } from '../../../lib/state/container-record.js';

const rec = (resources?: ContainerRecord['config']['resources']) => ({ config: { resources } }) as unknown as ContainerRecord;

function spec(namespaces = ['pid', 'network', 'ipc', 'uts', 'mount']) {
  return {
    process: { user: { uid: 0, gid: 0, additionalGids: [10] } },
    mounts: [
      { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'newinstance', 'mode=0620', 'gid=5'] },
      { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
      { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['ro'] },
    ],
    linux: { cgroupsPath: '/pman/x', resources: { pids: { limit: 2048 } }, namespaces: namespaces.map((type) => ({ type })) },
  };
}
const full = { subuids: true, subgids: true, setgroups: true };

describe('rootless spec changes', () => {
  it('drops the cgroup path, resources and cgroup mount, and keeps sysfs with a private network', () => {
    const s = rootlessSpec(spec(), rec(), full);
    expect(s.linux).toEqual({ namespaces: spec().linux.namespaces });
    expect(s.mounts.map((m) => m.type)).toEqual(['devpts', 'sysfs']);
    expect(s.mounts[0].options).toContain('gid=5');
    expect(s.process.user.additionalGids).toEqual([10]);
  });

  it('leaves out gid=5 and supplementary groups without subordinate group IDs', () => {
    const s = rootlessSpec(spec(), rec(), { subuids: false, subgids: false, setgroups: false });
    expect(s.mounts[0].options).toEqual(['nosuid', 'newinstance', 'mode=0620']);
    expect(s.process.user.additionalGids).toEqual([]);
  });

  it('binds the host /sys read-only when the container shares the host network', () => {
    const s = rootlessSpec(spec(['pid', 'ipc', 'uts', 'mount']), rec(), full);
    expect(s.mounts[1]).toEqual({ destination: '/sys', type: 'bind', source: '/sys', options: ['rbind', 'rprivate', 'nosuid', 'noexec', 'nodev', 'ro'] });
  });

  it('refuses a cgroup limit, naming its flag', () => {
    expect(() => rootlessSpec(spec(), rec({ memorySwap: 1 << 30 }), full)).toThrow(/^cannot use --memory-swap in a rootless container/);
  });
});
