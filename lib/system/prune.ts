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

export interface SystemPruneResult {
  containers: string[];
  networks: string[];
  images: string[];
  volumes: string[];
  /** Bytes of the images removed (containers' and volumes' are not measured before removal). */
  reclaimed: number;
  errors: Error[];
}

export async function systemPrune(ctx: Context, opts: { all: boolean; volumes: boolean; filters: string[] }): Promise<SystemPruneResult> {
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
  const volumes = opts.volumes ? await pruneVolumes(ctx, opts.filters) : [];
  const reclaimed = images.reduce((n, id) => n + (sizes.get(id) ?? 0), 0);
  return { containers, networks, images, volumes, reclaimed, errors };
}
