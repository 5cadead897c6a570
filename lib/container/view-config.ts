// The configuration parts of a container's `inspect` document (podman's field names): its mounts,
// capabilities and HostConfig (storage, resources, security, network, restart policy).
import type { Context } from '../context.js';
import { DEFAULT_PIDS_LIMIT, ULIMITS } from '../oci/spec-resources.js';
import { containerCapabilities } from '../oci/spec-security.js';
import { cgroupParentOf } from '../state/container-cgroup.js';
import type { ContainerRecord } from '../state/container-record.js';
import { volumeDataDir } from '../volume/volumes.js';

const PROPAGATION = /^r?(shared|slave|private|unbindable)$/;

export function mountsView(ctx: Context, rec: ContainerRecord): Array<Record<string, unknown>> {
  return (rec.config.mounts ?? [])
    .filter((m) => m.type !== 'tmpfs')
    .map((m) => ({
      Type: m.type,
      ...(m.type === 'volume' ? { Name: m.source } : {}),
      Source: m.type === 'volume' ? volumeDataDir(ctx, m.source) : m.source,
      Destination: m.destination,
      Driver: m.type === 'volume' ? 'local' : '',
      Mode: '',
      Options: m.options.includes('bind') ? ['bind'] : ['rbind'],
      RW: !m.options.includes('ro'),
      Propagation: m.options.find((o) => PROPAGATION.test(o)) ?? 'rprivate',
    }));
}

/** A user spec that is root (the capabilities a root process gets differ). */
function runsAsRoot(rec: ContainerRecord): boolean {
  const u = rec.config.user.split(':')[0];
  return u === '' || u === '0' || u === 'root';
}

export function capsView(rec: ContainerRecord): { EffectiveCaps: string[]; BoundingCaps: string[] } {
  const caps = containerCapabilities(rec, runsAsRoot(rec) ? 0 : 1);
  return { EffectiveCaps: caps.effective, BoundingCaps: caps.bounding };
}

/** podman's "CONTAINER:HOST:SIZE" of one range. */
const idMapText = (r: { container: number; host: number; size: number }) => `${r.container}:${r.host}:${r.size}`;

export function hostConfigView(rec: ContainerRecord): Record<string, unknown> {
  const c = rec.config;
  const r = c.resources ?? {};
  const s = c.security ?? {};
  const n = c.network;
  const mounts = c.mounts ?? [];
  const opts = (o: string[]) => (o.length ? `:${o.join(',')}` : '');
  const nanoCpus = r.nanoCpus ?? 0;
  return {
    Binds: mounts.filter((m) => m.type !== 'tmpfs').map((m) => `${m.source}:${m.destination}${opts(m.options)}`),
    Tmpfs: Object.fromEntries(mounts.filter((m) => m.type === 'tmpfs').map((m) => [m.destination, m.options.join(',')])),
    VolumesFrom: c.volumesFrom ?? null,
    ReadonlyRootfs: c.readOnly === true,
    Memory: r.memory ?? 0,
    MemorySwap: r.memory !== undefined ? (r.memorySwap ?? r.memory * 2) : 0,
    MemoryReservation: r.memoryReservation ?? 0,
    NanoCpus: nanoCpus,
    CpuPeriod: nanoCpus ? 100000 : 0,
    CpuQuota: nanoCpus ? Math.round(nanoCpus / 1e4) : 0,
    CpuShares: r.cpuShares ?? 0,
    CpusetCpus: r.cpusetCpus ?? '',
    CpusetMems: r.cpusetMems ?? '',
    PidsLimit: r.pidsLimit ?? DEFAULT_PIDS_LIMIT,
    Ulimits: (r.ulimits ?? []).map((u) => ({ Name: ULIMITS[u.name], Soft: u.soft, Hard: u.hard })),
    OomKillDisable: r.oomKillDisable === true,
    OomScoreAdj: r.oomScoreAdj ?? 0,
    CapAdd: s.capAdd ?? [],
    CapDrop: s.capDrop ?? [],
    Privileged: s.privileged === true,
    SecurityOpt: [
      ...(s.noNewPrivileges ? ['no-new-privileges'] : []),
      ...(s.seccomp ? [`seccomp=${s.seccomp}`] : []),
      ...(s.mask ?? []).map((p) => `mask=${p}`),
      ...(s.unmask ?? []).map((p) => `unmask=${p}`),
    ],
    GroupAdd: s.groupAdd ?? [],
    NetworkMode: n?.mode === 'container' ? `container:${n.container}` : n?.mode === 'ns' ? `ns:${n.nsPath}` : (n?.mode ?? 'none'),
    Dns: n?.dns ?? [],
    DnsSearch: n?.dnsSearch ?? [],
    DnsOptions: n?.dnsOptions ?? [],
    ExtraHosts: n?.addHosts ?? [],
    Init: c.init === true,
    RestartPolicy: { Name: c.restartPolicy?.name ?? 'no', MaximumRetryCount: c.restartPolicy?.maximumRetryCount ?? 0 },
    Annotations: c.annotations ?? {},
    // podman's other HostConfig fields, with what pman does (one cgroup manager, private
    // namespaces, no block-IO or realtime limits).
    CgroupManager: 'cgroupfs',
    CgroupMode: 'private',
    CgroupParent: cgroupParentOf(rec),
    Cgroup: '',
    Cgroups: 'default',
    ContainerIDFile: '',
    VolumeDriver: '',
    IpcMode: 'private',
    PidMode: 'private',
    UTSMode: 'private',
    // A user namespace of its own (docs/userns.md): "private", as podman shows it also for auto.
    UsernsMode: c.idMaps ? 'private' : '',
    ...(c.idMaps ? { IDMappings: { UidMap: c.idMaps.uidMap.map(idMapText), GidMap: c.idMaps.gidMap.map(idMapText) } } : {}),
    Links: null,
    PublishAllPorts: n?.publishAll === true,
    ShmSize: 67108864, // the 65536k /dev/shm of lib/oci/spec-mounts.ts
    ConsoleSize: [0, 0],
    Isolation: '',
    BlkioWeight: 0,
    BlkioWeightDevice: null,
    BlkioDeviceReadBps: null,
    BlkioDeviceWriteBps: null,
    BlkioDeviceReadIOps: null,
    BlkioDeviceWriteIOps: null,
    CpuRealtimePeriod: 0,
    CpuRealtimeRuntime: 0,
    Devices: [],
    DiskQuota: 0,
    KernelMemory: 0,
    MemorySwappiness: 0,
    CpuCount: 0,
    CpuPercent: 0,
    IOMaximumIOps: 0,
    IOMaximumBandwidth: 0,
    CgroupConf: null,
  };
}
