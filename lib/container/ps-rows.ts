// ps's extra columns and order (podman's --size and --sort), apart from the listing itself (ps.ts).
import type { Context } from '../context.js';
import { STATS_SIZE, formatBytes } from '../format/bytes.js';
import { loadImageRecord } from '../image/records.js';
import { rootfsPaths } from '../oci/rootfs.js';
import type { ContainerRecord } from '../state/container-record.js';
import { treeSize } from '../util/tree-size.js';

export const PS_SORT_KEYS = ['command', 'created', 'id', 'image', 'names', 'runningfor', 'size', 'status'];

/** podman's --sort: created (and runningfor) newest first, the others ascending by their text. */
export function sortPsRows(rows: Array<Record<string, unknown>>, key: string): void {
  if (key === 'created' || key === 'runningfor') return; // listForPs gives them newest first
  const field = { command: 'Command', id: 'ID', image: 'Image', names: 'Names', size: 'SizeBytes', status: 'Status' }[key] ?? 'ID';
  rows.sort((a, b) => {
    const x = a[field] as string | number;
    const y = b[field] as string | number;
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/**
 * ps --size: `Size` "12B (virtual 1.98MB)", the writable layer and it plus the image, and
 * `SizeBytes` (the writable layer's bytes) that --sort size orders by.
 */
export function containerSize(ctx: Context, rec: ContainerRecord): { Size: string; SizeBytes: number } {
  const rw = treeSize(rootfsPaths(ctx, rec.id).upper);
  let image = 0;
  try {
    image = loadImageRecord(ctx, rec.image).size;
  } catch {
    /* image gone */
  }
  return { Size: `${formatBytes(rw, STATS_SIZE)} (virtual ${formatBytes(rw + image, STATS_SIZE)})`, SizeBytes: rw };
}
