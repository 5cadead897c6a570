// Features a rootless container cannot have, refused with one message naming the flag (never a
// silent no-op). Resource limits need cgroups: runc cannot create them for an unprivileged user
// on cgroup v1, and pman sets up no delegated cgroup v2 subtree either, so it refuses them on both.
import { InvalidArgumentError } from '../errors.js';
import type { ResourceConfig } from '../state/container-record.js';

/** The error for a flag rootless pman cannot honour; `why` replaces the cgroup explanation. */
export function rootlessUnsupported(flag: string, why?: string): InvalidArgumentError {
  const reason = why ?? 'resource limits need a cgroup, and rootless containers get none (an unprivileged user cannot create cgroups on cgroup v1)';
  return new InvalidArgumentError(`cannot use ${flag} in a rootless container: ${reason}; run pman as root to use it, or leave ${flag} out`);
}

/** ResourceConfig fields that become cgroup settings, with the flag that sets each. */
const CGROUP_FLAGS: Record<string, string> = {
  memory: '--memory',
  memorySwap: '--memory-swap',
  memoryReservation: '--memory-reservation',
  nanoCpus: '--cpus',
  cpuShares: '--cpu-shares',
  cpusetCpus: '--cpuset-cpus',
  cpusetMems: '--cpuset-mems',
  pidsLimit: '--pids-limit',
  oomKillDisable: '--oom-kill-disable',
};
/** Fields that are not cgroup settings (rlimits, the OOM score). */
const NOT_CGROUP = new Set(['ulimits', 'oomScoreAdj']);

/** Throws for the first cgroup limit the record asks for. */
export function checkRootlessResources(resources: ResourceConfig | undefined): void {
  for (const [key, value] of Object.entries(resources ?? {})) {
    if (value === undefined || value === false || NOT_CGROUP.has(key)) continue;
    throw rootlessUnsupported(CGROUP_FLAGS[key] ?? `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
  }
}
