// Where a container's cgroup lives on this host, for reading (stats, top, OOM detection). runc
// creates it at the spec's cgroupsPath ("/pman/<id>") under each v1 controller's hierarchy, or
// once under the unified v2 hierarchy. Hybrid hosts (v1 controllers plus a v2 mount for systemd)
// count as v1. Mount points come from /proc/self/mountinfo, so nothing assumes /sys/fs/cgroup.
import fs from 'node:fs';
import path from 'node:path';

export type CgroupVersion = 1 | 2;

export interface CgroupMounts {
  version: CgroupVersion;
  /** v1: controller name -> mount point (and mount root); v2: '' -> the unified mount. */
  controllers: Map<string, { mountPoint: string; root: string }>;
}

const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

/** Parses mountinfo text into the cgroup mounts (pure, for tests). */
export function parseCgroupMounts(mountinfo: string): CgroupMounts {
  const v1 = new Map<string, { mountPoint: string; root: string }>();
  let unified: { mountPoint: string; root: string } | undefined;
  for (const line of mountinfo.split('\n')) {
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const pre = line.slice(0, sep).split(' ');
    const post = line.slice(sep + 3).split(' ');
    const entry = { mountPoint: unescape(pre[4]), root: unescape(pre[3]) };
    if (post[0] === 'cgroup2') {
      if (!unified || entry.mountPoint === '/sys/fs/cgroup') unified = entry;
    } else if (post[0] === 'cgroup') {
      for (const opt of (post[2] ?? '').split(',')) {
        if (['rw', 'ro'].includes(opt) || opt.startsWith('name=') || opt.includes('=')) continue;
        if (!v1.has(opt)) v1.set(opt, entry);
      }
    }
  }
  if (v1.size > 0) return { version: 1, controllers: v1 };
  return { version: 2, controllers: unified ? new Map([['', unified]]) : new Map() };
}

let cached: CgroupMounts | undefined;

export function cgroupMounts(): CgroupMounts {
  if (!cached) {
    let text = '';
    try {
      text = fs.readFileSync('/proc/self/mountinfo', 'utf8');
    } catch {
      /* no /proc: report v2 with nothing mounted */
    }
    cached = parseCgroupMounts(text);
  }
  return cached;
}

export function cgroupVersion(): CgroupVersion {
  return cgroupMounts().version;
}

/** The spec's cgroupsPath for a container (spec.ts writes the same). */
export function containerCgroupPath(id: string): string {
  return `/pman/${id}`;
}

/** Directory of a container's cgroup for a v1 controller ('' on v2), undefined if not mounted. */
export function cgroupDir(id: string, controller: string, mounts: CgroupMounts = cgroupMounts()): string | undefined {
  const m = mounts.controllers.get(mounts.version === 2 ? '' : controller);
  if (!m) return undefined;
  const rel = containerCgroupPath(id);
  // A mount whose root is not "/" (inside another container) shows only part of the tree.
  const inside = m.root === '/' ? rel : path.posix.relative(m.root, rel);
  if (inside.startsWith('..')) return undefined;
  return path.join(m.mountPoint, inside);
}

/** Reads a cgroup file of the container, undefined when it (or the cgroup) does not exist. */
export function readCgroupFile(id: string, controller: string, file: string, mounts?: CgroupMounts): string | undefined {
  const dir = cgroupDir(id, controller, mounts);
  if (!dir) return undefined;
  try {
    return fs.readFileSync(path.join(dir, file), 'utf8');
  } catch {
    return undefined;
  }
}

/** "key value" lines (memory.stat, memory.events, cpu.stat …) -> map. */
export function parseKeyValues(text: string | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of (text ?? '').split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v !== undefined && /^[0-9]+$/.test(v)) out.set(k, Number(v));
  }
  return out;
}

/** The pids in a container's cgroup (from the pids controller on v1). */
export function cgroupPids(id: string, mounts?: CgroupMounts): number[] {
  const m = mounts ?? cgroupMounts();
  const text = readCgroupFile(id, m.version === 2 ? '' : 'pids', 'cgroup.procs', m) ?? readCgroupFile(id, 'memory', 'cgroup.procs', m);
  return (text ?? '')
    .split('\n')
    .filter((l) => /^[0-9]+$/.test(l.trim()))
    .map(Number);
}

/**
 * True when the kernel OOM-killed a process of the container's cgroup: v1 memory.oom_control's
 * oom_kill counter (kernels >= 4.13) or, failing that, memory.failcnt hitting the limit together
 * with under_oom; v2 memory.events' oom_kill. Read before runc deletes the cgroup.
 */
export function oomKilled(id: string, mounts: CgroupMounts = cgroupMounts()): boolean {
  if (mounts.version === 2) return (parseKeyValues(readCgroupFile(id, '', 'memory.events', mounts)).get('oom_kill') ?? 0) > 0;
  const ctl = parseKeyValues(readCgroupFile(id, 'memory', 'memory.oom_control', mounts));
  if (ctl.has('oom_kill')) return (ctl.get('oom_kill') ?? 0) > 0;
  return (ctl.get('under_oom') ?? 0) > 0;
}
