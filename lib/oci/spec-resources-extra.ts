// The spec parts of --device, --device-cgroup-rule, the block I/O flags, --cpu-period/-quota/-rt-*,
// --memory-swappiness and --cgroup-conf (lib/container/parse/resources-extra.ts), added to a
// generated spec. Values are written in the OCI spec's terms; runc writes them to cgroup v1 files
// or converts them for v2 (blockIO throttles -> io.max, weight -> io.weight/io.bfq.weight, cpu
// period/quota -> cpu.max; unified keys are v2 files written as given).
import type { ContainerRecord } from '../state/container-record.js';

interface SpecShape {
  mounts?: Array<{ destination: string; type: string; source: string; options: string[] }>;
  linux?: { devices?: Array<{ path: string }>; resources?: Record<string, unknown> };
}

/**
 * Adds the record's devices and extra cgroup settings to spec (in place) and returns it. With
 * `bindDevices` (rootless: no mknod in a user namespace) each --device is a bind mount of the
 * host node, as podman does: runc's own fallback binds the container path from the host, which
 * is wrong when the two differ.
 */
export function applyResourceExtras<T extends object>(spec: T, rec: ContainerRecord, bindDevices = false): T {
  const s = spec as SpecShape;
  const linux = (s.linux ??= {});
  const devices = rec.config.devices ?? [];
  if (devices.length && bindDevices) {
    const mine = new Set(devices.map((d) => d.path));
    s.mounts = [
      ...(s.mounts ?? []).filter((m) => !mine.has(m.destination)),
      ...devices.map((d) => ({ destination: d.path, type: 'bind', source: d.hostPath, options: ['bind', 'nosuid', 'noexec', 'rprivate', d.access.includes('w') ? 'rw' : 'ro'] })),
    ];
  } else if (devices.length) {
    // A --privileged container already has the host's nodes: a --device at the same path wins.
    const mine = new Set(devices.map((d) => d.path));
    linux.devices = [
      ...(linux.devices ?? []).filter((d) => !mine.has(d.path)),
      ...devices.map((d) => ({ path: d.path, type: d.type, major: d.major, minor: d.minor, fileMode: d.fileMode, uid: d.uid, gid: d.gid })),
    ];
  }
  const r = rec.config.resources ?? {};
  const res = (linux.resources ??= {});
  const rules = [
    ...devices.map((d) => ({ allow: true, type: d.type, major: d.major, minor: d.minor, access: d.access })),
    ...(r.deviceCgroupRule ?? []).map((d) => ({ allow: true, ...d })),
  ];
  if (rules.length) res.devices = [...((res.devices as unknown[]) ?? []), ...rules];
  const blockIO: Record<string, unknown> = {};
  if (r.blkioWeight !== undefined) blockIO.weight = r.blkioWeight;
  if (r.blkioWeightDevice) blockIO.weightDevice = r.blkioWeightDevice;
  if (r.deviceReadBps) blockIO.throttleReadBpsDevice = r.deviceReadBps;
  if (r.deviceWriteBps) blockIO.throttleWriteBpsDevice = r.deviceWriteBps;
  if (r.deviceReadIops) blockIO.throttleReadIOPSDevice = r.deviceReadIops;
  if (r.deviceWriteIops) blockIO.throttleWriteIOPSDevice = r.deviceWriteIops;
  if (Object.keys(blockIO).length) res.blockIO = blockIO;
  const cpu: Record<string, unknown> = {};
  if (r.cpuPeriod !== undefined) cpu.period = r.cpuPeriod;
  if (r.cpuQuota !== undefined) cpu.quota = r.cpuQuota;
  if (r.cpuRtPeriod !== undefined) cpu.realtimePeriod = r.cpuRtPeriod;
  if (r.cpuRtRuntime !== undefined) cpu.realtimeRuntime = r.cpuRtRuntime;
  if (Object.keys(cpu).length) res.cpu = { ...(res.cpu as object), ...cpu };
  if (r.memorySwappiness !== undefined) res.memory = { ...(res.memory as object), swappiness: r.memorySwappiness };
  if (r.cgroupConf) res.unified = { ...r.cgroupConf };
  return spec;
}
