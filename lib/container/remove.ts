// `pman rm`: a stopped container's files, runtime state, mount and name go away; a running one
// only with --force (killed first).
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { InvalidStateError, NotFoundError, PmanError } from '../errors.js';
import { unmountRootfs } from '../oci/rootfs.js';
import { unwireContainer } from '../network/wiring.js';
import { runtimeDelete } from '../oci/runtime.js';
import { removeContainerLog } from '../logs/log-files.js';
import { deleteContainerFiles, isUnreadable, loadContainer, loadContainerOrUnreadable, recordPath, withContainerLock } from '../state/containers.js';
import { withLock } from '../state/lock.js';
import { socketHolders } from '../util/proc.js';
import { containerRunDir, runcRoot } from '../state/paths.js';
import { setMountCount } from '../state/mount-count.js';
import { removeAnonymousVolumes } from '../volume/anonymous.js';
import { reconcile } from './reconcile.js';
import { shimAlive } from './start.js';
import { stopContainer } from './stop.js';
import { assertCan, can, isCreated, isExited, isRunning } from '../state/container-status.js';
import { containerEvents } from '../events/events-file.js';
import type { ContainerRecord } from '../state/container-record.js';
import { failpoint } from '../util/failpoint.js';
import { dependentContainers, dependentsError } from './dependents.js';

export interface RemoveOptions {
  force: boolean;
  /** Seconds to wait after the stop signal before SIGKILL (only with force). */
  timeout?: number;
  /** Also remove the container's anonymous volumes (rm -v). */
  volumes?: boolean;
  /** Set by pod rm: a pod's infra container goes only with its pod. */
  infra?: boolean;
  /** Remove the containers that depend on it first (rm --depend); without it they make rm fail. */
  depend?: boolean;
  /** Where the IDs of the dependents removed with it are added (rm --depend prints them). */
  dependentsRemoved?: string[];
}

/** How long rm -f waits for a hand-over to a next shim to finish (its runc start included). */
const HAND_OVER_WAIT_MS = 15_000;

/**
 * The container's record once no hand-over to a new shim is in progress (an exited record naming
 * a live shim: a restart policy's or a start's next run, not yet running); undefined when the
 * container is gone meanwhile.
 */
async function settleHandOver(ctx: Context, id: string): Promise<ContainerRecord | undefined> {
  const deadline = Date.now() + HAND_OVER_WAIT_MS;
  for (;;) {
    let r: ContainerRecord;
    try {
      r = await reconcile(ctx, loadContainer(ctx, id));
    } catch (err) {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    }
    if (!(isExited(r) && shimAlive(r)) || Date.now() > deadline) return r;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Everything a stopped container holds, in the order that leaves a rerun possible after a crash
 * half-way: runc's state, its networking (a shim that died could not tear it down: rules, veth,
 * namespace), its root mount, its runtime directory, then its record, files, name and log.
 */
async function freeContainer(ctx: Context, r: ContainerRecord): Promise<void> {
  await runtimeDelete({ runtime: r.config.runtime, root: runcRoot(ctx) }, r.id, true).catch(() => undefined);
  failpoint('rm.after-runc-delete');
  await unwireContainer(ctx, r.id).catch((err) => ctx.warn(`container ${r.name}: ${(err as Error).message}`));
  failpoint('rm.after-network');
  unmountRootfs(ctx, r.id);
  setMountCount(ctx, r.id, 0);
  failpoint('rm.after-unmount');
  fs.rmSync(containerRunDir(ctx, r.id), { recursive: true, force: true });
  deleteContainerFiles(ctx, r);
  failpoint('rm.after-record');
  removeContainerLog(ctx, r);
}

/**
 * rm -f of a container whose record cannot be read: what it holds is found by its ID and
 * directories instead. Its shim is the process listening on its attach socket (killed first, so
 * it records nothing over the removal); runc's forced delete kills the container's processes.
 */
async function removeUnreadable(ctx: Context, rec: ContainerRecord): Promise<void> {
  for (const pid of socketHolders(path.join(containerRunDir(ctx, rec.id), 'attach'))) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  await freeContainer(ctx, rec);
}

/** Returns false when the container was already gone (removed concurrently, e.g. by --rm). */
export async function removeContainer(ctx: Context, id: string, opts: RemoveOptions): Promise<boolean> {
  let rec;
  try {
    rec = await reconcile(ctx, loadContainerOrUnreadable(ctx, id));
  } catch (err) {
    if (err instanceof NotFoundError) return false;
    throw err;
  }
  if (isUnreadable(rec)) {
    if (!opts.force) assertCan(rec, 'remove');
    await withLock(recordPath(ctx, id), () => removeUnreadable(ctx, rec));
    return true;
  }
  if (rec.config.infra && !opts.infra) {
    // Not an InvalidStateError: rm answers those with 2 (a running container without -f); podman
    // refuses an infra container with 125, -f or not.
    throw new PmanError('invalid-state', `cannot remove container "${rec.name}": it is the infra container of a pod; remove the pod with "pman pod rm"`);
  }
  const alive = shimAlive(rec);
  if (!opts.force) assertCan(rec, 'remove', { shimAlive: alive });
  // Those that joined its network namespace go first, or it stays (podman's order: a running
  // container without --force is refused before its dependents are looked at).
  const dependents = dependentContainers(ctx, rec);
  if (dependents.length > 0 && !opts.depend) throw dependentsError(rec, dependents);
  for (const d of dependents) {
    if (await removeContainer(ctx, d.id, opts)) opts.dependentsRemoved?.push(d.id);
  }
  if (opts.force && !can(rec, 'remove', { shimAlive: alive })) {
    await stopContainer(ctx, rec, opts.timeout ?? 0);
    // The stop above told a restart policy to stop relaunching; one may be handing the container
    // to its next shim right now (the record says exited, that shim mounts and starts it outside
    // the lock). Removing files under it would fail (EBUSY) or leak its run: let it start, then
    // stop it too.
    const settled = await settleHandOver(ctx, rec.id);
    if (!settled) return false;
    if (isRunning(settled)) await stopContainer(ctx, settled, opts.timeout ?? 0);
  }
  if (isCreated(rec) && alive) {
    // Initialized (a shim waiting for its Start, after runc create): end it, with or without
    // --force, as podman removes an initialized container; runc's forced delete below ends what
    // runc created.
    try {
      process.kill(rec.state.shimPid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  try {
    await withContainerLock(ctx, id, async (r) => {
      if (isRunning(r) && shimAlive(r)) {
        throw new InvalidStateError(`cannot remove container "${r.name}": it was started again meanwhile`);
      }
      await freeContainer(ctx, r);
    });
  } catch (err) {
    if (err instanceof NotFoundError) return false;
    throw err;
  }
  containerEvents(ctx, rec, ['remove']);
  if (opts.volumes) await removeAnonymousVolumes(ctx, rec);
  return true;
}
