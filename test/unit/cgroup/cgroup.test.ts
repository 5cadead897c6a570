import { cgroupDir, parseCgroupMounts, parseKeyValues } from '../../../lib/cgroup/cgroup.js';
import { parseBlkioV1, parseIoStatV2, statsRow } from '../../../lib/container/stats.js';
import { initialState, type ContainerRecord } from '../../../lib/state/container-record.js';

const HYBRID = [
  '30 25 0:26 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755',
  '31 30 0:27 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw',
  '32 30 0:28 / /sys/fs/cgroup/systemd rw,nosuid shared:11 - cgroup cgroup rw,xattr,name=systemd',
  '33 30 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:12 - cgroup cgroup rw,cpu,cpuacct',
  '34 30 0:30 / /sys/fs/cgroup/memory rw,nosuid shared:13 - cgroup cgroup rw,memory',
].join('\n');
const UNIFIED = '30 25 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate';

describe('cgroup discovery', () => {
  it('treats a hybrid host as cgroup v1 and finds each controller', () => {
    const m = parseCgroupMounts(HYBRID);
    expect(m.version).toBe(1);
    expect(cgroupDir('abc', 'memory', m)).toBe('/sys/fs/cgroup/memory/pman/abc');
    expect(cgroupDir('abc', 'cpuacct', m)).toBe('/sys/fs/cgroup/cpu,cpuacct/pman/abc');
    expect(cgroupDir('abc', 'pids', m)).toBeUndefined();
  });

  it('uses the unified hierarchy on a v2 host', () => {
    const m = parseCgroupMounts(UNIFIED);
    expect(m.version).toBe(2);
    expect(cgroupDir('abc', 'memory', m)).toBe('/sys/fs/cgroup/pman/abc');
  });

  it('reads key-value files', () => {
    expect(parseKeyValues('oom_kill_disable 0\nunder_oom 0\noom_kill 2\n').get('oom_kill')).toBe(2);
  });
});

describe('stats', () => {
  it('sums block I/O over devices for v1 and v2', () => {
    expect(parseBlkioV1('8:0 Read 4096\n8:0 Write 512\n8:0 Total 4608\n8:16 Read 10\nTotal 4618\n')).toEqual([4106, 512]);
    expect(parseIoStatV2('8:0 rbytes=100 wbytes=20 rios=1 wios=1\n8:16 rbytes=1 wbytes=2\n')).toEqual([101, 22]);
  });

  it('formats a row the way podman prints it', () => {
    const rec = { id: 'c'.repeat(64), name: 'web', state: { ...initialState(), startedAt: new Date(10_000).toISOString() } } as ContainerRecord;
    const sample = { at: 2e9, cpuNs: 500e6, memUsage: 1_954_000, memLimit: 25_280_000_000, pids: 3, blockRead: 0, blockWrite: 4096 };
    const row = statsRow(rec, sample, { ...sample, at: 1e9, cpuNs: 250e6 }, 20_000);
    expect(row).toMatchObject({
      ID: 'cccccccccccc',
      CPUPerc: '25.00%',
      AvgCPU: '5.00%',
      CPU: '500ms',
      MemUsage: '1.954MB / 25.28GB',
      MemPerc: '0.01%',
      BlockIO: '0B / 4.096kB',
      PIDs: '3',
    });
  });

});
