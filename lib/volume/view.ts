// What users see of a volume: the podman-shaped `volume inspect` document and the `volume ls` row.
import type { Context } from '../context.js';
import type { VolumeInfo } from './list.js';
import { volumeDataDir } from './volumes.js';

export function volumeInspectView(ctx: Context, info: VolumeInfo): Record<string, unknown> {
  const v = info.volume;
  return {
    Name: v.name,
    Driver: v.driver,
    Mountpoint: volumeDataDir(ctx, v.name),
    CreatedAt: v.created,
    Labels: v.labels,
    Scope: 'local',
    Options: v.options,
    MountCount: info.running,
    NeedsCopyUp: v.needsCopyUp,
    // The first use copies the image's files and their directory's owner in (podman: chown).
    NeedsChown: v.needsCopyUp,
    Anonymous: v.anonymous,
  };
}

/** ls rows use the same field names as inspect, so one template works for both. */
export function volumeRow(ctx: Context, info: VolumeInfo): Record<string, unknown> {
  return { ...volumeInspectView(ctx, info), Users: info.users };
}
