// The device and cgroup flags of create/run beyond the common limits (resources.ts): --device,
// --device-cgroup-rule, --device-{read,write}-{bps,iops}, --blkio-weight[-device], --cpu-period,
// --cpu-quota, --cpu-rt-period, --cpu-rt-runtime, --memory-swappiness and --cgroup-conf, with
// podman's ranges, then checked against what this host's cgroups offer (HostCgroupFacts), so a
// setting the kernel cannot take is refused at create, with the reason, rather than by runc.
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from '../../errors.js';
import { cgroupDir, cgroupMounts, containerCgroupPath, parentCgroup, type CgroupMounts } from '../../cgroup/cgroup.js';
import type { ResourceConfig } from '../../state/container-record.js';
import type { DeviceConfig } from '../../state/resources-extra-schema.js';
import { blockDevice, parseDevice, parseDeviceRule, parseThrottle } from './devices.js';

export interface ResourceExtraFlags {
  devices?: string[];
  deviceCgroupRules?: string[];
  deviceReadBps?: string[];
  deviceWriteBps?: string[];
  deviceReadIops?: string[];
  deviceWriteIops?: string[];
  blkioWeight?: string;
  blkioWeightDevice?: string[];
  cpuPeriod?: string;
  cpuQuota?: string;
  cpuRtPeriod?: string;
  cpuRtRuntime?: string;
  memorySwappiness?: string;
  cgroupConf?: string[];
}

export interface ResourceExtras {
  devices?: DeviceConfig[];
  /** Fields merged into the record's resources. */
  resources: Partial<ResourceConfig>;
}

function integer(value: string, flag: string, min: number, max: number, hint = ''): number {
  if (!/^-?[0-9]+$/.test(value.trim())) throw new InvalidArgumentError(`invalid ${flag} "${value}": use a whole number${hint}`);
  const n = Number(value);
  if (n < min || n > max) throw new InvalidArgumentError(`invalid ${flag} "${value}": must be between ${min} and ${max}${hint}`);
  return n;
}

/** `--blkio-weight-device /dev/sda:200`. */
function weightDevice(spec: string): { major: number; minor: number; weight: number } {
  const at = spec.lastIndexOf(':');
  if (at <= 0) throw new InvalidArgumentError(`invalid --blkio-weight-device "${spec}": use DEVICE:WEIGHT, e.g. /dev/sda:200`);
  return { ...blockDevice(spec.slice(0, at), '--blkio-weight-device', spec), weight: integer(spec.slice(at + 1), '--blkio-weight-device', 10, 1000) };
}

/** `--cgroup-conf memory.high=1073741824`: a file of the container's own cgroup (v2). */
function cgroupConf(specs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const key = spec.slice(0, eq);
    if (eq <= 0 || !/^[a-z0-9_]+\.[a-z0-9_.]+$/.test(key)) {
      throw new InvalidArgumentError(`invalid --cgroup-conf "${spec}": use KEY=VALUE with a cgroup v2 file name as KEY, e.g. memory.high=1g`);
    }
    out[key] = spec.slice(eq + 1);
  }
  return out;
}

