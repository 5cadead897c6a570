// Resource parts of the OCI spec: cgroup limits (runc writes them to cgroup v1 or v2 files, converting
// between the two itself), rlimits and the OOM score. Defaults: pids 2048 (podman's), nofile and
// nproc at the host's hard limits (runc cannot raise them above those).
import type { ContainerRecord, UlimitConfig } from '../state/container-record.js';

/** rlimit names as --ulimit takes them, with the kernel's RLIMIT_ names. */
export const ULIMITS: Record<string, string> = {
  as: 'RLIMIT_AS',
  core: 'RLIMIT_CORE',
  cpu: 'RLIMIT_CPU',
  data: 'RLIMIT_DATA',
  fsize: 'RLIMIT_FSIZE',
  locks: 'RLIMIT_LOCKS',
  memlock: 'RLIMIT_MEMLOCK',
  msgqueue: 'RLIMIT_MSGQUEUE',
  nice: 'RLIMIT_NICE',
  nofile: 'RLIMIT_NOFILE',
  nproc: 'RLIMIT_NPROC',
  rss: 'RLIMIT_RSS',
  rtprio: 'RLIMIT_RTPRIO',
  rttime: 'RLIMIT_RTTIME',
  sigpending: 'RLIMIT_SIGPENDING',
  stack: 'RLIMIT_STACK',
};

export const DEFAULT_PIDS_LIMIT = 2048;
const CPU_PERIOD = 100_000;

/** RLIM_INFINITY does not fit a JS number: the spec writer swaps this token for the exact value. */
export const RLIM_INFINITY_TOKEN = '__RLIM_INFINITY__';
export const RLIM_INFINITY_TEXT = '18446744073709551615';

export interface HostLimits {
  nofile: number;
  nproc: number;
}

type Rlimit = { type: string; hard: number | string; soft: number | string };

function rlimit(u: UlimitConfig): Rlimit {
  const v = (n: number) => (n < 0 ? RLIM_INFINITY_TOKEN : n);
  return { type: ULIMITS[u.name], soft: v(u.soft), hard: v(u.hard) };
}

/** Default nofile/nproc, replaced by any --ulimit of the same name. */
export function specRlimits(rec: ContainerRecord, host: HostLimits): Rlimit[] {
  const user = rec.config.resources?.ulimits ?? [];
  const defaults: UlimitConfig[] = [
    { name: 'nofile', soft: host.nofile, hard: host.nofile },
    { name: 'nproc', soft: host.nproc, hard: host.nproc },
  ];
  return [...defaults.filter((d) => !user.some((u) => u.name === d.name)), ...user].map(rlimit);
}

/** linux.resources of the spec. */
export function specResources(rec: ContainerRecord): Record<string, unknown> {
  const r = rec.config.resources ?? {};
  const out: Record<string, unknown> = {
    devices: [{ allow: rec.config.security?.privileged === true, access: 'rwm' }],
    pids: { limit: r.pidsLimit ?? DEFAULT_PIDS_LIMIT },
  };
  const memory: Record<string, unknown> = {};
  if (r.memory !== undefined) {
    memory.limit = r.memory;
    // docker's and podman's default: as much swap as memory (memory+swap = 2 x memory).
    memory.swap = r.memorySwap ?? r.memory * 2;
  }
  if (r.memoryReservation !== undefined) memory.reservation = r.memoryReservation;
  if (r.oomKillDisable) memory.disableOOMKiller = true;
  if (Object.keys(memory).length) out.memory = memory;
  const cpu: Record<string, unknown> = {};
  if (r.nanoCpus !== undefined) {
    cpu.period = CPU_PERIOD;
    cpu.quota = Math.round((r.nanoCpus * CPU_PERIOD) / 1e9);
  }
  if (r.cpuShares !== undefined) cpu.shares = r.cpuShares;
  if (r.cpusetCpus !== undefined) cpu.cpus = r.cpusetCpus;
  if (r.cpusetMems !== undefined) cpu.mems = r.cpusetMems;
  if (Object.keys(cpu).length) out.cpu = cpu;
  return out;
}

export function specOomScoreAdj(rec: ContainerRecord): number {
  return rec.config.resources?.oomScoreAdj ?? 0;
}
