// Which untagged images are a build's intermediate steps. A build step's image records its parent
// (the image the step started from); an untagged image that some other image names as its parent
// is intermediate (kept as build cache, hidden by `images` without -a), an untagged image that no
// image descends from is dangling (what `image prune` removes). These are podman's definitions.
import type { ImageRecord } from './image-record.js';

/** IDs of the images that some image of `images` names as its parent. */
export function parentIds(images: ImageRecord[]): Set<string> {
  const out = new Set<string>();
  for (const i of images) if (i.parent !== undefined) out.add(i.parent);
  return out;
}

/** Untagged, and no image descends from it. */
export function isDangling(image: ImageRecord, parents: Set<string>): boolean {
  return image.names.length === 0 && !parents.has(image.id);
}

/** Untagged, and another image descends from it (a build step's image). */
export function isIntermediate(image: ImageRecord, parents: Set<string>): boolean {
  return image.names.length === 0 && parents.has(image.id);
}