/** The flags, parsed and cross-checked (host devices are looked up; cgroup support is not). */
export function parseResourceExtras(f: ResourceExtraFlags): ResourceExtras {
  const r: Partial<ResourceConfig> = {};
  const many = <T>(values: string[] | undefined, parse: (v: string) => T): T[] | undefined => (values?.length ? values.map(parse) : undefined);
  const devices = many(f.devices, parseDevice)?.flat();
  r.deviceCgroupRule = many(f.deviceCgroupRules, parseDeviceRule);
  r.deviceReadBps = many(f.deviceReadBps, (v) => parseThrottle(v, '--device-read-bps', 'bytes'));
  r.deviceWriteBps = many(f.deviceWriteBps, (v) => parseThrottle(v, '--device-write-bps', 'bytes'));
  r.deviceReadIops = many(f.deviceReadIops, (v) => parseThrottle(v, '--device-read-iops', 'count'));
  r.deviceWriteIops = many(f.deviceWriteIops, (v) => parseThrottle(v, '--device-write-iops', 'count'));
  if (f.blkioWeight !== undefined) r.blkioWeight = integer(f.blkioWeight, '--blkio-weight', 10, 1000);
  r.blkioWeightDevice = many(f.blkioWeightDevice, weightDevice);
  // The kernel's CFS bounds: a period of 1 ms to 1 s, a quota of at least 1 ms (-1: none).
  if (f.cpuPeriod !== undefined) r.cpuPeriod = integer(f.cpuPeriod, '--cpu-period', 1000, 1_000_000, ' (microseconds)');
  if (f.cpuQuota !== undefined) {
    r.cpuQuota = integer(f.cpuQuota, '--cpu-quota', -1, 2 ** 40, ' (microseconds; -1 for no limit)');
    if (r.cpuQuota >= 0 && r.cpuQuota < 1000) throw new InvalidArgumentError(`invalid --cpu-quota "${f.cpuQuota}": the kernel's minimum is 1000 microseconds (-1 for no limit)`);
  }
  if (f.cpuRtPeriod !== undefined) r.cpuRtPeriod = integer(f.cpuRtPeriod, '--cpu-rt-period', 1, 1_000_000, ' (microseconds)');
  if (f.cpuRtRuntime !== undefined) r.cpuRtRuntime = integer(f.cpuRtRuntime, '--cpu-rt-runtime', -1, 1_000_000, ' (microseconds)');
  if (r.cpuRtRuntime !== undefined && r.cpuRtPeriod !== undefined && r.cpuRtRuntime > r.cpuRtPeriod) {
    throw new InvalidArgumentError(`invalid --cpu-rt-runtime "${f.cpuRtRuntime}": it must not exceed --cpu-rt-period (${f.cpuRtPeriod})`);
  }
  if (f.memorySwappiness !== undefined) r.memorySwappiness = integer(f.memorySwappiness, '--memory-swappiness', 0, 100);
  if (f.cgroupConf?.length) r.cgroupConf = cgroupConf(f.cgroupConf);
  for (const k of Object.keys(r) as (keyof ResourceConfig)[]) if (r[k] === undefined) delete r[k];
  return { ...(devices ? { devices } : {}), resources: r };
}

/** What the host's cgroups offer for these flags (probeHostCgroup reads it). */
export interface HostCgroupFacts {
  version: 1 | 2;
  /** A proportional I/O weight file exists (blkio.weight / blkio.bfq.weight; io.weight / io.bfq.weight). */
  ioWeight: boolean;
  /** Real-time CPU group scheduling (v1 cpu.rt_runtime_us). */
  realtime: boolean;
  /** The real-time budget of the container's parent cgroup (v1 /pman/cpu.rt_runtime_us, or --cgroup-parent's; 0 when runc is yet to make it). */
  realtimeBudget?: { file: string; runtime: number };
}

function anyFile(dir: string | undefined, names: string[]): boolean {
  return dir !== undefined && names.some((n) => fs.existsSync(path.join(dir, n)));
}

/**
 * Reads HostCgroupFacts from the cgroup mounts (v2: the root's first child shows the files children
 * get); `parent` is the cgroup the container's will be made in (pman's /pman, or --cgroup-parent's).
 */
export function probeHostCgroup(mounts: CgroupMounts = cgroupMounts(), parent = parentCgroup(containerCgroupPath('x'))): HostCgroupFacts {
  if (mounts.version === 1) {
    const realtime = anyFile(mounts.controllers.get('cpu')?.mountPoint, ['cpu.rt_runtime_us']);
    const dir = cgroupDir(parent, 'cpu', mounts);
    const file = dir && path.join(dir, 'cpu.rt_runtime_us');
    let runtime = 0;
    try {
      runtime = file ? Number(fs.readFileSync(file, 'utf8').trim()) : 0;
    } catch {
      /* not made yet: runc makes it with no budget */
    }
    return {
      version: 1,
      ioWeight: anyFile(mounts.controllers.get('blkio')?.mountPoint, ['blkio.weight', 'blkio.bfq.weight']),
      realtime,
      ...(realtime && file ? { realtimeBudget: { file, runtime } } : {}),
    };
  }
  const root = mounts.controllers.get('')?.mountPoint;
  let child: string | undefined;
  try {
    child = root && fs.readdirSync(root, { withFileTypes: true }).find((e) => e.isDirectory())?.name;
  } catch {
    /* unreadable: no weight */
  }
  return { version: 2, ioWeight: anyFile(root && child ? path.join(root, child) : undefined, ['io.weight', 'io.bfq.weight']), realtime: false };
}

