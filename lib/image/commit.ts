// Making an image visible in the store: config and manifest blobs, then its record, then the
// names it takes away from other images. Shared by every way an image arrives (import, load,
// pull); the caller holds the store lock and has committed the layers already.
import type { Context } from '../context.js';
import { NotFoundError } from '../errors.js';
import { putBlob, sha256Digest } from './blobs.js';
import type { ImageRecord } from './image-record.js';
import { listImageRecords, loadImageRecord, saveImageRecord, withNames } from './records.js';
import { failpoint } from '../util/failpoint.js';

export interface NewImage {
  /** The config JSON exactly as stored (its sha256 is the image ID). */
  configBytes: Buffer;
  /** The manifest JSON exactly as stored (its sha256 is the record's digest). */
  manifestBytes: Buffer;
  /** Fully qualified names to give it. */
  names: string[];
  fields: Pick<ImageRecord, 'created' | 'size' | 'architecture' | 'os' | 'config' | 'layers' | 'diffIds' | 'parent'>;
}

/** Moves `names` onto the image `id`: an image holding one of them loses it (it may end up untagged). */
export function claimNames(ctx: Context, id: string, names: string[]): void {
  if (names.length === 0) return;
  for (const other of listImageRecords(ctx)) {
    if (other.id === id) continue;
    const kept = other.names.filter((n) => !names.includes(n));
    if (kept.length !== other.names.length) saveImageRecord(ctx, { ...other, names: kept });
  }
}

/** Stores the image (or adds the names to the identical image already there) and returns its record. */
export function commitImage(ctx: Context, img: NewImage): ImageRecord {
  const id = sha256Digest(img.configBytes).slice('sha256:'.length);
  let existing: ImageRecord | undefined;
  try {
    existing = loadImageRecord(ctx, id);
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
  }
  let rec: ImageRecord;
  if (existing) {
    rec = withNames(existing, [...existing.names, ...img.names.filter((n) => !existing.names.includes(n))]);
  } else {
    putBlob(ctx, img.configBytes);
    failpoint('image.after-blob');
    const digest = putBlob(ctx, img.manifestBytes);
    const names = [...new Set(img.names)];
    rec = { id, names, namesHistory: [...names].reverse(), digest, ...img.fields };
  }
  saveImageRecord(ctx, rec);
  failpoint('image.after-record');
  // Only once the image holds its names are they taken from the others: a crash in between
  // leaves a name on two images for a moment (a lookup takes the newer), never on none.
  claimNames(ctx, id, img.names);
  failpoint('image.after-tag');
  return rec;
}
