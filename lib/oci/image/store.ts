// The image store's public face: what the container engine and the image commands use. The
// pieces live in their own modules (layout, records, layers, blobs, resolve, import, remove).
import path from 'node:path';
import fs from 'node:fs';
import type { Context } from '../../context.js';
import { CorruptStateError } from '../../errors.js';
import { shortId } from '../../state/ids.js';
import type { ImageRecord } from './image-record.js';
import { layerDiffDir } from './layers.js';
import { listImageRecords } from './records.js';

export type { ImageConfigSpec, ImageRecord } from './image-record.js';
export { resolveImage, lookupImage, type Resolved } from './resolve.js';
export { importImage, type ImportOptions } from './import.js';
export { removeImages, withStoreLock, ImageRemovalError, type RemoveOptions, type RemoveResult } from './remove.js';

/** Every local image, newest first. */
export function listImages(ctx: Context): ImageRecord[] {
  return listImageRecords(ctx);
}

/** The image's unpacked layer directories, top-most first (overlayfs lowerdir order). */
export function layerDirs(ctx: Context, image: ImageRecord): string[] {
  return [...image.layers].reverse().map((chainId) => {
    const dir = layerDiffDir(ctx, chainId);
    if (!fs.existsSync(dir)) {
      throw new CorruptStateError(
        `image ${shortId(image.id)} is missing its layer ${shortId(chainId)} (${path.dirname(dir)}); remove the image and import or pull it again`,
      );
    }
    return dir;
  });
}
