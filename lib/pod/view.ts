// What pod ls and pod inspect show: podman's fields (pod ps's template fields and JSON, and
// pod inspect's document), from the pod record and its containers' records.
import { parentCgroup } from '../cgroup/cgroup.js';
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
  return {
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
}

/** The --cgroup-parent the pod was made with ("" without one). */
function podCgroupParent(pod: PodRecord): string {
  return pod.cgroupPath ? parentCgroup(pod.cgroupPath) : '';
}

/** pod ps --format json: podman's ListPodsReport. */
export function podListJson(pod: PodRecord, containers: ContainerRecord[]): Record<string, unknown> {
  return {
    Cgroup: podCgroupParent(pod),
    Containers: containers.map((c) => ({ Id: c.id, Names: c.name, Status: ctrStatus(c), RestartCount: c.state.restartCount })),
    Created: pod.created,
    Id: pod.id,
    InfraId: pod.infraId ?? '',
    Name: pod.name,
    Namespace: '',
    Networks: networksOf(containers, pod),
    Status: podStatus(containers),
    Labels: pod.labels,
  };
}

/** pod inspect: podman's InspectPodData (the fields pman has). */
export function podInspectView(pod: PodRecord, containers: ContainerRecord[]): Record<string, unknown> {
  const infra = containers.find((c) => c.id === pod.infraId);
  const n = infra?.config.network;
  return {
    Id: pod.id,
    Name: pod.name,
    Namespace: '',
    Created: pod.created,
    CreateCommand: [],
    ExitPolicy: pod.exitPolicy,
    State: podStatus(containers),
    Hostname: infra?.config.hostname ?? '',
    Labels: pod.labels,
    CreateCgroup: pod.cgroupPath !== undefined,
    ...(pod.cgroupPath ? { CgroupParent: podCgroupParent(pod), CgroupPath: pod.cgroupPath } : {}),
    CreateInfra: pod.infraId !== undefined,
    InfraContainerID: pod.infraId ?? '',
    InfraConfig: infra
      ? {
          PortBindings: Object.fromEntries(
            (n?.ports ?? []).map((p) => [`${p.containerPort}/${p.protocol}`, [{ HostIp: p.hostIp, HostPort: String(p.hostPort) }]]),
          ),
          HostNetwork: n?.mode === 'host',
          StaticIP: '',
          StaticMAC: '',
          NoManageResolvConf: false,
          DNSServer: n?.dns ?? [],
          DNSSearch: n?.dnsSearch ?? [],
          DNSOption: n?.dnsOptions ?? [],
          NoManageHosts: false,
          HostAdd: n?.addHosts ?? [],
          Networks: Object.keys(n?.networks ?? {}),
          NetworkOptions: null,
          pid_ns: pod.share.includes('pid') ? 'pod' : 'private',
          userns: 'host',
          uts_ns: pod.share.includes('uts') ? 'pod' : 'private',
        }
      : undefined,
    SharedNamespaces: pod.share,
    NumContainers: containers.length,
    Containers: containers.map((c) => ({ Id: c.id, Name: c.name, State: c.state.status })),
  };
}
