// /volumes/…: named volumes in Docker's shape.
import { removeVolume } from '../container/remove-volume.js';
import { listVolumeInfos, volumeInfo } from '../volume/list.js';
import { pruneVolumes } from '../volume/prune.js';
import { volumeInspectView } from '../volume/view.js';
import { createVolume, withVolumeLocks } from '../volume/volumes.js';
import type { Call } from './call.js';
import { ApiError, obj, qBool, qFilters, str } from './http.js';
import { route, type Route } from './router.js';

function dockerVolume(call: Call, name: string): Record<string, unknown> {
  const info = volumeInfo(call.ctx, name);
  const v = volumeInspectView(call.ctx, info);
  // Docker's Options are the driver options as given (podman's view adds UID and GID).
  return { Name: v.Name, Driver: v.Driver, Mountpoint: v.Mountpoint, CreatedAt: v.CreatedAt, Labels: v.Labels, Scope: 'local', Options: info.volume.options };
}

async function list(call: Call): Promise<void> {
  const infos = listVolumeInfos(call.ctx, qFilters(call.query));
  call.json(200, { Volumes: infos.map((i) => dockerVolume(call, i.volume.name)), Warnings: [] });
}

async function create(call: Call): Promise<void> {
  const body = await call.body();
  const driver = str(body, 'Driver');
  if (driver && driver !== 'local') throw new ApiError(400, `invalid volume driver "${driver}": only the "local" driver exists`);
  const name = str(body, 'Name') || undefined;
  const rec = await withVolumeLocks(call.ctx, name ? [name] : [], () =>
    createVolume(call.ctx, { name, labels: obj(body, 'Labels') as Record<string, string>, options: obj(body, 'DriverOpts') as Record<string, string> }),
  );
  call.json(201, dockerVolume(call, rec.name));
}

async function inspect(call: Call): Promise<void> {
  call.json(200, dockerVolume(call, call.params[0]));
}

async function remove(call: Call): Promise<void> {
  await removeVolume(call.ctx, call.params[0], { force: qBool(call.query, 'force') });
  call.empty(204);
}

async function prune(call: Call): Promise<void> {
  call.json(200, { VolumesDeleted: await pruneVolumes(call.ctx, qFilters(call.query)), SpaceReclaimed: 0 });
}

export function volumeRoutes(): Route[] {
  return [
    route('GET', '/volumes', list),
    route('POST', '/volumes/create', create),
    route('POST', '/volumes/prune', prune),
    route('GET', '/volumes/{name}', inspect),
    route('DELETE', '/volumes/{name}', remove),
  ];
}
