// pman mount / unmount (podman's `container mount`): a container's root filesystem mounted for the
// user at containers/<id>/merged, counted (lib/state/mount-count.ts) so each unmount undoes one
// mount of the user's and a run's own mount and unmount never take the user's away.
import fs from 'node:fs';
import type { Context } from '../context.js';
import { isMounted, mountRootfs, rootfsPaths, unmountRootfs } from '../oci/rootfs.js';
import type { ContainerRecord } from '../state/container-record.js';
import { listContainers, withContainerLock } from '../state/containers.js';
import { mountCount, setMountCount } from '../state/mount-count.js';
import { isRunning } from '../state/container-status.js';
import { shimAlive } from './start.js';

/** Mounts the container's root (if a run has not already) and counts it; returns the path. */
export async function mountContainer(ctx: Context, rec: ContainerRecord): Promise<string> {
  return withContainerLock(ctx, rec.id, (r) => {
    const merged = mountRootfs(ctx, r.id, r.layers, { idMaps: r.config.idMaps });
    setMountCount(ctx, r.id, mountCount(ctx, r.id) + 1);
    return merged;
  });
}

/**
 * Undoes one of the user's mounts (all of them with force); the root is unmounted once none is
 * left, unless a run of the container is using it (its shim unmounts it when the run ends).
 */
export async function unmountContainer(ctx: Context, rec: ContainerRecord, force: boolean): Promise<void> {
  await withContainerLock(ctx, rec.id, (r) => {
    const left = force ? 0 : Math.max(0, mountCount(ctx, r.id) - 1);
    setMountCount(ctx, r.id, left);
    if (left === 0 && !isRunning(r) && !shimAlive(r) && isMounted(rootfsPaths(ctx, r.id).merged)) unmountRootfs(ctx, r.id);
  });
}

export interface MountedContainer {
  rec: ContainerRecord;
  mountpoint: string;
}

/** Every container whose root is mounted (by a run or by the user), in listing order. */
export function mountedContainers(ctx: Context): MountedContainer[] {
  let info = '';
  try {
    info = fs.readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return [];
  }
  const points = new Set(info.split('\n').map((l) => l.split(' ')[4]));
  return listContainers(ctx)
    .map((rec) => ({ rec, mountpoint: rootfsPaths(ctx, rec.id).merged }))
    .filter((m) => points.has(m.mountpoint));
}
