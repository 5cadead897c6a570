// `pman pod rm` and `pod prune`: a pod goes with its containers (members first, the infra last);
// running ones only with --force, as podman does.
import { removeCgroup } from '../cgroup/cgroup.js';
import type { Context } from '../context.js';
import { InvalidStateError, NotFoundError } from '../errors.js';
import { removeContainer } from '../container/remove.js';
import { isRunning } from '../state/container-status.js';
import { deletePodFiles, listPods, loadPod, withPodLock } from '../state/pods.js';
import { podContainers } from './members.js';

export interface PodRemoveOptions {
  force: boolean;
  timeout?: number;
}

/** Removes the pod with this ID; false when it was gone already. */
export async function removePod(ctx: Context, id: string, opts: PodRemoveOptions): Promise<boolean> {
  let pod;
  try {
    pod = loadPod(ctx, id);
  } catch (err) {
    if (err instanceof NotFoundError) return false;
    throw err;
  }
  return withPodLock(ctx, id, async () => {
    const containers = await podContainers(ctx, pod);
    const running = containers.filter((c) => isRunning(c));
    if (!opts.force && running.length > 0) {
      throw new InvalidStateError(`cannot remove pod "${pod.name}": it has running containers (${running.map((c) => c.name).join(', ')}); stop the pod first or use --force`);
    }
    // Members first: the infra holds the namespaces they are in.
    for (const c of [...containers].reverse()) {
      await removeContainer(ctx, c.id, { force: true, timeout: opts.timeout, infra: true });
    }
    if (pod.cgroupPath) {
      // Its members' own cgroups went with them (runc delete); the pod's is pman's to remove.
      for (const dir of removeCgroup(pod.cgroupPath)) ctx.warn(`cannot remove the pod's cgroup ${dir}: it is not empty; remove it with rmdir once its processes are gone`);
    }
    deletePodFiles(ctx, pod);
    return true;
  });
}

/** Pods with no running or paused container (podman's "stopped pods"). */
export async function prunablePods(ctx: Context): Promise<string[]> {
  const out: string[] = [];
  for (const pod of listPods(ctx)) {
    const containers = await podContainers(ctx, pod);
    if (!containers.some(isRunning)) out.push(pod.id);
  }
  return out;
}

/** pod prune: removes every stopped pod with its containers; returns their IDs. */
export async function prunePods(ctx: Context): Promise<string[]> {
  const removed: string[] = [];
  for (const id of await prunablePods(ctx)) {
    if (await removePod(ctx, id, { force: false }).catch(() => false)) removed.push(id);
  }
  return removed;
}
