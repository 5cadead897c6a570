// podman's run/create flags of #20, part 2, proven in real containers: devices and the device
// cgroup, block I/O throttles, CPU period/quota/real-time, swappiness and --cgroup-conf, read
// from the container's own cgroup files (the host's hierarchy; the other one's mapping is unit-tested
// in test/unit/oci/spec-resources-extra.test.ts).
import fs from 'node:fs';
import { TestEnv } from '../harness.js';

const V2 = fs.existsSync('/sys/fs/cgroup/cgroup.controllers');

/** A block device of this machine and its numbers (loop devices or a disk). */
function blockDevice(): { path: string; numbers: string } {
  for (const name of fs.readdirSync('/sys/class/block')) {
    const p = `/dev/${name}`;
    try {
      if (fs.statSync(p).isBlockDevice()) return { path: p, numbers: fs.readFileSync(`/sys/class/block/${name}/dev`, 'utf8').trim() };
    } catch {
      /* not a node in /dev */
    }
  }
  throw new Error('this test needs a block device node in /dev (a loop device or a disk)');
}

let env: TestEnv;
beforeAll(async () => void (env = await TestEnv.create()));
afterAll(() => env.cleanup());

/** A --rm run of a script (no network: nothing here needs one wired). */
const run = (args: string[], script: string) => env.pman(['run', '--rm', '--network', 'none', ...args, 'busybox', 'sh', '-c', script]);

describe('devices', () => {
  it('--device makes the node at the container path with its permissions, allowed only as asked', async () => {
    const dev = blockDevice();
    const devices = V2 ? 'echo v2' : 'cat /sys/fs/cgroup/devices/devices.list';
    // r only: reading opens, writing is refused by the device cgroup (even for root).
    const r = await run(['--device', `${dev.path}:/dev/xdisk:r`, '--device-cgroup-rule', 'c 42:* rm'], `stat -c '%t:%T %F' /dev/xdisk; ${devices}; exec 3</dev/xdisk && echo read-ok; (exec 4>/dev/xdisk) 2>/dev/null || echo write-refused`);
    const [maj, min] = dev.numbers.split(':').map((n) => Number(n).toString(16));
    expect(r.stdout).toContain(`${maj}:${min} block special file`);
    expect(r.stdout).toContain('read-ok');
    expect(r.stdout).toContain('write-refused');
    if (!V2) expect(r.stdout.split('\n')).toEqual(expect.arrayContaining([`b ${dev.numbers} r`, 'c 42:* rm']));
  });

  it('refuses a path that is not a device, naming the flag', async () => {
    const r = await env.pman(['create', '--device', '/etc/hostname', 'busybox', 'true']);
    expect([r.exitCode, r.stderr.trim()]).toEqual([125, 'Error: invalid --device "/etc/hostname": /etc/hostname is not a device node']);
  });
});

