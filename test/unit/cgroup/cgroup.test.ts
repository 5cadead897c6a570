import fs from 'node:fs';
import path from 'node:path';
import { cgroupDir, cgroupDirs, cgroupPids, containerCgroupPath, oomKilled, parentCgroup, parseCgroupMounts, parseKeyValues, podCgroupPath, removeCgroup } from '../../../lib/cgroup/cgroup.js';
import { parseBlkioV1, parseIoStatV2, sampleCgroup, statsRow } from '../../../lib/container/stats.js';
import { TempDirs } from '../archive/fixtures.js';
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
    expect(cgroupDir(containerCgroupPath('abc'), 'memory', m)).toBe('/sys/fs/cgroup/memory/pman/abc');
    expect(cgroupDir(containerCgroupPath('abc'), 'cpuacct', m)).toBe('/sys/fs/cgroup/cpu,cpuacct/pman/abc');
    expect(cgroupDir(containerCgroupPath('abc'), 'pids', m)).toBeUndefined();
    // runc makes a container's directory in every hierarchy, the named and the hybrid v2 one too.
    expect(cgroupDirs('/slice/pman-abc', m).sort()).toEqual(
      ['cpu,cpuacct', 'memory', 'systemd', 'unified'].map((h) => `/sys/fs/cgroup/${h}/slice/pman-abc`),
    );
  });

  it('names a container\'s cgroup /pman/ID, or pman-ID under a --cgroup-parent, and a pod\'s by its ID', () => {
    expect(containerCgroupPath('abc')).toBe('/pman/abc');
    expect(containerCgroupPath('abc', '/my/slice')).toBe('/my/slice/pman-abc');
    expect(containerCgroupPath('abc', '/')).toBe('/pman-abc');
    expect(podCgroupPath('p1', '/mypod')).toBe('/mypod/p1');
    expect(podCgroupPath('p1', '/')).toBe('/p1');
    expect([parentCgroup('/my/slice/pman-abc'), parentCgroup('/pman-abc')]).toEqual(['/my/slice', '/']);
  });

  it('finds nothing for a cgroup outside what a mount shows (its root is not "/")', () => {
    const m = parseCgroupMounts('35 31 0:32 /outer /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory');
    expect(cgroupDir('/outer/pman-abc', 'memory', m)).toBe('/sys/fs/cgroup/memory/pman-abc');
    expect(cgroupDir('/other/pman-abc', 'memory', m)).toBeUndefined();
    expect(cgroupDir('/outer/../x', 'memory', m)).toBeUndefined();
    expect(cgroupDirs('/other/x', m)).toEqual([]);
  });

  it('uses the unified hierarchy on a v2 host', () => {
    const m = parseCgroupMounts(UNIFIED);
    expect(m.version).toBe(2);
    expect(cgroupDir(containerCgroupPath('abc'), 'memory', m)).toBe('/sys/fs/cgroup/pman/abc');
    expect(cgroupDirs('/mypod/p1', m)).toEqual(['/sys/fs/cgroup/mypod/p1']);
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

// Both hierarchies on every host: a container's cgroup files laid out as runc leaves them, under a
// temporary directory that a made-up mountinfo names as the cgroup mounts.
describe('reading a container\'s cgroup on v1 and on v2', () => {
  const temp = new TempDirs();
  afterEach(() => temp.cleanup());
  const ID = 'f'.repeat(64);
  const CG = containerCgroupPath(ID);
  const MiB = 1024 * 1024;

  /** Writes files (path relative to a mount point -> content) and returns the mountinfo text. */
  function host(version: 1 | 2, files: Record<string, string>): string {
    const top = temp.make('pman-cgroup-');
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(top, rel)), { recursive: true });
      fs.writeFileSync(path.join(top, rel), text);
    }
    if (version === 2) return `30 25 0:26 / ${top} rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate`;
    return ['cpu,cpuacct', 'memory', 'pids', 'blkio']
      .map((c, i) => `${33 + i} 30 0:${29 + i} / ${path.join(top, c)} rw,nosuid shared:${12 + i} - cgroup cgroup rw,${c}`)
      .join('\n');
  }

  // The same container state, written as each hierarchy holds it.
  const dir = `pman/${ID}`;
  const layouts: Array<[string, 1 | 2, Record<string, string>]> = [
    [
      'v1 files, one mount per controller',
      1,
      {
        [`cpu,cpuacct/${dir}/cpuacct.usage`]: '1500000000\n',
        [`memory/${dir}/memory.usage_in_bytes`]: `${10 * MiB}\n`,
        [`memory/${dir}/memory.stat`]: `cache 100\ntotal_inactive_file ${2 * MiB}\n`,
        [`memory/${dir}/memory.limit_in_bytes`]: `${64 * MiB}\n`,
        [`pids/${dir}/pids.current`]: '3\n',
        [`pids/${dir}/cgroup.procs`]: '101\n102\n103\n',
        [`blkio/${dir}/blkio.throttle.io_service_bytes`]: '8:0 Read 4096\n8:0 Write 512\nTotal 4608\n',
        [`memory/${dir}/memory.oom_control`]: 'oom_kill_disable 0\nunder_oom 0\noom_kill 1\n',
      },
    ],
    [
      'v2 files of one unified directory',
      2,
      {
        [`${dir}/cpu.stat`]: 'usage_usec 1500000\nuser_usec 1000000\n',
        [`${dir}/memory.current`]: `${10 * MiB}\n`,
        [`${dir}/memory.stat`]: `anon 100\ninactive_file ${2 * MiB}\n`,
        [`${dir}/memory.max`]: `${64 * MiB}\n`,
        [`${dir}/pids.current`]: '3\n',
        [`${dir}/cgroup.procs`]: '101\n102\n103\n',
        [`${dir}/io.stat`]: '8:0 rbytes=4096 wbytes=512 rios=1 wios=1\n',
        [`${dir}/memory.events`]: 'low 0\nhigh 0\nmax 4\noom 1\noom_kill 1\n',
      },
    ],
  ];

  it.each(layouts)('samples CPU, memory without inactive file cache, limit, pids, block I/O and the OOM kill from %s', (_, version, files) => {
    const mounts = parseCgroupMounts(host(version, files));
    expect(mounts.version).toBe(version);
    expect(sampleCgroup(CG, mounts, 1024 * MiB)).toEqual({ at: expect.any(Number), cpuNs: 1.5e9, memUsage: 8 * MiB, memLimit: 64 * MiB, pids: 3, blockRead: 4096, blockWrite: 512 });
    expect(cgroupPids(CG, mounts)).toEqual([101, 102, 103]);
    expect(oomKilled(CG, mounts)).toBe(true);
  });

  it('counts an unlimited memory limit (v1 huge number, v2 "max") as the host\'s memory, and no OOM kill as none', () => {
    const v1 = parseCgroupMounts(host(1, { [`cpu,cpuacct/${dir}/cpuacct.usage`]: '0', [`memory/${dir}/memory.limit_in_bytes`]: '9223372036854771712', [`memory/${dir}/memory.oom_control`]: 'oom_kill_disable 0\nunder_oom 0\noom_kill 0\n' }));
    const v2 = parseCgroupMounts(host(2, { [`${dir}/cpu.stat`]: 'usage_usec 0', [`${dir}/memory.max`]: 'max\n', [`${dir}/memory.events`]: 'oom 0\noom_kill 0\n' }));
    expect(sampleCgroup(CG, v1, 1024 * MiB)?.memLimit).toBe(1024 * MiB);
    expect(sampleCgroup(CG, v2, 1024 * MiB)?.memLimit).toBe(1024 * MiB);
    expect([oomKilled(CG, v1), oomKilled(CG, v2)]).toEqual([false, false]);
    // A v1 kernel older than 4.13 has no oom_kill counter: under_oom tells.
    const old = parseCgroupMounts(host(1, { [`memory/${dir}/memory.oom_control`]: 'oom_kill_disable 0\nunder_oom 1\n' }));
    expect(oomKilled(CG, old)).toBe(true);
  });

  it('finds no sample once the cgroup is gone', () => {
    expect(sampleCgroup(CG, parseCgroupMounts(host(1, {})))).toBeUndefined();
    expect(sampleCgroup(CG, parseCgroupMounts(host(2, {})))).toBeUndefined();
  });

  it('reads a container under a --cgroup-parent at that path, not under /pman', () => {
    const inSlice = `slice/pman-${ID}`;
    const v1 = parseCgroupMounts(host(1, { [`memory/${inSlice}/memory.oom_control`]: 'oom_kill_disable 0\nunder_oom 0\noom_kill 1\n', [`pids/${inSlice}/cgroup.procs`]: '7\n' }));
    const v2 = parseCgroupMounts(host(2, { [`${inSlice}/memory.events`]: 'oom 1\noom_kill 1\n', [`${inSlice}/cgroup.procs`]: '7\n' }));
    for (const m of [v1, v2]) {
      expect([oomKilled(containerCgroupPath(ID, '/slice'), m), cgroupPids(containerCgroupPath(ID, '/slice'), m)]).toEqual([true, [7]]);
      expect([oomKilled(CG, m), cgroupPids(CG, m)]).toEqual([false, []]);
    }
  });
});

