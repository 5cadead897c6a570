// Anonymous volumes (-v /path) belong to their container: `run --rm` and `rm -v` remove them
// with it, as podman does, unless another container (--volumes-from) still uses them.
import type { Context } from '../context.js';
import type { ContainerRecord } from '../state/container-record.js';
import { deleteVolumeFiles, loadVolume, volumeExists, volumeUsers, withVolumeLocks } from './volumes.js';

/** Call after the container's record is gone. Returns the names removed. */
export async function removeAnonymousVolumes(ctx: Context, rec: ContainerRecord): Promise<string[]> {
  const removed: string[] = [];
  for (const m of rec.config.mounts ?? []) {
    if (m.type !== 'volume') continue;
    await withVolumeLocks(ctx, [m.source], () => {
      if (!volumeExists(ctx, m.source) || !loadVolume(ctx, m.source).anonymous) return;
      if (volumeUsers(ctx, m.source).some((c) => c.id !== rec.id)) return;
      deleteVolumeFiles(ctx, m.source);
      removed.push(m.source);
    });
  }
  return removed;
}
