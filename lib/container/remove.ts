// `pman rm`: a stopped container's files, runtime state, mount and name go away; a running one
// only with --force (killed first).
import fs from 'node:fs';
import type { Context } from '../context.js';
import { InvalidStateError, NotFoundError } from '../errors.js';
import { unmountRootfs } from '../oci/rootfs.js';
import { unwireContainer } from '../network/wiring.js';
import { runtimeDelete } from '../oci/runtime.js';
import { removeContainerLog } from '../logs/log-files.js';
import { deleteContainerFiles, loadContainer, withContainerLock } from '../state/containers.js';
import { containerRunDir, runcRoot } from '../state/paths.js';
import { removeAnonymousVolumes } from '../volume/anonymous.js';
import { reconcile } from './reconcile.js';
import { shimAlive } from './start.js';
import { stopContainer } from './stop.js';
import { assertCan, can, isCreated, isExited, isRunning } from '../state/container-status.js';
import type { ContainerRecord } from '../state/container-record.js';

export interface RemoveOptions {
  force: boolean;
  /** Seconds to wait after the stop signal before SIGKILL (only with force). */
  timeout?: number;
  /** Also remove the container's anonymous volumes (rm -v). */
  volumes?: boolean;
  /** Set by pod rm: a pod's infra container goes only with its pod. */
  infra?: boolean;
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

/** Returns false when the container was already gone (removed concurrently, e.g. by --rm). */
export async function removeContainer(ctx: Context, id: string, opts: RemoveOptions): Promise<boolean> {
  let rec;
  try {
    rec = await reconcile(ctx, loadContainer(ctx, id));
  } catch (err) {
    if (err instanceof NotFoundError) return false;
    throw err;
  }
  if (rec.config.infra && !opts.infra) {
    throw new InvalidStateError(`cannot remove container "${rec.name}": it is the infra container of a pod; remove the pod with "pman pod rm"`);
  }
  const alive = shimAlive(rec);
  if (!opts.force) assertCan(rec, 'remove', { shimAlive: alive });
  else if (!can(rec, 'remove', { shimAlive: alive })) {
    await stopContainer(ctx, rec, opts.timeout ?? 0);
    // The stop above told a restart policy to stop relaunching; one may be handing the container
    // to its next shim right now (the record says exited, that shim mounts and starts it outside
    // the lock). Removing files under it would fail (EBUSY) or leak its run: let it start, then
    // stop it too.
    const settled = await settleHandOver(ctx, rec.id);
    if (!settled) return false;
    if (isRunning(settled)) await stopContainer(ctx, settled, opts.timeout ?? 0);
    if (isCreated(rec) && shimAlive(rec)) {
      // A shim waiting for Start: end it.
      try {
        process.kill(rec.state.shimPid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
  try {
    await withContainerLock(ctx, id, async (r) => {
      if (isRunning(r) && shimAlive(r)) {
        throw new InvalidStateError(`cannot remove container "${r.name}": it was started again meanwhile`);
      }
      await runtimeDelete({ runtime: r.config.runtime, root: runcRoot(ctx) }, r.id, true).catch(() => undefined);
      // Whatever networking is left (a shim that died could not tear it down): rules, veth, namespace.
      await unwireContainer(ctx, r.id).catch((err) => ctx.warn(`container ${r.name}: ${(err as Error).message}`));
      unmountRootfs(ctx, r.id);
      fs.rmSync(containerRunDir(ctx, r.id), { recursive: true, force: true });
      deleteContainerFiles(ctx, r);
      removeContainerLog(ctx, r);
    });
  } catch (err) {
    if (err instanceof NotFoundError) return false;
    throw err;
  }
  if (opts.volumes) await removeAnonymousVolumes(ctx, rec);
  return true;
}
