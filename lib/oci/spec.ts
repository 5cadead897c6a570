// Generates the OCI runtime spec (config.json) for a container from its record. Defaults follow
// podman's: capability set, masked/read-only paths, mounts, namespaces, pids limit.
import fs from 'node:fs';
import type { ContainerRecord } from '../state/container-record.js';

export const DEFAULT_CAPS = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_KILL',
  'CAP_NET_BIND_SERVICE',
  'CAP_SETFCAP',
  'CAP_SETGID',
  'CAP_SETPCAP',
  'CAP_SETUID',
  'CAP_SYS_CHROOT',
];

export const MASKED_PATHS = [
  '/proc/acpi',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
  '/sys/fs/selinux',
  '/sys/dev/block',
];

export const READONLY_PATHS = ['/proc/asound', '/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
export const DEFAULT_PIDS_LIMIT = 2048;

export interface ResolvedUser {
  uid: number;
  gid: number;
  additionalGids: number[];
  home: string;
}

export interface SpecInputs {
  rec: ContainerRecord;
  rootfs: string;
  user: ResolvedUser;
  /** Files pman generates per container, bind-mounted over the image's. */
  etcFiles: { hostname: string; hosts: string; resolvConf: string };
  hostLimits: { nofile: number; nproc: number };
}

/** The process environment: image/user env plus the defaults podman adds when missing. */
export function processEnv(rec: ContainerRecord, home: string): string[] {
  const env = [...rec.config.env];
  const has = (k: string) => env.some((e) => e.startsWith(`${k}=`));
  if (!has('PATH')) env.unshift(`PATH=${DEFAULT_PATH}`);
  if (rec.config.tty && !has('TERM')) env.push('TERM=xterm');
  if (!has('container')) env.push('container=pman');
  if (!has('HOSTNAME')) env.push(`HOSTNAME=${rec.config.hostname}`);
  if (!has('HOME')) env.push(`HOME=${home}`);
  return env;
}

export function generateSpec(inp: SpecInputs): Record<string, unknown> {
  const { rec } = inp;
  const args = [...rec.config.entrypoint, ...rec.config.cmd];
  const rlimit = (type: string, n: number) => ({ type, hard: n, soft: n });
  return {
    ociVersion: '1.0.2-dev',
    process: {
      terminal: rec.config.tty,
      user: { uid: inp.user.uid, gid: inp.user.gid, additionalGids: inp.user.additionalGids },
      args,
      env: processEnv(rec, inp.user.home),
      cwd: rec.config.workingDir || '/',
      capabilities: {
        bounding: DEFAULT_CAPS,
        effective: DEFAULT_CAPS,
        permitted: DEFAULT_CAPS,
      },
      rlimits: [rlimit('RLIMIT_NOFILE', inp.hostLimits.nofile), rlimit('RLIMIT_NPROC', inp.hostLimits.nproc)],
      noNewPrivileges: false,
      oomScoreAdj: 0,
    },
    root: { path: inp.rootfs, readonly: false },
    hostname: rec.config.hostname,
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
      { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
      { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
      { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
      { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
      { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
      { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['nosuid', 'noexec', 'nodev', 'relatime', 'ro'] },
      { destination: '/etc/hostname', type: 'bind', source: inp.etcFiles.hostname, options: ['rbind', 'rprivate', 'rw'] },
      { destination: '/etc/hosts', type: 'bind', source: inp.etcFiles.hosts, options: ['rbind', 'rprivate', 'rw'] },
      { destination: '/etc/resolv.conf', type: 'bind', source: inp.etcFiles.resolvConf, options: ['rbind', 'rprivate', 'rw'] },
    ],
    linux: {
      cgroupsPath: `/pman/${rec.id}`,
      resources: {
        devices: [{ allow: false, access: 'rwm' }],
        pids: { limit: DEFAULT_PIDS_LIMIT },
      },
      namespaces: [{ type: 'pid' }, { type: 'network' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }],
      maskedPaths: MASKED_PATHS,
      readonlyPaths: READONLY_PATHS,
    },
  };
}

/** The host's hard limits: a container's default rlimits must fit under them (runc fails otherwise). */
export function hostHardLimits(): { nofile: number; nproc: number } {
  let nofile = 1048576;
  let nproc = 4194304;
  try {
    const text = fs.readFileSync('/proc/self/limits', 'utf8');
    const hard = (label: string) => {
      const line = text.split('\n').find((l) => l.startsWith(label));
      const v = line?.slice(26).trim().split(/\s+/)[1];
      return v && v !== 'unlimited' ? Number(v) : Infinity;
    };
    nofile = Math.min(nofile, hard('Max open files'));
    nproc = Math.min(nproc, hard('Max processes'));
  } catch {
    /* keep the defaults */
  }
  return { nofile, nproc };
}
