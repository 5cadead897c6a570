import fs from 'node:fs';
import { parseDevice, parseDeviceRule, parseThrottle } from '../../../../lib/container/parse/devices.js';
import { checkHostCgroup, parseResourceExtras, withResourceExtras, type HostCgroupFacts } from '../../../../lib/container/parse/resources-extra.js';

/** Any block device of this machine (loop devices, disks): the throttle flags need one. */
function aBlockDevice(): string {
  const found = fs.readdirSync('/dev').map((n) => `/dev/${n}`).find((p) => {
    try {
      return fs.statSync(p).isBlockDevice();
    } catch {
      return false;
    }
  });
  if (!found) throw new Error('this test needs a block device node in /dev (a loop device or a disk)');
  return found;
}

const V1: HostCgroupFacts = { version: 1, ioWeight: false, realtime: true, realtimeBudget: { file: '/cg/cpu/pman/cpu.rt_runtime_us', runtime: 0 } };
const V2: HostCgroupFacts = { version: 2, ioWeight: true, realtime: false };
const noWarn = (m: string) => {
  throw new Error(`unexpected warning: ${m}`);
};

describe('--device and the device cgroup flags', () => {
  it('reads HOST, HOST:CONTAINER, HOST:PERMS and HOST:CONTAINER:PERMS with the host node\'s numbers', () => {
    const st = fs.statSync('/dev/null');
    expect(parseDevice('/dev/null')).toEqual([{ path: '/dev/null', hostPath: '/dev/null', type: 'c', major: 1, minor: 3, fileMode: st.mode & 0o7777, uid: st.uid, gid: st.gid, access: 'rwm' }]);
    expect(parseDevice('/dev/null:r')[0]).toMatchObject({ path: '/dev/null', access: 'r' });
    expect(parseDevice('/dev/null:/dev/mynull')[0]).toMatchObject({ path: '/dev/mynull', access: 'rwm' });
    expect(parseDevice('/dev/null:/dev/mynull:rw')[0]).toMatchObject({ path: '/dev/mynull', hostPath: '/dev/null', access: 'rw' });
    expect(() => parseDevice('/dev/null:/dev/x:rwx')).toThrow(/permissions "rwx" must be a combination of r, w and m/);
    expect(() => parseDevice('/no/such')).toThrow(/invalid --device "\/no\/such": \/no\/such: no such file/);
    expect(() => parseDevice('/etc/hostname')).toThrow(/is not a device node/);
    expect(() => parseDevice('dev/null')).toThrow(/must be absolute/);
  });

  it('takes every node under a directory to the same place under the container path', () => {
    const all = parseDevice('/dev:/hostdev:r');
    const nul = all.find((d) => d.hostPath === '/dev/null');
    expect(nul).toMatchObject({ path: '/hostdev/null', access: 'r', major: 1, minor: 3 });
    expect(all.every((d) => d.path.startsWith('/hostdev/'))).toBe(true);
  });

  it('reads device cgroup rules as the kernel writes them, * for any number', () => {
    expect(parseDeviceRule('c 1:3 mr')).toEqual({ type: 'c', major: 1, minor: 3, access: 'mr' });
    expect(parseDeviceRule('b 8:* rwm')).toEqual({ type: 'b', major: 8, access: 'rwm' });
    expect(parseDeviceRule('a *:* r')).toEqual({ type: 'a', access: 'r' });
    expect(() => parseDeviceRule('c 1:3')).toThrow(/TYPE MAJOR:MINOR ACCESS/);
    expect(() => parseDeviceRule('x 1:3 r')).toThrow(/TYPE MAJOR:MINOR ACCESS/);
  });

  it('reads throttles as DEVICE:RATE: bytes with units for bps, a count for iops, on block devices only', () => {
    const dev = aBlockDevice();
    const { major, minor } = parseThrottle(`${dev}:1`, '--device-read-bps', 'bytes');
    expect(parseThrottle(`${dev}:1mb`, '--device-read-bps', 'bytes')).toEqual({ major, minor, rate: 1024 * 1024 });
    expect(parseThrottle(`${dev}:300`, '--device-write-iops', 'count')).toEqual({ major, minor, rate: 300 });
    expect(() => parseThrottle(`${dev}:1mb`, '--device-write-iops', 'count')).toThrow(/whole number of operations/);
    expect(() => parseThrottle('/dev/null:1mb', '--device-read-bps', 'bytes')).toThrow(/\/dev\/null is not a block device/);
    expect(() => parseThrottle('1mb', '--device-read-bps', 'bytes')).toThrow(/use DEVICE:RATE/);
  });
});

