// system df -v's SHARED SIZE and UNIQUE SIZE of an image, as podman 4.3.1 (libimage) counts them:
// an image another is built directly on shares all of itself; else it shares the size of the image
// it is built directly on, and the rest is its own. "Built directly on": the child has all of the
// parent's layers (diff IDs, in order) and the parent's history plus exactly one entry.
import type { Context } from '../context.js';
import { readBlob } from './blobs.js';
import { historyOf, parseConfigBlob, type HistoryEntry } from './config-blob.js';
import type { ImageRecord } from './image-record.js';

interface Lineage {
  diffIds: string[];
  history: HistoryEntry[];
}

const sameEntry = (a: HistoryEntry, b: HistoryEntry) =>
  a.created === b.created && (a.created_by ?? '') === (b.created_by ?? '') && (a.author ?? '') === (b.author ?? '') && (a.comment ?? '') === (b.comment ?? '') && !!a.empty_layer === !!b.empty_layer;

export function builtDirectlyOn(parent: Lineage, child: Lineage): boolean {
  if (parent.diffIds.length > child.diffIds.length || parent.diffIds.some((d, i) => child.diffIds[i] !== d)) return false;
  return parent.history.length + 1 === child.history.length && parent.history.every((h, i) => sameEntry(h, child.history[i]));
}

function lineageOf(ctx: Context, image: ImageRecord): Lineage {
  try {
    return { diffIds: image.diffIds, history: historyOf(parseConfigBlob(readBlob(ctx, `sha256:${image.id}`), `the config of image ${image.id}`)) };
  } catch {
    // A config that cannot be read relates to nothing (podman: an incoherent store).
    return { diffIds: [], history: [] };
  }
}

/** Shared and unique bytes per image ID; images in the store's order (a parent is the first found). */
export function sharedSizes(ctx: Context, images: ImageRecord[], sizeOf: (image: ImageRecord) => number): Map<string, { shared: number; unique: number }> {
  const lineages = new Map(images.map((i) => [i.id, lineageOf(ctx, i)]));
  const related = (p: ImageRecord, c: ImageRecord) => p.id !== c.id && lineages.get(p.id)!.history.length > 0 && builtDirectlyOn(lineages.get(p.id)!, lineages.get(c.id)!);
  const out = new Map<string, { shared: number; unique: number }>();
  for (const image of images) {
    const size = sizeOf(image);
    const parent = images.find((p) => related(p, image));
    if (images.some((c) => related(image, c))) out.set(image.id, { shared: size, unique: 0 });
    else if (parent) out.set(image.id, { shared: sizeOf(parent), unique: size - sizeOf(parent) });
    else out.set(image.id, { shared: 0, unique: size });
  }
  return out;
}
