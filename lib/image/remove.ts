// `pman rmi`: untag or delete images, then delete the layers and blobs no remaining image uses.
// Checks in podman 4.3.1's order: a name given for an image with several names only untags it
// (with or without force); its ID (for rmi) is refused without force; an image a container uses is
// kept, unless force, which removes those containers first (rmi) or, when the caller removes no
// containers (the API, as docker), only the image's names. Deleting an image also deletes its
// parents that are left dangling (a build's intermediate images no other image descends from),
// unless noPrune, as podman's rmi does. Exit codes as podman's rmi: 1 no such image, 2 image in use.
import type { Context } from '../context.js';
import { NotFoundError, PmanError } from '../errors.js';
import { shortId } from '../state/ids.js';
import { withLock } from '../state/lock.js';
import { readBlob } from './blobs.js';
import type { ImageRecord } from './image-record.js';
import { removeTreeAsync, retire, retireLayer } from './layers.js';
import { isDangling, parentIds } from './lineage.js';
import { blobPath, storeLockFile } from './layout.js';
import { deleteImageRecord, listImageRecords, saveImageRecord, withNames } from './records.js';
import { objectEvent } from '../events/events-file.js';
import { lookupImage } from './resolve.js';
import { failpoint } from '../util/failpoint.js';

export interface RemoveOptions {
  force: boolean;
  /** Names of the containers using an image (by image ID). */
  usedBy: (imageId: string) => string[];
  /** Keep parents left dangling (`rmi --no-prune`). */
  noPrune?: boolean;
  /** Names that match no image are passed over (`rmi --ignore`). */
  ignore?: boolean;
  /** An ID (or digest) of an image with several names is refused without force (podman's `rmi IMAGE…`; not --all or prune). */
  idOfSeveralNamesNeedsForce?: boolean;
  /** With force, removes the containers that use the image before it is deleted (podman's `rmi -f`). */
  removeUsers?: (imageId: string) => Promise<void>;
}

export interface RemoveResult {
  untagged: string[];
  /** The image ID, when the image itself was deleted. */
  deleted?: string;
}

/** Some references could not be removed; `results` holds what was done for the others. */
export class ImageRemovalError extends PmanError {
  constructor(
    readonly results: RemoveResult[],
    readonly errors: PmanError[],
  ) {
    const last = errors[errors.length - 1];
    const exitCode = errors.some((e) => e.exitCode === 2) ? 2 : errors.every((e) => e.exitCode === 1) ? 1 : 125;
    super(last.code, last.message, { cause: last, exitCode });
    this.name = 'ImageRemovalError';
  }
}

/** Runs fn holding the image store's lock (other code can use it to keep an image from being removed meanwhile). */
export function withStoreLock<T>(ctx: Context, fn: () => Promise<T> | T): Promise<T> {
  return withLock(storeLockFile(ctx), fn);
}

/** Every blob an image needs: config, manifest and the manifest's layers. */
export function blobsOf(ctx: Context, image: ImageRecord): string[] {
  const out = [`sha256:${image.id}`, image.digest, ...image.diffIds];
  try {
    const manifest = JSON.parse(readBlob(ctx, image.digest).toString('utf8')) as { layers?: Array<{ digest?: unknown }> };
    for (const l of manifest.layers ?? []) if (typeof l.digest === 'string') out.push(l.digest);
  } catch {
    /* a missing or unreadable manifest: keep what we know of */
  }
  return out;
}

/**
 * Takes the layers and blobs only the removed images used out of the store (retire: one rename
 * each, under the store lock) and returns where they went, for removeRetired.
 */
function collectGarbage(ctx: Context, removed: ImageRecord[], remaining: ImageRecord[]): string[] {
  if (removed.length === 0) return [];
  const keepLayers = new Set(remaining.flatMap((r) => r.layers));
  const keepBlobs = new Set(remaining.flatMap((r) => blobsOf(ctx, r)));
  const doomedBlobs = new Set(removed.flatMap((r) => blobsOf(ctx, r)));
  const doomedLayers = new Set(removed.flatMap((r) => r.layers).filter((chain) => !keepLayers.has(chain)));
  const out: string[] = [];
  for (const chain of doomedLayers) out.push(retireLayer(ctx, chain) ?? '');
  for (const digest of doomedBlobs) {
    if (!keepBlobs.has(digest) && /^sha256:[0-9a-f]{64}$/.test(digest)) out.push(retire(ctx, blobPath(ctx, digest), `blob-${digest.slice(7)}`) ?? '');
  }
  return out.filter((p) => p !== '');
}

/**
 * Deletes what collectGarbage took out of the store, all at once and after the store lock is
 * released: the files of a build's layers are most of an rmi's time, and nobody needs to wait for
 * them (docs/performance.md, "Removing images"). What cannot be deleted stays in the store's temp
 * area, where `system check --repair` finds it.
 */
async function removeRetired(ctx: Context, doomed: string[]): Promise<void> {
  await Promise.all(
    doomed.map((p) =>
      removeTreeAsync(p).catch((err: unknown) => ctx.warn(`${(err as Error).message}; \`pman system check --repair\` removes it later`)),
    ),
  );
}

