// What crashes leave that no sound container holds: a directory or name without a record, the
// retired files of a removed container (lib/state/retired.ts), a creator's marker, a runtime
// directory, a shim, runc state, an overlay or namespace mount of a container that is not running
// (or does not exist), a kept exit code, a stale lock. Found by the
// container's ID and directories, never by its record alone; `system check` reports them, its
// --repair and `rm --all` free them (docs/reliability.md).
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { unwireContainer } from '../network/wiring.js';
import { reapUserNetns, userNetnsUnused } from '../network/user-netns/use.js';
import { netnsPath } from '../network/network-paths.js';
import { rootfsPaths, unmountRootfs } from '../oci/rootfs.js';
import { removeUserns } from '../oci/idmap.js';
import { runtimeDelete } from '../oci/runtime.js';
import { listStateDir } from '../state/atomic.js';
import { isRunning } from '../state/container-status.js';
import type { ContainerRecord } from '../state/container-record.js';
import { beingCreated, creatingMarker, listContainerIds, loadContainerOrUnreadable, recordPath } from '../state/containers.js';
import { ID_RE, NAME_RE, shortId } from '../state/ids.js';
import { abandonedLock, breakLock, releaseRemains } from '../state/lock.js';
import { containerDir, containerRunDir, containersDir, exitCodeFile, locksDir, namesDir, runcRoot, usernsPath } from '../state/paths.js';
import { socketHolders } from '../util/proc.js';
import { EXIT_CODE_KEEP_MS } from '../shim/cleanup.js';
import { storeLockFile } from '../image/layout.js';
import { shimAlive } from './start.js';
import { mountCount } from '../state/mount-count.js';
import { dropAutoReservation, staleReservations } from './userns-auto.js';
import { removeRetired, retiredContainers } from '../state/retired.js';

/** One thing found wrong: what and why, and how --repair fixes it (absent: it cannot). */
export interface Problem {
  subject: string;
  problem: string;
  repair?: { what: string; run: () => Promise<void> | void };
}

function mountPoints(): string[] {
  try {
    return fs
      .readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((l) => l.split(' ')[4])
      .filter((t): t is string => Boolean(t));
  } catch {
    return [];
  }
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone */
  }
}

/** A container is in use by a run when it runs or a shim (perhaps a restart's next) is alive for it. */
function inUse(rec: ContainerRecord | undefined): boolean {
  return rec !== undefined && (isRunning(rec) || shimAlive(rec));
}