describe('block I/O, CPU and memory extras', () => {
  it('parses podman\'s ranges and leaves out what was not given', () => {
    const r = parseResourceExtras({ cpuPeriod: '50000', cpuQuota: '25000', cpuRtPeriod: '100000', cpuRtRuntime: '9500', memorySwappiness: '10', blkioWeight: '300', cgroupConf: ['memory.high=1g', 'pids.max=9'] });
    expect(r).toEqual({ resources: { cpuPeriod: 50000, cpuQuota: 25000, cpuRtPeriod: 100000, cpuRtRuntime: 9500, memorySwappiness: 10, blkioWeight: 300, cgroupConf: { 'memory.high': '1g', 'pids.max': '9' } } });
    expect(parseResourceExtras({})).toEqual({ resources: {} });
    expect(parseResourceExtras({ cpuQuota: '-1' }).resources).toEqual({ cpuQuota: -1 });
    expect(() => parseResourceExtras({ cpuPeriod: '100' })).toThrow(/--cpu-period "100": must be between 1000 and 1000000/);
    expect(() => parseResourceExtras({ cpuQuota: '500' })).toThrow(/minimum is 1000 microseconds/);
    expect(() => parseResourceExtras({ memorySwappiness: '101' })).toThrow(/between 0 and 100/);
    expect(() => parseResourceExtras({ blkioWeight: '5' })).toThrow(/between 10 and 1000/);
    expect(() => parseResourceExtras({ cpuRtPeriod: '1000', cpuRtRuntime: '2000' })).toThrow(/must not exceed --cpu-rt-period/);
    expect(() => parseResourceExtras({ cgroupConf: ['../memory.max=1'] })).toThrow(/cgroup v2 file name/);
    expect(() => parseResourceExtras({ cgroupConf: ['memory.high'] })).toThrow(/KEY=VALUE/);
  });

  it('refuses on cgroup v1 what only v2 has, and on v2 what only v1 has, with the reason', () => {
    expect(() => checkHostCgroup({ cgroupConf: { 'memory.high': '1' } }, V1, noWarn)).toThrow(/--cgroup-conf: .*runs cgroup v1/);
    checkHostCgroup({ cgroupConf: { 'memory.high': '1' } }, V2, noWarn);
    expect(() => checkHostCgroup({ cpuRtPeriod: 1000 }, V2, noWarn)).toThrow(/--cpu-rt-period: cgroup v2 has no real-time CPU settings/);
    const warnings: string[] = [];
    const r = { memorySwappiness: 10 };
    checkHostCgroup(r, V2, (m) => warnings.push(m));
    expect([r, warnings]).toEqual([{}, [expect.stringMatching(/--memory-swappiness has no effect on cgroup v2/)]]);
    const kept = { memorySwappiness: 10 };
    checkHostCgroup(kept, V1, noWarn);
    expect(kept).toEqual({ memorySwappiness: 10 });
  });

  it('refuses a weight without a weight file and real-time time above the parent\'s budget', () => {
    expect(() => checkHostCgroup({ blkioWeight: 300 }, V1, noWarn)).toThrow(/--blkio-weight: .*neither blkio.weight nor blkio.bfq.weight/);
    expect(() => checkHostCgroup({ blkioWeightDevice: [{ major: 8, minor: 0, weight: 300 }] }, V1, noWarn)).toThrow(/--blkio-weight-device/);
    checkHostCgroup({ blkioWeight: 300 }, V2, noWarn);
    expect(() => checkHostCgroup({ cpuRtRuntime: 1000 }, V1, noWarn)).toThrow(/budget of 0 microseconds \(\/cg\/cpu\/pman\/cpu.rt_runtime_us\); raise it first/);
    checkHostCgroup({ cpuRtRuntime: 0, cpuRtPeriod: 100000 }, V1, noWarn);
    checkHostCgroup({ cpuRtRuntime: 1000 }, { ...V1, realtimeBudget: { file: '/f', runtime: 5000 } }, noWarn);
    expect(() => checkHostCgroup({ cpuRtRuntime: 1000 }, { ...V1, realtime: false, realtimeBudget: undefined }, noWarn)).toThrow(/no cpu.rt_runtime_us/);
  });

  it('merges with the common limits, refuses --cpus with --cpu-quota, and probes the host only when asked', () => {
    let probed = 0;
    const host = () => {
      probed++;
      return V1;
    };
    expect(withResourceExtras({ memory: 1 << 30 }, { devices: [], cgroupConf: [] }, noWarn, host)).toEqual({ resources: { memory: 1 << 30 } });
    expect(probed).toBe(0);
    expect(withResourceExtras(undefined, { cpuPeriod: '20000' }, noWarn, host).resources).toEqual({ cpuPeriod: 20000 });
    expect(probed).toBe(1);
    expect(() => withResourceExtras({ nanoCpus: 1e9 }, { cpuQuota: '5000' }, noWarn, host)).toThrow(/--cpus conflicts with --cpu-quota/);
  });
});
