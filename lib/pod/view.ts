// What pod ls, pod inspect and pod stats show: podman's fields (pod ps's template fields and
// JSON, pod inspect's document, pod stats' report), from the pod record and its containers'.
import { parentCgroup } from '../cgroup/cgroup.js';
import type { StatsRow } from '../container/stats.js';
import { formatBytes, type ByteStyle } from '../format/bytes.js';
import { goNil, withGoFields, type GoShape } from '../format/go-fields.js';
import { goTime } from '../format/go-time.js';
import { humanDuration } from '../format/humanize.js';
import type { ContainerRecord } from '../state/container-record.js';
import { shortId } from '../state/ids.js';
import type { PodRecord } from '../state/pod-record.js';
import { podStatus } from './members.js';

export interface PodListRow {
  ID: string;
  Name: string;
  Status: string;
  Created: string;
  InfraID: string;
  NumberOfContainers: number;
  Labels: Record<string, string>;
  Networks: string;
  ContainerNames: string;
  ContainerIds: string;
  ContainerStatuses: string;
}

function networksOf(containers: ContainerRecord[], pod: PodRecord): string[] {
  const infra = containers.find((c) => c.id === pod.infraId);
  return Object.keys(infra?.config.network?.networks ?? {});
}

function ctrStatus(c: ContainerRecord): string {
  return c.state.status;
}

export function podRow(pod: PodRecord, containers: ContainerRecord[], noTrunc: boolean, now = Date.now()): PodListRow {
  const id = (x: string) => (noTrunc ? x : shortId(x));
  const row: PodListRow = {
    ID: id(pod.id),
    Name: pod.name,
    Status: podStatus(containers),
    Created: `${humanDuration(now - Date.parse(pod.created))} ago`,
    InfraID: pod.infraId ? id(pod.infraId) : '',
    NumberOfContainers: containers.length,
    Labels: pod.labels,
    Networks: networksOf(containers, pod).join(','),
    ContainerNames: containers.map((c) => c.name).join(','),
    ContainerIds: containers.map((c) => id(c.id)).join(','),
    ContainerStatuses: containers.map(ctrStatus).join(','),
  };
  // podman's other template fields (its ListPodsReport's), kept out of pman's {{json .}} row.
  const more = { Id: row.ID, InfraId: row.InfraID, Cgroup: podCgroupParent(pod), Namespace: '' };
  for (const [k, v] of Object.entries(more)) Object.defineProperty(row, k, { value: v, enumerable: false });
  return row;
}

/**
 * The parent of the pod's cgroup: its --cgroup-parent, else where its containers' cgroups are
 * (/pman/<id>), as podman shows its default (/libpod_parent) there.
 */
function podCgroupParent(pod: PodRecord): string {
  return pod.cgroupPath ? parentCgroup(pod.cgroupPath) : DEFAULT_CGROUP_PARENT;
}

const DEFAULT_CGROUP_PARENT = '/pman';

/** pod ps --format json: podman's ListPodsReport. */
export function podListJson(pod: PodRecord, containers: ContainerRecord[]): Record<string, unknown> {
  return {
    Cgroup: podCgroupParent(pod),
    Containers: containers.map((c) => ({ Id: c.id, Names: c.name, Status: ctrStatus(c), RestartCount: c.state.restartCount })),
    Created: goTime(pod.created),
    Id: pod.id,
    InfraId: pod.infraId ?? '',
    Name: pod.name,
    Namespace: '',
    Networks: networksOf(containers, pod),
    Status: podStatus(containers),
    Labels: pod.labels,
  };
}

/** podman 4.3.1's InspectPodInfraConfig fields (Go names) that its JSON omits or names otherwise. */
const INFRA_GO_FIELDS: GoShape = { CPUPeriod: 0, CPUQuota: 0, CPUSetCPUs: '' };

/**
 * podman 4.3.1's InspectPodData fields that its JSON leaves out when empty (omitempty) but a
 * --format template still sees as their zero value: pman has no pod-level resources, mounts or
 * devices, so those are always their zero value.
 */
const POD_GO_FIELDS: GoShape = {
  Namespace: '',
  CreateCommand: goNil([]),
  Labels: {},
  CgroupParent: '',
  CgroupPath: '',
  InfraContainerID: '',
  InfraConfig: null,
  SharedNamespaces: [],
  Containers: [],
  CPUPeriod: 0,
  CPUQuota: 0,
  CPUShares: 0,
  CPUSetCPUs: '',
  CPUSetMems: '',
  Mounts: [],
  Devices: [],
  BlkioDeviceReadBps: [],
  BlkioDeviceWriteBps: [],
  VolumesFrom: [],
  SecurityOpts: [],
  MemoryLimit: 0,
  MemorySwap: 0,
  BlkioWeight: 0,
  BlkioWeightDevice: [],
};