describe('removing a cgroup', () => {
  const temp = new TempDirs();
  afterEach(() => temp.cleanup());

  it('removes the empty directory from every hierarchy, tolerates missing ones and returns those it could not remove', () => {
    const top = temp.make('pman-cgroup-rm-');
    const mountinfo = ['memory', 'pids', 'systemd']
      .map((h, i) => `${40 + i} 30 0:${50 + i} / ${path.join(top, h)} rw - cgroup cgroup rw,${h === 'systemd' ? 'name=systemd' : h}`)
      .join('\n');
    const m = parseCgroupMounts(mountinfo);
    fs.mkdirSync(path.join(top, 'memory/mypod/p1'), { recursive: true });
    // pids: a child left inside (a plain directory, not a cgroup: rmdir refuses it just the same).
    fs.mkdirSync(path.join(top, 'pids/mypod/p1/child'), { recursive: true });
    expect(removeCgroup('/mypod/p1', m)).toEqual([path.join(top, 'pids/mypod/p1')]);
    expect(['memory', 'pids', 'systemd'].map((h) => fs.existsSync(path.join(top, h, 'mypod/p1')))).toEqual([false, true, false]);
    // The parent, the user's, stays.
    expect(fs.existsSync(path.join(top, 'memory/mypod'))).toBe(true);
  });
});
