// runc moves a container's process into its cgroup by writing cgroup.procs (once per v1
// hierarchy, or once on v2). The kernel serialises such moves with one machine-wide lock
// (cgroup_threadgroup_rwsem); taking it for writing after a quiet spell waits for an RCU grace
// period (percpu_down_write -> rcu_sync_enter), ~8-18 ms on this two-core VM, and every write in
// the next ~10 ms finds it on the fast path (0.1 ms). podman's runc pays that wait inside its
// start as pman's did. The shim writes its own pid into the cgroup it is already in (a move to
// where it is: nothing changes) on the thread pool as it spawns runc, and again every few ms until
// runc exits, so the grace period passes while runc starts (Go runtime, config.json, runc init)
// and the lock is still on its fast path when runc's own write comes.
// `runc exec` pays the same wait when it moves the new process into the container's cgroups, so
// the shim warms the lock around it too (warmRuncAttach).
// docs/performance.md ("Where the time goes") has the measurements. Only for root: a rootless
// runc on cgroup v1 makes no cgroup, and an unprivileged write would only pay the wait for nothing.
import fs from 'node:fs';
import path from 'node:path';
import { cgroupMounts, type CgroupMounts } from './cgroup.js';

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

/**
 * Hands out one shared run of `start` to any number of overlapping users: the first user starts
 * it, the last one to release it stops it, and a later user starts a new one. Releasing twice
 * counts once.
 */
export function sharedWhileUsed(start: () => () => void): () => () => void {
  let stop: (() => void) | undefined;
  let users = 0;
  return () => {
    if (users++ === 0) stop = start();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--users > 0) return;
      const last = stop;
      stop = undefined;
      last?.();
    };
  };
}

// One warm-up per shim, however many runc processes overlap (20 concurrent execs make one writer,
// not 20). Overlapping past KEEP_WARM_MAX_MS, they keep the lock warm for each other: each runc
// makes its own cgroup.procs writes.
const sharedWarmup = sharedWhileUsed(() => warmCgroupAttach(cgroupMounts()));

/**
 * The warm-up around one runc process that moves a process into cgroups (`runc run`/`create`,
 * `runc exec`): started as runc is spawned, released by the returned function once runc has
 * exited. A rootless pman does nothing (see the top of this file).
 */
export function warmRuncAttach(rootless: boolean): () => void {
  return rootless ? () => undefined : sharedWarmup();
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
