// A container's sizes as podman 4.3.1 reports them for `inspect --size` and `ps --size`: SizeRw, the
// bytes of its writable layer, and SizeRootFs, the bytes of its image's layers (podman leaves the
// writable layer out of it). Only computed when asked: each walks a tree.
import type { Context } from '../context.js';
import { rootfsPaths } from '../oci/rootfs.js';
import type { ContainerRecord } from '../state/container-record.js';
import { treeSize } from '../util/tree-size.js';

export interface ContainerSizes {
  SizeRw: number;
  SizeRootFs: number;
}

/**
 * layerSizes memoizes each layer directory's bytes across the containers of one listing. A
 * --rootfs container's "layer" is a host directory (possibly /), which is not walked: 0.
 */
export function containerSizes(ctx: Context, rec: ContainerRecord, layerSizes = new Map<string, number>()): ContainerSizes {
  let rootFs = 0;
  if (!rec.config.extras?.rootfs) {
    for (const dir of rec.layers) {
      let n = layerSizes.get(dir);
      if (n === undefined) layerSizes.set(dir, (n = treeSize(dir)));
      rootFs += n;
    }
  }
  return { SizeRw: treeSize(rootfsPaths(ctx, rec.id).upper), SizeRootFs: rootFs };
}
