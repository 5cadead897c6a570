// `pman tag` and `pman untag`: names on local images. A name belongs to one image at a time, so
// tagging moves a name another image holds (that image may end up untagged, as in podman).
import type { Context } from '../context.js';
import { InvalidArgumentError, NotFoundError } from '../errors.js';
import { claimNames } from './commit.js';
import type { ImageRecord } from './image-record.js';
import { saveImageRecord, withNames } from './records.js';
import { normalizeNewName } from './reference.js';
import { withStoreLock } from './remove.js';
import { objectEvent } from '../events/events-file.js';
import { lookupImage } from './resolve.js';

/** Adds names to an image; returns the updated record. */
export async function tagImage(ctx: Context, ref: string, newNames: string[]): Promise<ImageRecord> {
  if (newNames.length === 0) throw new InvalidArgumentError('tag needs an image and at least one new name');
  const names = newNames.map(normalizeNewName);
  return withStoreLock(ctx, () => {
    const { image } = lookupImage(ctx, ref);
    claimNames(ctx, image.id, names);
    const rec = withNames(image, [...image.names, ...names.filter((n) => !image.names.includes(n))]);
    saveImageRecord(ctx, rec);
    for (const n of names) objectEvent(ctx, 'image', 'tag', image.id, n);
    return rec;
  });
}

/** The stored name of `image` that `name` means ("busybox" for docker.io/library/busybox:latest …). */
function storedName(ctx: Context, image: ImageRecord, name: string): string {
  const normalized = normalizeNewName(name);
  if (image.names.includes(normalized)) return normalized;
  try {
    const found = lookupImage(ctx, name, [image]).name;
    if (found !== undefined) return found;
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
  }
  throw new NotFoundError(`${normalized}: tag not known`);
}

/** Removes the given names from an image (all of its names when none are given). */
export async function untagImage(ctx: Context, ref: string, names: string[]): Promise<ImageRecord> {
  return withStoreLock(ctx, () => {
    const { image } = lookupImage(ctx, ref);
    const doomed = names.length === 0 ? image.names : names.map((n) => storedName(ctx, image, n));
    const rec = withNames(image, image.names.filter((n) => !doomed.includes(n)));
    saveImageRecord(ctx, rec);
    for (const n of doomed) objectEvent(ctx, 'image', 'untag', image.id, n);
    return rec;
  });
}
