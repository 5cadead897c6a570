// The mounts of a container's OCI spec: the standard kernel filesystems, the per-container /etc
// files, the user's binds, volumes and tmpfs mounts, and the tmpfs mounts a read-only root needs.
import path from 'node:path';
import type { ContainerRecord, MountConfig } from '../state/container-record.js';

export interface OciMount {
  destination: string;
  type: string;
  source: string;
  options: string[];
}

export interface MountInputs {
  rec: ContainerRecord;
  etcFiles: { hostname: string; hosts: string; resolvConf: string; containerEnv?: string };
  /** Host directory holding a named volume's data. */
  volumePath: (name: string) => string;
  /** Host path of the init binary to bind in when rec.config.init is set. */
  initPath?: string;
}

/** Where --init's binary appears in the container (podman's path, so scripts that look for it work). */
export const INIT_PATH = '/run/podman-init';

/** podman mounts these tmpfs dirs on a read-only root unless --read-only-tmpfs=false. */
const READ_ONLY_TMPFS = ['/run', '/tmp', '/var/tmp'];

const PROPAGATION = /^r?(shared|slave|private|unbindable)$/;
/** Option words that are pman's, not the kernel's: they never reach runc. */
const PMAN_ONLY = new Set(['z', 'Z', 'U', 'copy', 'nocopy', 'bind', 'rbind', 'tmpcopyup', 'notmpcopyup', 'idmap']);

function kernelOptions(m: MountConfig): string[] {
  return m.options.filter((o) => !PMAN_ONLY.has(o) && !PROPAGATION.test(o) && o !== 'ro' && o !== 'rw');
}

/** nosuid and nodev unless the user asked for suid or dev. */
function safeDefaults(m: MountConfig): string[] {
  return [...(m.options.includes('suid') ? [] : ['nosuid']), ...(m.options.includes('dev') ? [] : ['nodev'])];
}

/** OCI mount for one user mount. */
export function userMount(m: MountConfig, volumePath: (name: string) => string): OciMount {
  const ro = m.options.includes('ro') ? 'ro' : 'rw';
  const propagation = m.options.find((o) => PROPAGATION.test(o)) ?? 'rprivate';
  if (m.type === 'tmpfs') {
    // tmpcopyup (runc) starts the tmpfs with the image's content at that path, as podman does.
    const copyup = m.options.includes('notmpcopyup') ? [] : ['tmpcopyup'];
    return { destination: m.destination, type: 'tmpfs', source: 'tmpfs', options: [ro, ...safeDefaults(m), ...kernelOptions(m), ...copyup, propagation] };
  }
  const bind = m.options.includes('bind') ? 'bind' : 'rbind';
  // Volumes are nosuid,nodev like podman's; host binds keep what the host directory allows.
  const extra = m.type === 'volume' ? [...safeDefaults(m), ...kernelOptions(m)] : kernelOptions(m);
  const source = m.type === 'volume' ? volumePath(m.source) : m.source;
  return { destination: m.destination, type: 'bind', source, options: [bind, propagation, ro, ...extra] };
}

/** Every mount of the spec, parents before children, a user mount replacing a default at the same path. */
export function specMounts(inp: MountInputs): OciMount[] {
  const c = inp.rec.config;
  const privileged = c.security?.privileged === true;
  const etcMode = c.readOnly ? 'ro' : 'rw';
  const defaults: OciMount[] = [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
    { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', privileged ? 'rw' : 'ro'] },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['nosuid', 'noexec', 'nodev', 'relatime', privileged ? 'rw' : 'ro'] },
    { destination: '/etc/hostname', type: 'bind', source: inp.etcFiles.hostname, options: ['rbind', 'rprivate', etcMode] },
    { destination: '/etc/hosts', type: 'bind', source: inp.etcFiles.hosts, options: ['rbind', 'rprivate', etcMode] },
    { destination: '/etc/resolv.conf', type: 'bind', source: inp.etcFiles.resolvConf, options: ['rbind', 'rprivate', etcMode] },
    // podman's /run/.containerenv: engine, name, id, image, rootless, read-only.
    ...(inp.etcFiles.containerEnv ? [{ destination: '/run/.containerenv', type: 'bind', source: inp.etcFiles.containerEnv, options: ['rbind', 'rprivate', 'ro'] }] : []),
  ];
  const user = (c.mounts ?? []).map((m) => userMount(m, inp.volumePath));
  const taken = new Set(user.map((m) => m.destination));
  if (c.readOnly && c.readOnlyTmpfs !== false) {
    for (const d of READ_ONLY_TMPFS) {
      if (!taken.has(d)) user.push({ destination: d, type: 'tmpfs', source: 'tmpfs', options: ['rw', 'rprivate', 'nosuid', 'nodev', 'tmpcopyup'] });
    }
  }
  if (c.init && inp.initPath) user.push({ destination: INIT_PATH, type: 'bind', source: inp.initPath, options: ['bind', 'rprivate', 'ro', 'nosuid', 'nodev'] });
  return sortMounts([...defaults.filter((m) => !taken.has(m.destination)), ...user]);
}

/**
 * runc mounts in order: a parent must come before what is mounted inside it. The sort is stable,
 * so mounts of one depth keep their order among themselves.
 */
export function sortMounts(all: OciMount[]): OciMount[] {
  const depth = (d: string) => (d === '/' ? 0 : d.split('/').length - 1);
  return all.map((m, i) => ({ m, i })).sort((a, b) => depth(a.m.destination) - depth(b.m.destination) || a.i - b.i).map((x) => x.m);
}

/** True when `dest` is at or under one of the mount destinations (for cp and copy-up). */
export function mountFor(mounts: MountConfig[], dest: string): MountConfig | undefined {
  let best: MountConfig | undefined;
  for (const m of mounts) {
    if (dest === m.destination || dest.startsWith(m.destination === '/' ? '/' : `${m.destination}/`)) {
      if (!best || m.destination.length > best.destination.length) best = m;
    }
  }
  return best;
}

export function relativeTo(mountDest: string, dest: string): string {
  return path.posix.relative(mountDest, dest);
}
