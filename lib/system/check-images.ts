// `system check` of the image store: every record readable, its blobs present and (unless quick)
// matching their digests, its layers present; and what no image refers to (a crashed pull, load
// or rmi). Damaged images are removed by --repair; orphans only once old enough that they cannot
// belong to an image being stored right now (layers and blobs are committed before its record).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Problem } from '../container/leftovers.js';
import type { Context } from '../context.js';
import { CorruptStateError } from '../errors.js';
import type { ImageRecord } from '../image/image-record.js';
import { layerExists, removeLayer, removeTree } from '../image/layers.js';
import { blobPath, blobsDir, imageRecordPath, layersDir, tmpDir } from '../image/layout.js';
import { imageIds, loadImageRecord } from '../image/records.js';
import { blobsOf, removeImages, withStoreLock } from '../image/remove.js';
import { removeBlob } from '../image/blobs.js';
import { listStateDir } from '../state/atomic.js';
import { listContainers } from '../state/containers.js';

/** Orphaned blobs and layers younger than this may belong to an image being stored. */
export const ORPHAN_MIN_AGE_MS = 10 * 60_000;

function fileDigest(file: string): string {
  const hash = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0; ) hash.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return `sha256:${hash.digest('hex')}`;
}

function ageMs(p: string, now: number): number {
  try {
    return now - fs.lstatSync(p).mtimeMs;
  } catch {
    return 0;
  }
}

export function imageProblems(ctx: Context, opts: { quick: boolean }, now = Date.now()): Problem[] {
  const out: Problem[] = [];
  const images: ImageRecord[] = [];
  for (const id of imageIds(ctx)) {
    try {
      images.push(loadImageRecord(ctx, id));
    } catch (err) {
      if (!(err instanceof CorruptStateError)) continue;
      out.push({
        subject: `image ${id.slice(0, 12)}`,
        problem: err.message,
        repair: { what: 'record removed', run: () => fs.rmSync(imageRecordPath(ctx, id), { force: true }) },
      });
    }
  }
  const usedBy = (imageId: string) => listContainers(ctx).filter((c) => c.image === imageId).map((c) => c.name);
  for (const image of images) {
    const damage: string[] = [];
    for (const digest of [`sha256:${image.id}`, image.digest]) {
      const file = blobPath(ctx, digest);
      if (!fs.existsSync(file)) damage.push(`blob ${digest.slice(7, 19)} missing`);
      else if (!opts.quick && fileDigest(file) !== digest) damage.push(`blob ${digest.slice(7, 19)} does not match its digest`);
    }
    for (const chain of image.layers) if (!layerExists(ctx, chain)) damage.push(`layer ${chain.slice(0, 12)} missing`);
    if (damage.length === 0) continue;
    const name = image.names[0] ?? image.id.slice(0, 12);
    out.push({
      subject: `image ${image.id.slice(0, 12)} (${name})`,
      problem: damage.join(', '),
      repair: { what: 'image removed', run: async () => void (await removeImages(ctx, [image.id], { force: true, usedBy }).catch(() => undefined)) },
    });
  }
  const keepBlobs = new Set(images.flatMap((i) => blobsOf(ctx, i)));
  const keepLayers = new Set([...images.flatMap((i) => i.layers), ...listContainers(ctx).flatMap((c) => c.layers)]);
  const young = (p: string) => ageMs(p, now) < ORPHAN_MIN_AGE_MS;
  for (const hex of listStateDir(blobsDir(ctx), 'blobs', (n) => /^[0-9a-f]{64}$/.test(n))) {
    const digest = `sha256:${hex}`;
    if (keepBlobs.has(digest)) continue;
    const p = blobPath(ctx, digest);
    out.push({
      subject: `blob ${hex.slice(0, 12)}`,
      problem: `referred to by no image${young(p) ? ' (recent: may belong to an image being stored)' : ''}`,
      ...(young(p) ? {} : { repair: { what: 'removed', run: () => withStoreLock(ctx, () => removeBlob(ctx, digest)) } }),
    });
  }
  for (const chain of listStateDir(layersDir(ctx), 'layers', (n) => /^[0-9a-f]{64}$/.test(n))) {
    if (keepLayers.has(chain) || keepLayers.has(`sha256:${chain}`)) continue;
    const p = `${layersDir(ctx)}/${chain}`;
    out.push({
      subject: `layer ${chain.slice(0, 12)}`,
      problem: `used by no image or container${young(p) ? ' (recent: may belong to an image being stored)' : ''}`,
      ...(young(p) ? {} : { repair: { what: 'removed', run: () => withStoreLock(ctx, () => removeLayer(ctx, chain)) } }),
    });
  }
  for (const name of listStateDir(tmpDir(ctx), 'staged layers', () => true)) {
    const p = path.join(tmpDir(ctx), name);
    if (young(p)) continue;
    out.push({
      subject: `staged layer "${name}"`,
      problem: 'left by an image import, pull or removal that did not finish',
      repair: { what: 'removed', run: () => removeTree(p) },
    });
  }
  return out;
}