/** The image's parent, if it is there and now dangling and no container uses it. */
function danglingParent(image: ImageRecord, images: ImageRecord[], usedBy: (id: string) => string[]): ImageRecord | undefined {
  const parent = image.parent === undefined ? undefined : images.find((i) => i.id === image.parent);
  if (!parent || !isDangling(parent, parentIds(images)) || usedBy(parent.id).length > 0) return undefined;
  return parent;
}

function asPmanError(err: unknown): PmanError {
  return err instanceof PmanError ? err : new PmanError('system', String(err), { cause: err });
}

function severalNames(ref: string, image: ImageRecord): PmanError {
  const names = image.names.join(', ');
  return new PmanError('conflict', `cannot remove image "${ref}" by ID: it has several names (${names}); remove them by name, or use --force to delete it with all its names`);
}

function inUse(ref: string, image: ImageRecord, users: string[]): PmanError {
  const list = users.map((u) => `"${u}"`).join(', ');
  const byId = image.id.startsWith(ref.replace(/^sha256:/, ''));
  const what = byId ? `image ${shortId(image.id)}` : `image "${ref}" (${shortId(image.id)})`;
  return new PmanError('invalid-state', `cannot remove ${what}: it is in use by container${users.length > 1 ? 's' : ''} ${list}; remove ${users.length > 1 ? 'them' : 'it'} first`, {
    exitCode: 2,
  });
}

/** Whether ref is an ID (prefix) of an image deleted earlier in this call (as a parent, or listed twice). */
function deletedEarlier(ref: string, removed: ImageRecord[]): boolean {
  const hex = ref.replace(/^sha256:/, '');
  return /^[0-9a-f]{3,64}$/.test(hex) && removed.some((r) => r.id.startsWith(hex));
}

export async function removeImages(ctx: Context, refs: string[], opts: RemoveOptions): Promise<RemoveResult[]> {
  const doomed: string[] = [];
  try {
    return await withStoreLock(ctx, () => removeLocked(ctx, refs, opts, doomed));
  } finally {
    await removeRetired(ctx, doomed);
  }
}

/** removeImages under the store lock: records, then layers and blobs out of the store (into doomed). */
async function removeLocked(ctx: Context, refs: string[], opts: RemoveOptions, doomed: string[]): Promise<RemoveResult[]> {
  const results: RemoveResult[] = [];
  const errors: PmanError[] = [];
  const removed: ImageRecord[] = [];
  let images = listImageRecords(ctx);
  const replace = (rec: ImageRecord) => {
    saveImageRecord(ctx, rec);
    images = images.map((i) => (i.id === rec.id ? rec : i));
  };
  for (const ref of refs) {
    let image: ImageRecord;
    let name: string | undefined;
    try {
      ({ image, name } = lookupImage(ctx, ref, images));
    } catch (err) {
      if (err instanceof NotFoundError) {
        if (!opts.force && !opts.ignore && !deletedEarlier(ref, removed)) errors.push(new PmanError('not-found', `cannot remove image "${ref}": no such image in local storage`, { exitCode: 1 }));
      } else errors.push(asPmanError(err));
      continue;
    }
    if (name !== undefined && image.names.length > 1) {
      replace(withNames(image, image.names.filter((n) => n !== name)));
      results.push({ untagged: [name] });
      objectEvent(ctx, 'image', 'untag', image.id, name);
      continue;
    }
    if (name === undefined && image.names.length > 1 && opts.idOfSeveralNamesNeedsForce && !opts.force) {
      errors.push(severalNames(ref, image));
      continue;
    }
    let users = opts.usedBy(image.id);
    if (users.length > 0 && opts.force && opts.removeUsers) {
      try {
        await opts.removeUsers(image.id);
      } catch (err) {
        errors.push(asPmanError(err));
        continue;
      }
      users = opts.usedBy(image.id);
    }
    if (users.length > 0) {
      if (opts.force && image.names.length > 0) {
        replace(withNames(image, []));
        results.push({ untagged: image.names });
        for (const n of image.names) objectEvent(ctx, 'image', 'untag', image.id, n);
      } else errors.push(inUse(ref, image, users));
      continue;
    }
    const drop = (rec: ImageRecord, untagged: string[]) => {
      deleteImageRecord(ctx, rec.id);
      images = images.filter((i) => i.id !== rec.id);
      removed.push(rec);
      results.push({ untagged, deleted: rec.id });
      for (const n of untagged) objectEvent(ctx, 'image', 'untag', rec.id, n);
      objectEvent(ctx, 'image', 'remove', rec.id, untagged[0]);
    };
    drop(image, image.names);
    failpoint('rmi.after-record');
    for (let parent = opts.noPrune ? undefined : danglingParent(image, images, opts.usedBy); parent; parent = danglingParent(parent, images, opts.usedBy)) {
      drop(parent, []);
    }
  }
  doomed.push(...collectGarbage(ctx, removed, images));
  failpoint('rmi.after-layers');
  if (errors.length > 0) throw new ImageRemovalError(results, errors);
  return results;
}
