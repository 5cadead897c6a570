// `pman system df`: what images, containers and volumes take on disk, and how much of it nothing
// uses (podman's "reclaimable"): images no container uses, containers not running (their writable
// layers), volumes no container uses.
import type { Context } from '../context.js';
import { imageSize } from '../image/image-size.js';
import { arrivals } from '../image/image-sort.js';
import { sharedSizes } from '../image/shared-size.js';
import { listImages } from '../image/store.js';
import { rootfsPaths } from '../oci/rootfs.js';
import type { ContainerRecord } from '../state/container-record.js';
import { isRunning } from '../state/container-status.js';
import { listContainers } from '../state/containers.js';
import { treeSize } from '../util/tree-size.js';
import { volumeDataDir } from '../volume/volumes.js';
import { listVolumes } from '../volume/volumes.js';
import { volumeUsers } from '../volume/volumes.js';

export interface DfSummary {
  Type: 'Images' | 'Containers' | 'Local Volumes';
  Total: number;
  Active: number;
  Size: number;
  Reclaimable: number;
}

export interface DfDetail {
  /** shared/unique: system df -v's SHARED SIZE and UNIQUE SIZE (lib/image/shared-size.ts). */
  images: Array<{ id: string; names: string[]; created: string; size: number; shared: number; unique: number; containers: number }>;
  containers: Array<{ rec: ContainerRecord; size: number }>;
  volumes: Array<{ name: string; links: number; size: number }>;
}

export function diskUsage(ctx: Context): { summary: DfSummary[]; detail: DfDetail } {
  const recs = listContainers(ctx);
  // In the order the images arrived in the store, as podman lists them (and finds a parent).
  const arrived = arrivals(ctx);
  const records = listImages(ctx).sort((a, b) => arrived(a.id) - arrived(b.id));
  const sizes = new Map(records.map((i) => [i.id, imageSize(ctx, i)]));
  const shares = sharedSizes(ctx, records, (i) => sizes.get(i.id) ?? 0);
  const images = records.map((i) => ({
    id: i.id,
    names: i.names ?? [],
    created: i.created,
    size: sizes.get(i.id) ?? 0,
    shared: shares.get(i.id)?.shared ?? 0,
    unique: shares.get(i.id)?.unique ?? 0,
    containers: recs.filter((c) => c.image === i.id).length,
  }));
  const containers = recs.map((rec) => ({ rec, size: treeSize(rootfsPaths(ctx, rec.id).upper) }));
  const volumes = listVolumes(ctx).map((v) => ({ name: v.name, links: volumeUsers(ctx, v.name, recs).length, size: treeSize(volumeDataDir(ctx, v.name)) }));
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const summary: DfSummary[] = [
    {
      Type: 'Images',
      Total: images.length,
      Active: images.filter((i) => i.containers > 0).length,
      Size: sum(images.map((i) => i.size)),
      Reclaimable: sum(images.filter((i) => i.containers === 0).map((i) => i.size)),
    },
    {
      Type: 'Containers',
      Total: containers.length,
      Active: containers.filter((c) => isRunning(c.rec)).length,
      Size: sum(containers.map((c) => c.size)),
      Reclaimable: sum(containers.filter((c) => !isRunning(c.rec)).map((c) => c.size)),
    },
    {
      Type: 'Local Volumes',
      Total: volumes.length,
      Active: volumes.filter((v) => v.links > 0).length,
      Size: sum(volumes.map((v) => v.size)),
      Reclaimable: sum(volumes.filter((v) => v.links === 0).map((v) => v.size)),
    },
  ];
  return { summary, detail: { images, containers, volumes } };
}
