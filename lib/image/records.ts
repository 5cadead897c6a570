// Image records on disk: one validated JSON file per image ID. Written only under the store lock;
// read without it (each write is atomic, so a reader sees a whole record).
import fs from 'node:fs';
import type { Context } from '../context.js';
import { systemError } from '../errors.js';
import { listStateDir, loadEach, readJsonValidated, writeJsonAtomic } from '../state/atomic.js';
import { ID_RE } from '../state/ids.js';
import { validateImageRecord, type ImageRecord } from './image-record.js';
import { imageRecordPath, imagesDir } from './layout.js';

export function loadImageRecord(ctx: Context, id: string): ImageRecord {
  return readJsonValidated(imageRecordPath(ctx, id), validateImageRecord, `image ${id.slice(0, 12)} record`);
}

export function saveImageRecord(ctx: Context, rec: ImageRecord): void {
  writeJsonAtomic(imageRecordPath(ctx, rec.id), rec);
}

export function deleteImageRecord(ctx: Context, id: string): void {
  try {
    fs.rmSync(imageRecordPath(ctx, id), { force: true });
  } catch (err) {
    throw systemError(`remove the record of image ${id.slice(0, 12)}`, err);
  }
}

export function imageIds(ctx: Context): string[] {
  return listStateDir(imagesDir(ctx), 'images', (n) => n.endsWith('.json') && ID_RE.test(n.slice(0, -5))).map((n) => n.slice(0, -5));
}

/**
 * Every image record, newest first. A corrupt record is reported with one warning naming its
 * file and left out (never silently dropped or overwritten); one removed meanwhile is skipped.
 */
export function listImageRecords(ctx: Context): ImageRecord[] {
  const out = loadEach(imageIds(ctx), (id) => loadImageRecord(ctx, id), ctx.warn);
  return out.sort((a, b) => createdMs(b) - createdMs(a) || (a.id < b.id ? -1 : 1));
}

/** Milliseconds since the epoch of an image's creation time (0 when unparsable). */
export function createdMs(rec: Pick<ImageRecord, 'created'>): number {
  const ms = Date.parse(rec.created);
  return Number.isNaN(ms) ? 0 : ms;
}