/** A Go slice as podman's JSON has it: null when empty. */
const slice = (v: string[] | undefined): string[] => (v?.length ? v : goNil([]));

function infraConfig(infra: ContainerRecord): Record<string, unknown> {
  const n = infra.config.network;
  const doc: Record<string, unknown> = {
    PortBindings: Object.fromEntries((n?.ports ?? []).map((p) => [`${p.containerPort}/${p.protocol}`, [{ HostIp: p.hostIp, HostPort: String(p.hostPort) }]])),
    HostNetwork: n?.mode === 'host',
    StaticIP: '',
    StaticMAC: '',
    NoManageResolvConf: false,
    DNSServer: slice(n?.dns),
    DNSSearch: slice(n?.dnsSearch),
    DNSOption: slice(n?.dnsOptions),
    NoManageHosts: false,
    HostAdd: slice(n?.addHosts),
    Networks: slice(Object.keys(n?.networks ?? {})),
    NetworkOptions: goNil({}),
    // The infra's own PID and UTS namespaces (pod create has no --pid/--uts): podman shows
    // "private" whatever the pod shares.
    pid_ns: 'private',
    userns: 'host',
    uts_ns: 'private',
  };
  for (const [go, json] of [['PidNS', 'pid_ns'], ['UserNS', 'userns'], ['UtsNS', 'uts_ns']]) Object.defineProperty(doc, go, { value: doc[json], enumerable: false });
  return withGoFields(doc, INFRA_GO_FIELDS);
}

/** pod inspect: podman 4.3.1's InspectPodData, its keys in its order (omitempty ones left out when empty). */
export function podInspectView(pod: PodRecord, containers: ContainerRecord[]): Record<string, unknown> {
  const infra = containers.find((c) => c.id === pod.infraId);
  const doc = {
    Id: pod.id,
    Name: pod.name,
    Created: goTime(pod.created),
    ...(pod.createCommand?.length ? { CreateCommand: pod.createCommand } : {}),
    ExitPolicy: pod.exitPolicy,
    State: podStatus(containers),
    Hostname: pod.hostname ?? '',
    ...(Object.keys(pod.labels).length ? { Labels: pod.labels } : {}),
    CreateCgroup: pod.cgroupPath !== undefined,
    CgroupParent: podCgroupParent(pod),
    ...(pod.cgroupPath ? { CgroupPath: pod.cgroupPath } : {}),
    CreateInfra: pod.infraId !== undefined,
    ...(pod.infraId ? { InfraContainerID: pod.infraId } : {}),
    ...(infra ? { InfraConfig: infraConfig(infra) } : {}),
    ...(pod.share.length ? { SharedNamespaces: pod.share } : {}),
    NumContainers: containers.length,
    ...(containers.length ? { Containers: containers.map((c) => ({ Id: c.id, Name: c.name, State: c.state.status })) } : {}),
  };
  return withGoFields(doc, POD_GO_FIELDS);
}

/** go-units' BytesSize ("%.4g", powers of 1024): "320KiB", "23.54GiB". */
const BYTES_SIZE: ByteStyle = { base: 1024, digits: 4, space: false };

/** pod stats: podman 4.3.1's PodStatsReport, its keys in its order. */
export interface PodStatsReport {
  CPU: string;
  MemUsage: string;
  MemUsageBytes: string;
  Mem: string;
  NetIO: string;
  BlockIO: string;
  PIDS: string;
  Pod: string;
  CID: string;
  Name: string;
}

/**
 * One container's stats row as podman's pod stats shows it: CPU and Mem are the percentages, a
 * pair of zeros is "-- / --". pman's own stats field names (CPUPerc, MemPerc, PIDs, ID) stay
 * readable in templates (not in the JSON).
 */
export function podStatsReport(r: StatsRow, podId: string): PodStatsReport {
  const [used, limit] = r.MemUsageBytes.split(' / ').map(Number);
  const report: PodStatsReport = {
    CPU: r.CPUPerc,
    MemUsage: r.MemUsage,
    MemUsageBytes: used === 0 && limit === 0 ? '-- / --' : `${formatBytes(used, BYTES_SIZE)} / ${formatBytes(limit, BYTES_SIZE)}`,
    Mem: r.MemPerc,
    NetIO: r.NetIO,
    BlockIO: r.BlockIO === '0B / 0B' ? '-- / --' : r.BlockIO,
    PIDS: r.PIDs,
    Pod: shortId(podId),
    CID: r.ID,
    Name: r.Name,
  };
  for (const [k, v] of Object.entries({ CPUPerc: r.CPUPerc, MemPerc: r.MemPerc, PIDs: r.PIDs, ID: r.ID })) Object.defineProperty(report, k, { value: v, enumerable: false });
  return report;
}
