// ps --ns: the namespaces of a running container's init as podman lists them, each the inode
// number the kernel shows in /proc/PID/ns/* (the same number for containers sharing one).
import fs from 'node:fs';

export interface PsNamespaces {
  Cgroup: string;
  IPC: string;
  MNT: string;
  NET: string;
  PIDNS: string;
  User: string;
  UTS: string;
}

const FILES: Array<[keyof PsNamespaces, string]> = [
  ['Cgroup', 'cgroup'],
  ['IPC', 'ipc'],
  ['MNT', 'mnt'],
  ['NET', 'net'],
  ['PIDNS', 'pid'],
  ['User', 'user'],
  ['UTS', 'uts'],
];

/** The namespace numbers of process pid; empty strings when it is not running (pid 0) or gone. */
export function psNamespaces(pid: number, procDir = '/proc'): PsNamespaces {
  const out = Object.fromEntries(FILES.map(([k]) => [k, ''])) as unknown as PsNamespaces;
  if (pid <= 0) return out;
  for (const [key, file] of FILES) {
    try {
      out[key] = /\[(\d+)\]/.exec(fs.readlinkSync(`${procDir}/${pid}/ns/${file}`))?.[1] ?? '';
    } catch {
      // exited meanwhile, or a kernel without this namespace: shown empty, as podman does
    }
  }
  return out;
}

/** podman's JSON of them (ps --ns --format json): its own key names, empty ones left out. */
export function namespacesJson(ns: PsNamespaces): Record<string, string> {
  const keys: Record<keyof PsNamespaces, string> = { Cgroup: 'Cgroup', IPC: 'Ipc', MNT: 'Mnt', NET: 'Net', PIDNS: 'Pidns', User: 'User', UTS: 'Uts' };
  return Object.fromEntries(FILES.filter(([k]) => ns[k] !== '').map(([k]) => [keys[k], ns[k]]));
}

/** podman's column order for ps --ns, and its headers. */
export const NS_FORMAT = 'table {{.ID}}\t{{.Names}}\t{{.Pid}}\t{{.Namespaces.Cgroup}}\t{{.Namespaces.IPC}}\t{{.Namespaces.MNT}}\t{{.Namespaces.NET}}\t{{.Namespaces.PIDNS}}\t{{.Namespaces.User}}\t{{.Namespaces.UTS}}';
export const NS_HEADERS: Record<string, string> = {
  '.Namespaces.Cgroup': 'CGROUPNS',
  '.Namespaces.IPC': 'IPC',
  '.Namespaces.MNT': 'MNT',
  '.Namespaces.NET': 'NET',
  '.Namespaces.PIDNS': 'PIDNS',
  '.Namespaces.User': 'USERNS',
  '.Namespaces.UTS': 'UTS',
};
