// A stored layer as the exact uncompressed tar its diff ID names: the uncompressed blob when one
// was kept (import keeps it), else rebuilt from the unpacked files and the layer's recipe, else
// the (compressed) blob a pulled image's manifest names, decompressed. Every byte is hashed on
// the way out, and a tar that does not match its diff ID is an error, never output.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { CorruptStateError } from '../errors.js';
import { shortId } from '../state/ids.js';
import { decompress } from '../archive/decompress.js';
import { replayRecipe } from '../archive/recipe.js';
import { BlobWriter, hasBlob } from './blobs.js';
import type { ImageRecord, LayerRecord } from './image-record.js';
import { blobPath, tmpDir } from './layout.js';
import { layerDiffDir, layerRecipePath, readLayerRecord } from './layers.js';

export interface LayerTar {
  chainId: string;
  diffId: string;
  /** Bytes of the tar. */
  size: number;
  /** The tar, verified against diffId and size as it streams (the last chunk comes only if they match). */
  open(): AsyncGenerator<Buffer>;
}

async function* verified(source: AsyncIterable<Buffer>, rec: LayerRecord, what: string): AsyncGenerator<Buffer> {
  const hash = createHash('sha256');
  let size = 0;
  let held: Buffer | undefined;
  for await (const chunk of source) {
    hash.update(chunk);
    size += chunk.length;
    if (held) yield held;
    held = chunk;
  }
  const digest = `sha256:${hash.digest('hex')}`;
  if (digest !== rec.diffId || size !== rec.size) {
    throw new CorruptStateError(
      `layer ${shortId(rec.chainId)} does not match its diff ID: ${what} gives ${digest} (${size} bytes), expected ${rec.diffId} (${rec.size} bytes); remove the image and load or pull it again`,
    );
  }
  if (held) yield held;
}

function readStream(file: string): AsyncIterable<Buffer> {
  return fs.createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>;
}

/** `blobs`: digests of blobs that may hold the layer compressed (its manifest's layer digests). */
export function layerTar(ctx: Context, chainId: string, blobs: string[] = []): LayerTar {
  const rec = readLayerRecord(ctx, chainId);
  const recipe = layerRecipePath(ctx, chainId);
  const compressed = blobs.find((d) => d !== rec.diffId && hasBlob(ctx, d));
  let open: () => AsyncGenerator<Buffer>;
  if (hasBlob(ctx, rec.diffId)) open = () => verified(readStream(blobPath(ctx, rec.diffId)), rec, 'its blob');
  else if (fs.existsSync(recipe)) open = () => verified(replayRecipe(recipe, layerDiffDir(ctx, chainId)), rec, 'its recipe');
  else if (compressed) open = () => verified(decompress(readStream(blobPath(ctx, compressed))), rec, `its blob ${compressed}`);
  else throw new CorruptStateError(`cannot export layer ${shortId(chainId)}: neither its tar nor a recipe to rebuild it is stored; remove the image and load or pull it again`);
  return { chainId, diffId: rec.diffId, size: rec.size, open };
}

/**
 * Makes sure each of `digests` that is one of the image's plain layer tars (a diff ID, as in
 * the manifests load and commit store) is in the store as a blob, writing it from the layer when
 * missing. For `push`, which uploads blobs from files.
 */
export async function materializeLayerBlobs(ctx: Context, image: ImageRecord, digests: string[]): Promise<void> {
  for (const digest of digests) {
    const i = image.diffIds.indexOf(digest);
    if (i === -1 || hasBlob(ctx, digest)) continue;
    const tar = layerTar(ctx, image.layers[i]);
    const blob = new BlobWriter(path.join(tmpDir(ctx), `blob-${process.pid}-${Date.now()}-${i}`));
    try {
      for await (const chunk of tar.open()) blob.write(chunk);
      blob.commit(ctx);
    } catch (err) {
      blob.abort();
      throw err;
    }
  }
}