export function containerLeftovers(ctx: Context, now = Date.now()): Problem[] {
  const out: Problem[] = [];
  const records = new Map<string, ContainerRecord | undefined>();
  for (const id of listContainerIds(ctx)) {
    const has = fs.existsSync(recordPath(ctx, id));
    records.set(id, has ? loadContainerOrUnreadable(ctx, id) : undefined);
    if (!has && !beingCreated(ctx, id)) {
      out.push({
        subject: `container ${shortId(id)}`,
        problem: `directory "${containerDir(ctx, id)}" without a record (a crashed create or rm)`,
        repair: {
          what: 'removed',
          run: () => {
            unmountRootfs(ctx, id);
            fs.rmSync(containerDir(ctx, id), { recursive: true, force: true });
          },
        },
      });
    }
  }
  for (const r of retiredContainers(ctx)) {
    if (r.alive) continue; // its shim is removing it now
    out.push({ subject: `container ${shortId(r.id)}`, problem: `files "${r.path}" of a removed container, left by a process that is gone`, repair: { what: 'removed', run: () => removeRetired(r.path) } });
  }
  const known = (id: string) => records.get(id) !== undefined || beingCreated(ctx, id);
  for (const name of listStateDir(containersDir(ctx), 'containers', (n) => n.startsWith('.creating-'))) {
    const id = name.slice('.creating-'.length);
    if (!beingCreated(ctx, id)) {
      out.push({ subject: `container ${shortId(id)}`, problem: 'creation marker of a process that is gone', repair: { what: 'removed', run: () => fs.rmSync(creatingMarker(ctx, id), { force: true }) } });
    }
  }
  // docs/userns.md: a --userns=auto reservation counts only while its container is being created.
  for (const id of staleReservations(ctx)) {
    out.push({ subject: `container ${shortId(id)}`, problem: 'user namespace IDs reserved by a create that is gone', repair: { what: 'released', run: () => dropAutoReservation(ctx, id) } });
  }
  for (const name of listStateDir(namesDir(ctx), 'names', (n) => NAME_RE.test(n))) {
    let owner = '';
    try {
      owner = fs.readlinkSync(path.join(namesDir(ctx), name));
    } catch {
      continue;
    }
    if (!known(owner)) {
      out.push({ subject: `name "${name}"`, problem: `reserved for container ${shortId(owner)}, which has no record`, repair: { what: 'released', run: () => fs.rmSync(path.join(namesDir(ctx), name), { force: true }) } });
    }
  }
  // The runtime side: what only a run of the container may hold.
  for (const id of listStateDir(path.join(ctx.runroot, 'containers'), 'runtime directories', (n) => ID_RE.test(n))) {
    if (known(id) && inUse(records.get(id))) continue;
    const shims = socketHolders(path.join(containerRunDir(ctx, id), 'attach'));
    const problem = shims.length > 0 ? `shim (pid ${shims.join(', ')}) of a container ${known(id) ? 'that is not running' : 'that does not exist'}` : `runtime directory "${containerRunDir(ctx, id)}" of no run`;
    const run = () => {
      shims.forEach(kill);
      fs.rmSync(containerRunDir(ctx, id), { recursive: true, force: true });
    };
    out.push({ subject: `container ${shortId(id)}`, problem, repair: { what: shims.length > 0 ? 'killed, its runtime directory removed' : 'removed', run } });
  }
  for (const id of listStateDir(runcRoot(ctx), 'runc states', (n) => ID_RE.test(n))) {
    if (known(id) && inUse(records.get(id))) continue;
    out.push({
      subject: `container ${shortId(id)}`,
      problem: `runc state of a container ${records.get(id) ? 'that is not running' : 'that does not exist'}`,
      repair: { what: 'deleted', run: () => runtimeDelete({ runtime: records.get(id)?.config.runtime ?? 'runc', root: runcRoot(ctx) }, id, true) },
    });
  }
  const mounts = mountPoints();
  const usernsIds = listStateDir(path.dirname(usernsPath(ctx, 'x')), 'user namespaces', (n) => ID_RE.test(n));
  for (const id of new Set([...records.keys(), ...listStateDir(path.join(ctx.runroot, 'netns'), 'network namespaces', (n) => ID_RE.test(n)), ...usernsIds])) {
    if (known(id) && inUse(records.get(id))) continue;
    // A root the user mounted with `pman mount` is theirs until `pman unmount`.
    if (mounts.includes(rootfsPaths(ctx, id).merged) && mountCount(ctx, id) === 0) {
      out.push({ subject: `container ${shortId(id)}`, problem: 'root filesystem mounted while it is not running', repair: { what: 'unmounted', run: () => unmountRootfs(ctx, id) } });
    }
    if (fs.existsSync(netnsPath(ctx, id))) {
      out.push({ subject: `container ${shortId(id)}`, problem: 'network namespace kept while it is not running', repair: { what: 'torn down', run: () => unwireContainer(ctx, id) } });
    }
    // docs/userns.md: a container with ID maps keeps its user namespace while its root is mounted.
    if (usernsIds.includes(id) && !mounts.includes(rootfsPaths(ctx, id).merged)) {
      out.push({ subject: `container ${shortId(id)}`, problem: 'user namespace kept while it is not running', repair: { what: 'removed', run: () => removeUserns(ctx, id) } });
    }
  }
  if (ctx.rootless && userNetnsUnused(ctx)) {
    out.push({ subject: 'user network namespace', problem: 'kept while no container is on a user network', repair: { what: 'taken down', run: () => reapUserNetns(ctx).then(() => undefined) } });
  }
  for (const id of listStateDir(path.dirname(exitCodeFile(ctx, 'x')), 'exit codes', () => true)) {
    let age = 0;
    try {
      age = now - fs.statSync(exitCodeFile(ctx, id)).mtimeMs;
    } catch {
      continue;
    }
    if (age > EXIT_CODE_KEEP_MS || records.has(id)) {
      out.push({ subject: `container ${shortId(id)}`, problem: 'kept exit code nobody can ask for any more', repair: { what: 'removed', run: () => fs.rmSync(exitCodeFile(ctx, id), { force: true }) } });
    }
  }
  for (const lock of abandonedLocks([[containersDir(ctx), 1], [locksDir(ctx), 2], [path.dirname(storeLockFile(ctx)), 0]])) {
    out.push({ subject: `lock "${lock.path}"`, problem: lock.problem, repair: { what: 'removed', run: lock.free } });
  }
  return out;
}

/**
 * Lock directories (`*.lock`, each directory looked into as deep as given) whose holder is gone,
 * and the remains of a release cut short (`*.lock.gone-*` of a process that is gone).
 */
function abandonedLocks(dirs: Array<[string, number]>): Array<{ path: string; problem: string; free: () => void }> {
  const out: Array<{ path: string; problem: string; free: () => void }> = [];
  const look = (dir: string, depth: number): void => {
    for (const name of listStateDir(dir, 'locks', () => true)) {
      const p = path.join(dir, name);
      let st: fs.Stats;
      try {
        st = fs.lstatSync(p);
      } catch {
        continue;
      }
      if (!st.isDirectory()) continue;
      const problem = name.endsWith('.lock') ? abandonedLock(p) : releaseRemains(name);
      if (problem) out.push({ path: p, problem, free: () => (name.endsWith('.lock') ? breakLock(p) : fs.rmSync(p, { recursive: true, force: true })) });
      else if (depth > 0 && !name.startsWith('.') && !name.includes('.lock')) look(p, depth - 1);
    }
  };
  for (const [d, depth] of dirs) look(d, depth);
  return out;
}

/** Frees every leftover (rm --all): what cannot be freed is reported by `system check`. */
export async function freeLeftovers(ctx: Context): Promise<void> {
  for (const p of containerLeftovers(ctx)) {
    try {
      await p.repair?.run();
    } catch (err) {
      ctx.debug(`${p.subject}: ${(err as Error).message}`);
    }
  }
}