describe('cgroup settings', () => {
  it('apply block I/O throttles, CPU period and quota and swappiness in one container', async () => {
    const dev = blockDevice();
    const files = V2
      ? 'cat /sys/fs/cgroup/io.max /sys/fs/cgroup/cpu.max'
      : 'cd /sys/fs/cgroup; cat blkio/blkio.throttle.read_bps_device blkio/blkio.throttle.write_bps_device blkio/blkio.throttle.read_iops_device blkio/blkio.throttle.write_iops_device cpu/cpu.cfs_period_us cpu/cpu.cfs_quota_us memory/memory.swappiness';
    const r = await run(
      ['--device-read-bps', `${dev.path}:1mb`, '--device-write-bps', `${dev.path}:2mb`, '--device-read-iops', `${dev.path}:300`, '--device-write-iops', `${dev.path}:400`, '--cpu-period', '50000', '--cpu-quota', '25000', '--memory-swappiness', '10'],
      files,
    );
    expect(r.exitCode).toBe(0);
    const d = dev.numbers;
    expect(r.stdout.trim().split('\n')).toEqual(
      V2 ? [`${d} rbps=1048576 wbps=2097152 riops=300 wiops=400`, '25000 50000'] : [`${d} 1048576`, `${d} 2097152`, `${d} 300`, `${d} 400`, '50000', '25000', '10'],
    );
  });

  it('refuse what this host\'s cgroups cannot hold, with the reason, before creating anything', async () => {
    const before = (await env.pman(['ps', '-aq'])).stdout;
    const conf = await env.pman(['create', '--cgroup-conf', 'memory.high=1g', 'busybox', 'true']);
    const rt = await env.pman(['create', '--cpu-rt-runtime', '999999', 'busybox', 'true']);
    const cpus = await env.pman(['create', '--cpus', '1', '--cpu-period', '50000', 'busybox', 'true']);
    expect([cpus.exitCode, cpus.stderr]).toEqual([125, expect.stringContaining('--cpus conflicts with --cpu-period')]);
    if (V2) {
      expect(rt.stderr).toContain('cgroup v2 has no real-time CPU settings');
      expect(conf.exitCode).toBe(0);
      await env.pman(['rm', conf.stdout.trim()]);
    } else {
      expect([conf.exitCode, conf.stderr]).toEqual([125, expect.stringContaining('this host runs cgroup v1')]);
      // pman's parent cgroup has less real-time time than asked (none unless an admin gave it some).
      expect([rt.exitCode, rt.stderr]).toEqual([125, expect.stringMatching(/--cpu-rt-runtime 999999: pman's parent cgroup has a real-time budget of [0-9]+ microseconds/)]);
    }
    expect((await env.pman(['ps', '-aq'])).stdout).toBe(before);
  });

  it('set the real-time period and a zero runtime, which need no budget', async () => {
    const r = await run(['--cpu-rt-period', '200000', '--cpu-rt-runtime', '0'], V2 ? 'true' : 'cat /sys/fs/cgroup/cpu/cpu.rt_period_us /sys/fs/cgroup/cpu/cpu.rt_runtime_us');
    if (V2) expect(r.stderr).toContain('cgroup v2 has no real-time CPU settings');
    else expect([r.exitCode, r.stdout.trim().split('\n')]).toEqual([0, ['200000', '0']]);
  });
});

describe('top', () => {
  it('shows podman\'s descriptors from /proc, and hands other arguments to the container\'s ps', async () => {
    const id = (await env.pman(['run', '-d', '--network', 'none', '--cap-drop', 'ALL', '--cap-add', 'KILL,CHOWN', '--group-add', '10', 'busybox', 'sleep', '1000'])).stdout.trim();
    try {
      const table = (await env.pman(['top', id, 'pid', 'capeff', 'capbnd', 'seccomp', 'groups', 'hgroups', 'stime', 'label'])).stdout.split('\n');
      expect(table[0].split(/\s{2,}/)).toEqual(['PID', 'EFFECTIVE CAPS', 'BOUNDING CAPS', 'SECCOMP', 'GROUPS', 'HGROUPS', 'STIME', 'LABEL']);
      expect(table[1].split(/\s{2,}/)).toEqual(['1', 'CHOWN,KILL', 'CHOWN,KILL', 'filter', expect.stringMatching(/(^|,)wheel(,|$)/), expect.stringMatching(/(^|,)10(,|$)/), expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC$/), expect.any(String)]);
      // ps of the container itself (busybox's), with its own columns: it lists itself too.
      const ps = await env.pman(['top', id, '-o', 'pid,comm']);
      expect([ps.exitCode, ps.stdout.split('\n').map((l) => l.trim().split(/\s+/))]).toEqual([0, [['PID', 'COMMAND'], ['1', 'sleep'], [expect.stringMatching(/^\d+$/), 'ps']]]);
      // Without ps in the container: one line saying so.
      await env.pman(['exec', id, 'rm', '/bin/ps']);
      const none = await env.pman(['top', id, 'aux']);
      expect([none.exitCode, none.stderr]).toEqual([125, expect.stringContaining('unknown top descriptors in "aux", and the container has no ps(1) to pass them to')]);
    } finally {
      await env.pman(['rm', '-f', '-t', '0', id]);
    }
  });
});
