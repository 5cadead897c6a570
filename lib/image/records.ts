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

/** The names an image has had, newest first: for records made before it was kept, its names. */
export function namesHistory(rec: ImageRecord): string[] {
  return rec.namesHistory ?? [...rec.names].reverse();
}

/**
 * rec with its names set to `names` (tag, untag, a name given again), the history updated as
 * containers/storage does: each resulting name in turn goes to the front. A name taken away by
 * another image's tag is not such a change (claimNames leaves the history alone, as podman).
 */
export function withNames(rec: ImageRecord, names: string[]): ImageRecord {
  return { ...rec, names, namesHistory: [...new Set([...[...names].reverse(), ...namesHistory(rec)])] };
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
