// Resource flags of create/run (--memory, --cpus, --ulimit …) parsed and cross-checked into a
// ResourceConfig, with podman's units and rules. Pure: nothing here looks at the host.
import { InvalidArgumentError } from '../../errors.js';
import { ULIMITS } from '../../oci/spec-resources.js';
import type { ResourceConfig, UlimitConfig } from '../../state/container-record.js';

export interface ResourceFlags {
  memory?: string;
  memorySwap?: string;
  memoryReservation?: string;
  cpus?: string;
  cpuShares?: string;
  cpusetCpus?: string;
  cpusetMems?: string;
  pidsLimit?: string;
  oomKillDisable?: boolean;
  oomScoreAdj?: string;
  ulimits: string[];
}

/** podman's (and docker's) lower limit for --memory. */
export const MIN_MEMORY = 6 * 1024 * 1024;

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** "512m", "1g", "1.5g", "1048576" -> bytes (binary units, like docker's RAMInBytes). */
export function parseBytes(value: string, flag: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)\s*([kmgtpb]?)(?:i?b)?$/i.exec(value.trim());
  if (!m) throw new InvalidArgumentError(`invalid ${flag} "${value}": use a size like 512m or 1g (b, k, m, g)`);
  const n = Math.floor(Number(m[1]) * UNITS[m[2].toLowerCase()]);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`invalid ${flag} "${value}": too large`);
  return n;
}

function parseInteger(value: string, flag: string, min: number, max: number): number {
  if (!/^-?[0-9]+$/.test(value.trim())) throw new InvalidArgumentError(`invalid ${flag} "${value}": use a whole number`);
  const n = Number(value);
  if (n < min || n > max) throw new InvalidArgumentError(`invalid ${flag} "${value}": must be between ${min} and ${max}`);
  return n;
}

/** "0-3,5" style lists; the kernel checks the numbers exist. */
export function parseCpuList(value: string, flag: string): string {
  const v = value.trim();
  const item = /^[0-9]+(-[0-9]+)?$/;
  if (v === '' || !v.split(',').every((p) => item.test(p))) {
    throw new InvalidArgumentError(`invalid ${flag} "${value}": use a list like 0-3 or 0,2`);
  }
  for (const p of v.split(',')) {
    const [a, b] = p.split('-').map(Number);
    if (b !== undefined && b < a) throw new InvalidArgumentError(`invalid ${flag} "${value}": range ${p} is reversed`);
  }
  return v;
}

/** --cpus 1.5 -> 1500000000 nano-CPUs. */
export function parseCpus(value: string): number {
  const n = Number(value);
  if (!/^[0-9]*\.?[0-9]+$/.test(value.trim()) || !Number.isFinite(n) || n <= 0) {
    throw new InvalidArgumentError(`invalid --cpus "${value}": use a positive number of CPUs like 0.5 or 2`);
  }
  return Math.round(n * 1e9);
}

function ulimitValue(v: string, spec: string): number {
  if (v === '-1' || v === 'unlimited') return -1;
  if (!/^[0-9]+$/.test(v)) throw new InvalidArgumentError(`invalid --ulimit "${spec}": "${v}" is not a number (use -1 for unlimited)`);
  return Number(v);
}

/** `--ulimit name=soft[:hard]`; hard defaults to soft. */
export function parseUlimit(spec: string): UlimitConfig {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`invalid --ulimit "${spec}": use NAME=SOFT[:HARD], e.g. nofile=1024:2048`);
  const name = spec.slice(0, eq).toLowerCase().replace(/^rlimit_/, '');
  if (!ULIMITS[name]) throw new InvalidArgumentError(`invalid --ulimit "${spec}": unknown limit "${name}"; use one of ${Object.keys(ULIMITS).join(', ')}`);
  const [s, h, extra] = spec.slice(eq + 1).split(':');
  if (extra !== undefined) throw new InvalidArgumentError(`invalid --ulimit "${spec}": use NAME=SOFT[:HARD]`);
  const soft = ulimitValue(s, spec);
  const hard = h === undefined ? soft : ulimitValue(h, spec);
  if (hard !== -1 && (soft === -1 || soft > hard)) {
    throw new InvalidArgumentError(`invalid --ulimit "${spec}": the soft limit must not exceed the hard limit`);
  }
  return { name, soft, hard };
}

/** All resource flags -> ResourceConfig (undefined when none was given). */
export function parseResources(f: ResourceFlags): ResourceConfig | undefined {
  const r: ResourceConfig = {};
  // --memory 0 means no limit, as in podman and docker.
  const memory = f.memory === undefined ? undefined : parseBytes(f.memory, '--memory');
  if (memory !== undefined && memory !== 0) {
    r.memory = memory;
    if (r.memory < MIN_MEMORY) throw new InvalidArgumentError(`invalid --memory "${f.memory}": the minimum memory limit is 6m`);
  }
  if (f.memorySwap !== undefined) {
    r.memorySwap = f.memorySwap.trim() === '-1' ? -1 : parseBytes(f.memorySwap, '--memory-swap');
    if (r.memory === undefined) throw new InvalidArgumentError('--memory-swap needs --memory: the swap limit counts memory plus swap');
    if (r.memorySwap !== -1 && r.memorySwap < r.memory) {
      throw new InvalidArgumentError(`invalid --memory-swap "${f.memorySwap}": it counts memory plus swap, so it must be at least --memory (${f.memory})`);
    }
  }
  if (f.memoryReservation !== undefined) {
    r.memoryReservation = parseBytes(f.memoryReservation, '--memory-reservation');
    if (r.memory !== undefined && r.memoryReservation > r.memory) {
      throw new InvalidArgumentError('--memory-reservation must be smaller than --memory: it is a soft limit under the hard one');
    }
  }
  if (f.cpus !== undefined) r.nanoCpus = parseCpus(f.cpus);
  if (f.cpuShares !== undefined) r.cpuShares = parseInteger(f.cpuShares, '--cpu-shares', 2, 262144);
  if (f.cpusetCpus !== undefined) r.cpusetCpus = parseCpuList(f.cpusetCpus, '--cpuset-cpus');
  if (f.cpusetMems !== undefined) r.cpusetMems = parseCpuList(f.cpusetMems, '--cpuset-mems');
  if (f.pidsLimit !== undefined) {
    const n = parseInteger(f.pidsLimit, '--pids-limit', -1, 2 ** 31);
    r.pidsLimit = n <= 0 ? -1 : n;
  }
  if (f.oomKillDisable) r.oomKillDisable = true;
  if (f.oomScoreAdj !== undefined) r.oomScoreAdj = parseInteger(f.oomScoreAdj, '--oom-score-adj', -1000, 1000);
  if (f.ulimits.length > 0) {
    const byName = new Map<string, UlimitConfig>();
    for (const u of f.ulimits.map(parseUlimit)) byName.set(u.name, u);
    r.ulimits = [...byName.values()];
  }
  return Object.keys(r).length > 0 ? r : undefined;
}

/** True when the config asks for a cgroup limit (not just rlimits or the OOM score). */
export function hasCgroupLimits(r: ResourceConfig | undefined): boolean {
  if (!r) return false;
  return [r.memory, r.memorySwap, r.memoryReservation, r.nanoCpus, r.cpuShares, r.cpusetCpus, r.cpusetMems, r.pidsLimit, r.oomKillDisable].some(
    (v) => v !== undefined,
  );
}
