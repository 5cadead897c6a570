// runc moves a container's process into its cgroup by writing cgroup.procs (once per v1
// hierarchy, or once on v2). The kernel serialises such moves with one machine-wide lock
// (cgroup_threadgroup_rwsem); taking it for writing after a quiet spell waits for an RCU grace
// period (percpu_down_write -> rcu_sync_enter), ~8-18 ms on this two-core VM, and every write in
// the next ~10 ms finds it on the fast path (0.1 ms). podman's runc pays that wait inside its
// start as pman's did. The shim writes its own pid into the cgroup it is already in (a move to
// where it is: nothing changes) on the thread pool as it spawns runc, and again every few ms until
// runc exits, so the grace period passes while runc starts (Go runtime, config.json, runc init)
// and the lock is still on its fast path when runc's own write comes.
// docs/performance.md ("Where the time goes") has the measurements. Only for root: a rootless
// runc on cgroup v1 makes no cgroup, and an unprivileged write would only pay the wait for nothing.
import fs from 'node:fs';
import path from 'node:path';
import type { CgroupMounts } from './cgroup.js';

/**
 * The cgroup.procs file of this process's own cgroup in one hierarchy (v1: pids, else the first
 * controller pman knows; v2: the unified one), or undefined when it cannot be found.
 */
export function ownCgroupProcsFile(mounts: CgroupMounts, selfCgroup: string): string | undefined {
  const want = mounts.version === 2 ? [''] : ['pids', ...mounts.controllers.keys()];
  const lines = selfCgroup.split('\n').map((l) => l.split(':'));
  for (const controller of want) {
    const m = mounts.controllers.get(controller);
    if (!m) continue;
    // "hierarchy-id:controllers:path"; v2's line has no controllers.
    const line = lines.find((f) => f.length >= 3 && (controller === '' ? f[0] === '0' && f[1] === '' : f[1].split(',').includes(controller)));
    if (!line) continue;
    const own = line.slice(2).join(':');
    const inside = m.root === '/' ? own : path.posix.relative(m.root, own);
    if (inside.startsWith('..')) continue;
    return path.join(m.mountPoint, inside, 'cgroup.procs');
  }
  return undefined;
}

/** How often the move is repeated while runc works: within one grace period of the last one. */
export const KEEP_WARM_MS = 3;
/** A runc that has not done its part by then is not helped any longer. */
const KEEP_WARM_MAX_MS = 1000;

/**
 * Writes this process's pid into its own cgroup.procs on the thread pool now, and again every
 * KEEP_WARM_MS until the returned function is called (once runc has exited): runc reaches its
 * own write 10 to 40 ms after it is spawned, depending on the machine's load, and the lock stays
 * on its fast path only for one grace period after a write. Failures are ignored (it is only a
 * head start for runc's own write).
 */
export function warmCgroupAttach(mounts: CgroupMounts): () => void {
  let file: string | undefined;
  try {
    file = ownCgroupProcsFile(mounts, fs.readFileSync('/proc/self/cgroup', 'utf8'));
  } catch {
    /* no /proc */
  }
  return file ? keepWriting(file, String(process.pid)) : () => undefined;
}

/** Writes `text` to `file` now and every KEEP_WARM_MS until stopped (exported for tests). */
export function keepWriting(file: string, text: string): () => void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'w');
  } catch {
    return () => undefined;
  }
  let inFlight = false;
  let stopped = false;
  const done = () => {
    inFlight = false;
    if (stopped) fs.close(fd, () => undefined);
  };
  // One request on the pool, queued at once (fs.writeFile would open on the pool first and queue
  // the write only once the main thread, busy setting the shim up, handled that callback).
  const kick = () => {
    if (inFlight) return;
    inFlight = true;
    fs.write(fd, text, done);
  };
  kick();
  const timer = setInterval(kick, KEEP_WARM_MS);
  timer.unref();
  const stop = () => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    clearTimeout(limit);
    if (!inFlight) fs.close(fd, () => undefined);
  };
  const limit = setTimeout(stop, KEEP_WARM_MAX_MS);
  limit.unref();
  return stop;
}
