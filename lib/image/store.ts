// The image store's public face: what the container engine and the image commands use. The
// pieces live in their own modules (layout, records, layers, blobs, resolve, import, remove).
import type { Context } from '../context.js';
import type { ImageRecord } from './image-record.js';
import { listImageRecords } from './records.js';

export type { ImageConfigSpec, ImageRecord } from './image-record.js';
export { resolveImage, lookupImage, layerDirs, type Resolved } from './resolve.js';
export { importImage, type ImportOptions } from './import.js';
export { removeImages, withStoreLock, ImageRemovalError, type RemoveOptions, type RemoveResult } from './remove.js';

/** Every local image, newest first. */
export function listImages(ctx: Context): ImageRecord[] {
  return listImageRecords(ctx);
}

