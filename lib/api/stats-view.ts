// One sample of a container's cgroup in the shape of Docker's stats endpoint (what `docker stats`
// and compose read: cpu and system usage with the previous sample, memory, pids, block I/O).
import os from 'node:os';
import { sampleCgroup, type CgroupSample } from '../container/stats.js';
import { cgroupPathOf } from '../state/container-cgroup.js';
import type { ContainerRecord } from '../state/container-record.js';

export interface StatsBody {
  json: Record<string, unknown>;
  sample?: CgroupSample;
  system: number;
  read: string;
}

/** The host's CPU time so far, in ns (what docker calls system_cpu_usage). */
function systemCpuNs(): number {
  return os.cpus().reduce((sum, c) => sum + c.times.user + c.times.nice + c.times.sys + c.times.idle + c.times.irq, 0) * 1e6;
}

export function statsBody(rec: ContainerRecord, prev: StatsBody | undefined): StatsBody {
  const sample = rec.state.status === 'running' ? sampleCgroup(cgroupPathOf(rec)) : undefined;
  const system = systemCpuNs();
  const read = new Date().toISOString();
  const cpu = (s: CgroupSample | undefined, sys: number) => ({
    cpu_usage: { total_usage: s?.cpuNs ?? 0, usage_in_kernelmode: 0, usage_in_usermode: 0 },
    system_cpu_usage: sys,
    online_cpus: os.cpus().length,
    throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
  });
  return {
    sample,
    system,
    read,
    json: {
      name: `/${rec.name}`,
      id: rec.id,
      read,
      preread: prev?.read ?? '0001-01-01T00:00:00Z',
      pids_stats: { current: sample?.pids ?? 0 },
      blkio_stats: {
        io_service_bytes_recursive: sample
          ? [
              { major: 0, minor: 0, op: 'read', value: sample.blockRead },
              { major: 0, minor: 0, op: 'write', value: sample.blockWrite },
            ]
          : [],
      },
      num_procs: 0,
      cpu_stats: cpu(sample, system),
      precpu_stats: prev ? cpu(prev.sample, prev.system) : cpu(undefined, 0),
      memory_stats: sample ? { usage: sample.memUsage, limit: sample.memLimit, stats: {} } : {},
      networks: {},
    },
  };
}
