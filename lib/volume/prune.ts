// `pman volume prune`: every volume no container uses (and that matches the filters) goes.
import type { Context } from '../context.js';
import { listContainers } from '../state/containers.js';
import { volumeFilter } from './filter.js';
import { deleteVolumeFiles, listVolumes, volumeUsers, withVolumeLocks } from './volumes.js';

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
