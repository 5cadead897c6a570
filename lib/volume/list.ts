// Volumes with the facts `volume ls`/`inspect` show: how many containers use each, how many run.
import type { Context } from '../context.js';
import { listContainers } from '../state/containers.js';
import { volumeFilter } from './filter.js';
import type { VolumeRecord } from './volume-record.js';
import { listVolumes, loadVolume, volumeUsers } from './volumes.js';
import { isRunning } from '../state/container-status.js';

export interface VolumeInfo {
  volume: VolumeRecord;
  users: number;
  running: number;
}

function info(ctx: Context, volume: VolumeRecord, containers = listContainers(ctx)): VolumeInfo {
  const users = volumeUsers(ctx, volume.name, containers);
  return { volume, users: users.length, running: users.filter(isRunning).length };
}

export function listVolumeInfos(ctx: Context, filters: string[]): VolumeInfo[] {
  const match = volumeFilter(filters);
  const containers = listContainers(ctx);
  return listVolumes(ctx)
    .map((v) => info(ctx, v, containers))
    .filter((i) => match(i.volume, { users: i.users }));
}

export function volumeInfo(ctx: Context, name: string): VolumeInfo {
  return info(ctx, loadVolume(ctx, name));
}
