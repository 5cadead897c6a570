// An image's size as podman 4.3.1 reports it (images, inspect, system df): containers/storage adds
// to the bytes of the image's layers those of what it stores beside them, the manifest (kept twice:
// under its digest and as the image's "manifest") and the config. The record's `size` stays the
// layers' own (commit adds to it); this is for what users see.
import fs from 'node:fs';
import type { Context } from '../context.js';
import type { ImageRecord } from './image-record.js';
import { blobPath } from './layout.js';

function blobBytes(ctx: Context, digest: string): number {
  try {
    return fs.statSync(blobPath(ctx, digest)).size;
  } catch {
    return 0;
  }
}

/** The layers, the manifest twice and the config, as podman counts them. */
export function imageSize(ctx: Context, image: Pick<ImageRecord, 'id' | 'digest' | 'size'>): number {
  return image.size + 2 * blobBytes(ctx, image.digest) + blobBytes(ctx, `sha256:${image.id}`);
}

/** Copies of the records whose `size` is the one shown (imageSize), for views; never saved. */
export function withShownSizes(ctx: Context, images: ImageRecord[]): ImageRecord[] {
  return images.map((i) => ({ ...i, size: imageSize(ctx, i) }));
}
