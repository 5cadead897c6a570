// `pman volume rm`: a volume some container uses is refused (exit 2, as podman) unless --force,
// which removes those containers first: a container operation, so it lives here, above lib/volume.
import type { Context } from '../context.js';
import { deleteVolumeFiles, loadVolume, VolumeInUseError, volumeUsers, withVolumeLocks } from '../volume/volumes.js';
import { removeContainer } from './remove.js';

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
