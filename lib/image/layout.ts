// Where everything of the image store lives under storageDir(ctx) (docs/images.md):
//   blobs/sha256/<hex>            manifests, configs and layer tars, named by their digest
//   layers/<chainId>/diff/        a layer unpacked once, shared by every image that has it
//   layers/<chainId>/layer.json   that layer's record
//   images/<id>.json              image records
//   tmp/                          work in progress (same filesystem, so finished work is renamed in)
//   store.lock                    held for every change
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { systemError } from '../errors.js';
import { storageDir } from '../state/paths.js';

export function blobsDir(ctx: Context): string {
  return path.join(storageDir(ctx), 'blobs', 'sha256');
}

/** The file of a blob, by "sha256:<hex>" digest. */
export function blobPath(ctx: Context, digest: string): string {
  return path.join(blobsDir(ctx), digest.replace(/^sha256:/, ''));
}

export function layersDir(ctx: Context): string {
  return path.join(storageDir(ctx), 'layers');
}

export function layerDir(ctx: Context, chainId: string): string {
  return path.join(layersDir(ctx), chainId);
}

/** layers/<chainId>/diff: the unpacked layer, an overlay lower dir. */
export function layerDiffDir(ctx: Context, chainId: string): string {
  return path.join(layerDir(ctx, chainId), 'diff');
}

export function imagesDir(ctx: Context): string {
  return path.join(storageDir(ctx), 'images');
}

export function imageRecordPath(ctx: Context, id: string): string {
  return path.join(imagesDir(ctx), `${id}.json`);
}

export function tmpDir(ctx: Context): string {
  return path.join(storageDir(ctx), 'tmp');
}

/** The file withLock() locks for any change to the store. */
export function storeLockFile(ctx: Context): string {
  return path.join(storageDir(ctx), 'store');
}

/**
 * Creates the store directories (mode 0700: layers hold setuid binaries and device nodes that
 * must not be reachable by other users).
 */
export function ensureStore(ctx: Context): void {
  try {
    fs.mkdirSync(ctx.root, { recursive: true, mode: 0o700 });
    for (const dir of [storageDir(ctx), blobsDir(ctx), layersDir(ctx), imagesDir(ctx), tmpDir(ctx)]) {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    }
  } catch (err) {
    throw systemError(`create the image store in "${storageDir(ctx)}"`, err);
  }
}
