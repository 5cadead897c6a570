// `pman stats`: a running container's resource use read from its cgroup (v1 or v2): CPU time and
// percentage, memory use (without the reclaimable page cache, as docker and podman count it) and
// limit, pids and block I/O. pman has no container networks, so there is no network I/O.
import os from 'node:os';
import { cgroupMounts, parseKeyValues, readCgroupFile, type CgroupMounts } from '../cgroup/cgroup.js';
import type { ContainerRecord } from '../state/container-record.js';
import { shortId } from '../state/ids.js';
import { formatBytes, STATS_SIZE } from '../format/bytes.js';
import { goDuration } from '../format/duration.js';

export interface CgroupSample {
  /** Monotonic time of the sample, ns. */
  at: number;
  cpuNs: number;
  memUsage: number;
  memLimit: number;
  pids: number;
  blockRead: number;
  blockWrite: number;
}

const UNLIMITED = 2 ** 60;

function num(text: string | undefined): number {
  const t = (text ?? '').trim();
  if (t === 'max') return Infinity;
  const n = Number(t);
  return Number.isFinite(n) ? n : 0;
}

/** Sums "MAJ:MIN Read N" / "MAJ:MIN Write N" lines (v1 blkio) -> [read, write]. */
export function parseBlkioV1(text: string | undefined): [number, number] {
  let r = 0;
  let w = 0;
  for (const line of (text ?? '').split('\n')) {
    const [, op, v] = line.trim().split(/\s+/);
    if (op === 'Read') r += Number(v) || 0;
    else if (op === 'Write') w += Number(v) || 0;
  }
  return [r, w];
}

/** Sums rbytes=/wbytes= over the devices of v2 io.stat -> [read, write]. */
export function parseIoStatV2(text: string | undefined): [number, number] {
  let r = 0;
  let w = 0;
  for (const m of (text ?? '').matchAll(/\b(rbytes|wbytes)=([0-9]+)/g)) {
    if (m[1] === 'rbytes') r += Number(m[2]);
    else w += Number(m[2]);
  }
  return [r, w];
}

/** Reads one sample of a container's cgroup (its path: cgroupPathOf); undefined when the cgroup is gone. */
export function sampleCgroup(cgroupPath: string, mounts: CgroupMounts = cgroupMounts(), hostMemory = os.totalmem()): CgroupSample | undefined {
  const at = Number(process.hrtime.bigint());
  const clampLimit = (l: number) => (l >= UNLIMITED || l > hostMemory ? hostMemory : l);
  if (mounts.version === 2) {
    const cpu = readCgroupFile(cgroupPath, '', 'cpu.stat', mounts);
    if (cpu === undefined) return undefined;
    const mem = parseKeyValues(readCgroupFile(cgroupPath, '', 'memory.stat', mounts));
    const usage = num(readCgroupFile(cgroupPath, '', 'memory.current', mounts)) - (mem.get('inactive_file') ?? 0);
    const [blockRead, blockWrite] = parseIoStatV2(readCgroupFile(cgroupPath, '', 'io.stat', mounts));
    return {
      at,
      cpuNs: (parseKeyValues(cpu).get('usage_usec') ?? 0) * 1000,
      memUsage: Math.max(0, usage),
      memLimit: clampLimit(num(readCgroupFile(cgroupPath, '', 'memory.max', mounts))),
      pids: num(readCgroupFile(cgroupPath, '', 'pids.current', mounts)),
      blockRead,
      blockWrite,
    };
  }
  const cpu = readCgroupFile(cgroupPath, 'cpuacct', 'cpuacct.usage', mounts);
  if (cpu === undefined) return undefined;
  const mem = parseKeyValues(readCgroupFile(cgroupPath, 'memory', 'memory.stat', mounts));
  const usage = num(readCgroupFile(cgroupPath, 'memory', 'memory.usage_in_bytes', mounts)) - (mem.get('total_inactive_file') ?? 0);
  const [blockRead, blockWrite] = parseBlkioV1(readCgroupFile(cgroupPath, 'blkio', 'blkio.throttle.io_service_bytes', mounts));
  return {
    at,
    cpuNs: num(cpu),
    memUsage: Math.max(0, usage),
    memLimit: clampLimit(num(readCgroupFile(cgroupPath, 'memory', 'memory.limit_in_bytes', mounts))),
    pids: num(readCgroupFile(cgroupPath, 'pids', 'pids.current', mounts)),
    blockRead,
    blockWrite,
  };
}

export interface StatsRow {
  [key: string]: unknown;
  ID: string;
  Name: string;
  CPUPerc: string;
  AvgCPU: string;
  CPU: string;
  CPUNano: number;
  MemUsage: string;
  MemUsageBytes: string;
  MemPerc: string;
  NetIO: string;
  BlockIO: string;
  PIDs: string;
  UpTime: string;
}

const pct = (v: number) => `${(Number.isFinite(v) ? v : 0).toFixed(2)}%`;

/**
 * A `stats` row. CPU % is over the time since `prev` (the previous sample, when streaming) or,
 * for the first sample, since the container started, as podman computes it; AvgCPU is always
 * since the start. Percentages are of one CPU, like docker's.
 */
export function statsRow(rec: ContainerRecord, s: CgroupSample, prev: CgroupSample | undefined, now = Date.now()): StatsRow {
  const upNs = Math.max(1, (now - Date.parse(rec.state.startedAt)) * 1e6);
  const avg = (s.cpuNs / upNs) * 100;
  const cur = prev ? ((s.cpuNs - prev.cpuNs) / Math.max(1, s.at - prev.at)) * 100 : avg;
  return {
    ID: shortId(rec.id),
    Name: rec.name,
    CPUPerc: pct(cur),
    AvgCPU: pct(avg),
    CPU: goDuration(s.cpuNs),
    CPUNano: s.cpuNs,
    MemUsage: `${formatBytes(s.memUsage, STATS_SIZE)} / ${formatBytes(s.memLimit, STATS_SIZE)}`,
    MemUsageBytes: `${s.memUsage} / ${s.memLimit}`,
    MemPerc: pct((s.memUsage / s.memLimit) * 100),
    NetIO: '-- / --',
    BlockIO: `${formatBytes(s.blockRead, STATS_SIZE)} / ${formatBytes(s.blockWrite, STATS_SIZE)}`,
    PIDs: String(s.pids),
    UpTime: goDuration(upNs),
  };
}

/** podman's --format json keys for a row. */
export function statsJson(r: StatsRow): Record<string, string> {
  return {
    id: r.ID,
    name: r.Name,
    cpu_time: r.CPU,
    cpu_percent: r.CPUPerc,
    avg_cpu: r.AvgCPU,
    mem_usage: r.MemUsage,
    mem_percent: r.MemPerc,
    net_io: r.NetIO,
    block_io: r.BlockIO,
    pids: r.PIDs,
  };
}