/**
 * Refuses what the host cannot do, with the reason; drops --memory-swappiness on v2 with a warning
 * (podman: it exists on cgroup v1 only). Changes `r` in place.
 */
export function checkHostCgroup(r: Partial<ResourceConfig>, host: HostCgroupFacts, warn: (m: string) => void): void {
  const flag = r.blkioWeight !== undefined ? '--blkio-weight' : r.blkioWeightDevice ? '--blkio-weight-device' : undefined;
  if (flag && !host.ioWeight) {
    const files = host.version === 1 ? 'blkio.weight nor blkio.bfq.weight' : 'io.weight nor io.bfq.weight';
    throw new InvalidArgumentError(`cannot use ${flag}: this host's block I/O cgroup has neither ${files} (the kernel offers proportional I/O weights only with the BFQ scheduler and CONFIG_BFQ_GROUP_IOSCHED); use --device-read-bps/--device-write-bps limits instead`);
  }
  const rt = r.cpuRtRuntime !== undefined ? '--cpu-rt-runtime' : r.cpuRtPeriod !== undefined ? '--cpu-rt-period' : undefined;
  if (rt && !host.realtime) {
    const why = host.version === 2 ? 'cgroup v2 has no real-time CPU settings' : "this kernel's cpu cgroup has no cpu.rt_runtime_us (CONFIG_RT_GROUP_SCHED is off)";
    throw new InvalidArgumentError(`cannot use ${rt}: ${why}; leave it out`);
  }
  // The kernel refuses a child more real-time time than its parent has (runc would fail at start
  // with "invalid argument", as podman does): say which budget to raise.
  const budget = host.realtimeBudget;
  if (r.cpuRtRuntime !== undefined && r.cpuRtRuntime > 0 && budget && r.cpuRtRuntime > budget.runtime) {
    throw new InvalidArgumentError(
      `cannot use --cpu-rt-runtime ${r.cpuRtRuntime}: pman's parent cgroup has a real-time budget of ${budget.runtime} microseconds (${budget.file}); raise it first (echo ${r.cpuRtRuntime} > ${budget.file}) or leave the flag out`,
    );
  }
  if (r.cgroupConf && host.version === 1) {
    throw new InvalidArgumentError('cannot use --cgroup-conf: it sets cgroup v2 files, and this host runs cgroup v1 (as podman, pman takes it on cgroup v2 only)');
  }
  if (r.memorySwappiness !== undefined && host.version === 2) {
    warn('--memory-swappiness has no effect on cgroup v2 (the kernel has no per-cgroup swappiness there); ignoring it');
    delete r.memorySwappiness;
  }
}

/** --cpus and --cpu-period/--cpu-quota set the same two values: podman refuses both together. */
export function checkCpuConflict(r: Partial<ResourceConfig>): void {
  if (r.nanoCpus !== undefined && (r.cpuPeriod !== undefined || r.cpuQuota !== undefined)) {
    throw new InvalidArgumentError(`--cpus conflicts with ${r.cpuPeriod !== undefined ? '--cpu-period' : '--cpu-quota'}: both set the CFS period and quota; use one or the other`);
  }
}

/**
 * The extra flags merged into the common resources: parsed, checked against each other and, only
 * when one of them was given, against the host's cgroups (so a run without them costs nothing).
 */
export function withResourceExtras(
  base: ResourceConfig | undefined,
  flags: ResourceExtraFlags | undefined,
  warn: (m: string) => void,
  host: () => HostCgroupFacts = probeHostCgroup,
): { resources?: ResourceConfig; devices?: DeviceConfig[] } {
  const extras = flags ? parseResourceExtras(flags) : { resources: {} };
  if (Object.keys(extras.resources).length === 0) return { resources: base, devices: extras.devices };
  checkHostCgroup(extras.resources, host(), warn);
  const resources = { ...base, ...extras.resources };
  checkCpuConflict(resources);
  return { resources: Object.keys(resources).length ? resources : undefined, devices: extras.devices };
}
