// Where a container's cgroup lives on this host, for reading (stats, top, OOM detection). runc
// creates it at the spec's cgroupsPath under each v1 controller's hierarchy, or once under the
// unified v2 hierarchy: "/pman/<id>", or "<parent>/pman-<id>" with --cgroup-parent (the path is
// in the container's record: lib/state/container-cgroup.ts). Hybrid hosts (v1 controllers plus a v2 mount for systemd)
// count as v1. Mount points come from /proc/self/mountinfo, so nothing assumes /sys/fs/cgroup.
import fs from 'node:fs';
import path from 'node:path';

export type CgroupVersion = 1 | 2;

export interface CgroupMounts {
  version: CgroupVersion;
  /** v1: controller name -> mount point (and mount root); v2: '' -> the unified mount. */
  controllers: Map<string, { mountPoint: string; root: string }>;
  /** Every cgroup hierarchy mounted (named ones such as name=systemd and a hybrid host's v2 too): runc makes the container's directory in each. */
  hierarchies: Array<{ mountPoint: string; root: string }>;
}

const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

/** Parses mountinfo text into the cgroup mounts (pure, for tests). */
export function parseCgroupMounts(mountinfo: string): CgroupMounts {
  const v1 = new Map<string, { mountPoint: string; root: string }>();
  let unified: { mountPoint: string; root: string } | undefined;
  const all = new Map<string, { mountPoint: string; root: string }>();
  for (const line of mountinfo.split('\n')) {
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const pre = line.slice(0, sep).split(' ');
    const post = line.slice(sep + 3).split(' ');
    const entry = { mountPoint: unescape(pre[4]), root: unescape(pre[3]) };
    if (post[0] === 'cgroup' || post[0] === 'cgroup2') all.set(`${pre[2]} ${entry.root}`, all.get(`${pre[2]} ${entry.root}`) ?? entry);
    if (post[0] === 'cgroup2') {
      if (!unified || entry.mountPoint === '/sys/fs/cgroup') unified = entry;
    } else if (post[0] === 'cgroup') {
      for (const opt of (post[2] ?? '').split(',')) {
        if (['rw', 'ro'].includes(opt) || opt.startsWith('name=') || opt.includes('=')) continue;
        if (!v1.has(opt)) v1.set(opt, entry);
      }
    }
  }
  const hierarchies = [...all.values()];
  if (v1.size > 0) return { version: 1, controllers: v1, hierarchies };
  return { version: 2, controllers: unified ? new Map([['', unified]]) : new Map(), hierarchies: unified ? [unified] : [] };
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

/**
 * A container's cgroup path (the spec's cgroupsPath): "/pman/<id>" by default; under a
 * --cgroup-parent (an absolute, normalised path: lib/cgroup/parent.ts) "<parent>/pman-<id>", so
 * pman's containers are told apart from others in a shared parent, as podman's libpod-<id>.
 */
export function containerCgroupPath(id: string, parent?: string): string {
  return parent === undefined ? `/pman/${id}` : childCgroup(parent, `pman-${id}`);
}

/** A pod's cgroup under its --cgroup-parent: "<parent>/<pod id>", as podman names it. */
export function podCgroupPath(podId: string, parent: string): string {
  return childCgroup(parent, podId);
}

function childCgroup(parent: string, name: string): string {
  return `${parent === '/' ? '' : parent}/${name}`;
}

/** The parent of a cgroup path ("/" for a top-level one). */
export function parentCgroup(cgroupPath: string): string {
  return cgroupPath.slice(0, cgroupPath.lastIndexOf('/')) || '/';
}

/** Where a cgroup (its absolute path) is in one mounted hierarchy; undefined when the mount does not show it. */
function dirIn(m: { mountPoint: string; root: string }, cgroupPath: string): string | undefined {
  const rel = path.posix.normalize(`/${cgroupPath}`);
  // A mount whose root is not "/" (inside another container) shows only part of the tree.
  const inside = m.root === '/' ? rel : path.posix.relative(m.root, rel);
  if (inside === '..' || inside.startsWith('../')) return undefined;
  return path.join(m.mountPoint, inside);
}

/** Directory of a cgroup (an absolute cgroup path) for a v1 controller ('' on v2), undefined if not mounted. */
export function cgroupDir(cgroupPath: string, controller: string, mounts: CgroupMounts = cgroupMounts()): string | undefined {
  const m = mounts.controllers.get(mounts.version === 2 ? '' : controller);
  return m && dirIn(m, cgroupPath);
}

/** A cgroup's directories in every hierarchy that shows it (those that exist and those that do not). */
export function cgroupDirs(cgroupPath: string, mounts: CgroupMounts = cgroupMounts()): string[] {
  return mounts.hierarchies.map((m) => dirIn(m, cgroupPath)).filter((d): d is string => d !== undefined);
}

/**
 * Removes a cgroup that pman made (a pod's: runc removes a container's own) from every hierarchy.
 * Only an empty cgroup can go (rmdir); the directories still there are returned (busy ones: a
 * process or a child cgroup left in them), so the caller can say so.
 */
export function removeCgroup(cgroupPath: string, mounts: CgroupMounts = cgroupMounts()): string[] {
  const left: string[] = [];
  for (const dir of cgroupDirs(cgroupPath, mounts)) {
    try {
      fs.rmdirSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') left.push(dir);
    }
  }
  return left;
}

/** Reads a file of a cgroup (by its path), undefined when it (or the cgroup) does not exist. */
export function readCgroupFile(cgroupPath: string, controller: string, file: string, mounts?: CgroupMounts): string | undefined {
  const dir = cgroupDir(cgroupPath, controller, mounts);
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
export function cgroupPids(cgroupPath: string, mounts?: CgroupMounts): number[] {
  const m = mounts ?? cgroupMounts();
  const text = readCgroupFile(cgroupPath, m.version === 2 ? '' : 'pids', 'cgroup.procs', m) ?? readCgroupFile(cgroupPath, 'memory', 'cgroup.procs', m);
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
export function oomKilled(cgroupPath: string, mounts: CgroupMounts = cgroupMounts()): boolean {
  if (mounts.version === 2) return (parseKeyValues(readCgroupFile(cgroupPath, '', 'memory.events', mounts)).get('oom_kill') ?? 0) > 0;
  const ctl = parseKeyValues(readCgroupFile(cgroupPath, 'memory', 'memory.oom_control', mounts));
  if (ctl.has('oom_kill')) return (ctl.get('oom_kill') ?? 0) > 0;
  return (ctl.get('under_oom') ?? 0) > 0;
}
