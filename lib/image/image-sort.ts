// The order of `pman images --sort KEY`, as podman 4.3.1's: its rows (one per name) are sorted by
// the key alone, and rows with equal keys keep the order of podman's store, which is the order the
// images arrived in (each image's names in their own order). Go's sort.Slice keeps that order for
// lists under 12 rows (insertion sort); longer ones podman leaves in no defined order, and pman
// keeps the store's there too. pman's store has no list: an image's config blob is written once,
// when the image arrives, so its modification time is the arrival.
import fs from 'node:fs';
import type { Context } from '../context.js';
import { blobPath } from './layout.js';
import { createdMs } from './records.js';
import type { ImageRecord } from './image-record.js';
import type { ImageRow } from './view.js';

/** When each image arrived in the store (ms), read once and only when asked. */
export function arrivals(ctx: Context): (id: string) => number {
  const seen = new Map<string, number>();
  return (id) => {
    let t = seen.get(id);
    if (t === undefined) {
      try {
        t = fs.statSync(blobPath(ctx, `sha256:${id}`)).mtimeMs;
      } catch {
        t = 0;
      }
      seen.set(id, t);
    }
    return t;
  };
}

/** Go's string order (bytes), not the locale's. */
function byBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The rows in podman's order for the key (created: newest first, else ascending). */
export function sortImageRows(ctx: Context, rows: ImageRow[], key: string, images: ImageRecord[]): ImageRow[] {
  const arrived = arrivals(ctx);
  const records = new Map(images.map((i) => [i.id, i]));
  const created = (r: ImageRow) => createdMs(records.get(r.Id) ?? { created: '' });
  const size = (r: ImageRow) => records.get(r.Id)?.size ?? 0;
  const compare: Record<string, (a: ImageRow, b: ImageRow) => number> = {
    created: (a, b) => created(b) - created(a),
    id: (a, b) => byBytes(a.Id, b.Id),
    repository: (a, b) => byBytes(a.Repository, b.Repository),
    tag: (a, b) => byBytes(a.Tag, b.Tag),
    size: (a, b) => size(a) - size(b),
  };
  const byKey = compare[key] ?? compare.created;
  // Array.prototype.sort is stable: the store's order first, then the key.
  const inStore = [...rows].sort((a, b) => (a.Id === b.Id ? 0 : arrived(a.Id) - arrived(b.Id) || byBytes(a.Id, b.Id)));
  return inStore.sort(byKey);
}
