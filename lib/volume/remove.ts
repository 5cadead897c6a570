// `pman volume rm` and `pman volume prune`: a volume some container uses is refused (exit 2, as
// podman) unless --force, which removes those containers first.
import type { Context } from '../context.js';
import { removeContainer } from '../container/remove.js';
import { listContainers } from '../state/containers.js';
import { volumeFilter } from './filter.js';
import { deleteVolumeFiles, listVolumes, loadVolume, VolumeInUseError, volumeUsers, withVolumeLocks } from './volumes.js';

export async function removeVolume(ctx: Context, name: string, opts: { force: boolean; timeout?: number }): Promise<void> {
  loadVolume(ctx, name); // not found -> clear error before locking
  if (opts.force) {
    for (const c of volumeUsers(ctx, name)) await removeContainer(ctx, c.id, { force: true, timeout: opts.timeout });
  }
  await withVolumeLocks(ctx, [name], () => {
    loadVolume(ctx, name);
    const users = volumeUsers(ctx, name);
    if (users.length > 0) throw new VolumeInUseError(name, users);
    deleteVolumeFiles(ctx, name);
  });
}

/** The unused volumes matching the filters (what prune would remove). */
export function prunableVolumes(ctx: Context, filters: string[]): string[] {
  const match = volumeFilter(filters);
  const containers = listContainers(ctx);
  return listVolumes(ctx)
    .filter((v) => volumeUsers(ctx, v.name, containers).length === 0 && match(v, { users: 0 }))
    .map((v) => v.name);
}

/** Removes every unused volume matching the filters; returns their names. */
export async function pruneVolumes(ctx: Context, filters: string[]): Promise<string[]> {
  const removed: string[] = [];
  for (const name of prunableVolumes(ctx, filters)) {
    const v = { name };
    await withVolumeLocks(ctx, [v.name], () => {
      if (volumeUsers(ctx, v.name).length > 0) return;
      deleteVolumeFiles(ctx, v.name);
      removed.push(v.name);
    });
  }
  return removed;
}
