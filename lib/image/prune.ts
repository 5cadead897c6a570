// `pman image prune`: removes dangling images (untagged, and no image descends from them; a build's
// intermediate images go once nothing tagged descends from them, as removeImages then takes the
// parents no longer needed), or with `all` every image no container uses. Images a container uses
// are never candidates, whatever the filters say.
import type { Context } from '../context.js';
import { filterImages } from './filter.js';
import { isDangling, parentIds } from './lineage.js';
import { listImageRecords } from './records.js';
import { removeImages } from './remove.js';

export interface PruneOptions {
  all: boolean;
  /** `images --filter` syntax (label=, before=, since=, reference=, id=, dangling=). */
  filters: string[];
  /** Names of the containers using an image (by image ID). */
  usedBy: (imageId: string) => string[];
}

/** Returns the IDs of the images removed. */
export async function pruneImages(ctx: Context, opts: PruneOptions): Promise<string[]> {
  const images = listImageRecords(ctx);
  const parents = parentIds(images);
  const candidates = filterImages(ctx, images, opts.filters).filter((i) => (opts.all || isDangling(i, parents)) && opts.usedBy(i.id).length === 0);
  if (candidates.length === 0) return [];
  // By ID: removeImages then deletes each image with all its names, under the store lock, and
  // re-checks who uses it there.
  const results = await removeImages(ctx, candidates.map((i) => i.id), { force: false, usedBy: opts.usedBy });
  return results.flatMap((r) => (r.deleted ? [r.deleted] : []));
}
