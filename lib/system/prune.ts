// `pman system prune`: what podman's removes — stopped containers, networks no container uses,
// dangling images (with `all`, every image no container uses), and with `volumes` the volumes no
// container uses — in that order, so what a removed container used becomes unused first.
import type { Context } from '../context.js';
import { pruneContainers } from '../container/prune.js';
import { ImageRemovalError } from '../image/remove.js';
import { pruneImages } from '../image/prune.js';
import { pruneNetworks } from '../network/remove.js';
import { listContainers } from '../state/containers.js';
import { pruneVolumes } from '../volume/prune.js';
import { listImages } from '../image/store.js';
import { imageSize } from '../image/image-size.js';
import { rootfsPaths } from '../oci/rootfs.js';
import { isRunning } from '../state/container-status.js';
import { treeSize } from '../util/tree-size.js';
import { listVolumes, volumeDataDir } from '../volume/volumes.js';

export interface SystemPruneResult {
  containers: string[];
  networks: string[];
  images: string[];
  volumes: string[];
  /** Bytes freed, as podman 4.3.1 counts them: the removed containers' writable layers, images and volumes' data. */
  reclaimed: number;
  errors: Error[];
}

export async function systemPrune(ctx: Context, opts: { all: boolean; volumes: boolean; filters: string[] }): Promise<SystemPruneResult> {
  // Measured before they go: the writable layers of the containers not running (the ones prune may remove).
  const layerBytes = new Map(listContainers(ctx).filter((c) => !isRunning(c)).map((c) => [c.id, treeSize(rootfsPaths(ctx, c.id).upper)]));
  const { removed: containers, errors } = await pruneContainers(ctx, opts.filters);
  const networks = await pruneNetworks(ctx, opts.filters);
  const sizes = new Map(listImages(ctx).map((i) => [i.id, imageSize(ctx, i)]));
  let images: string[] = [];
  try {
    const usedBy = (imageId: string) => listContainers(ctx).filter((c) => c.image === imageId).map((c) => c.name);
    images = await pruneImages(ctx, { all: opts.all, filters: opts.filters, usedBy });
  } catch (err) {
    if (!(err instanceof ImageRemovalError)) throw err;
    images = err.results.flatMap((r) => (r.deleted ? [r.deleted] : []));
    errors.push(...err.errors);
  }
  const dataBytes = new Map(opts.volumes ? listVolumes(ctx).map((v) => [v.name, treeSize(volumeDataDir(ctx, v.name))]) : []);
  const volumes = opts.volumes ? await pruneVolumes(ctx, opts.filters) : [];
  const sum = (keys: string[], bytes: Map<string, number>) => keys.reduce((n, k) => n + (bytes.get(k) ?? 0), 0);
  const reclaimed = sum(containers, layerBytes) + sum(images, sizes) + sum(volumes, dataBytes);
  return { containers, networks, images, volumes, reclaimed, errors };
}
