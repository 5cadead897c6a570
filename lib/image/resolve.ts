// Finding a local image from what a user typed, in podman's order: an ID or digest, then the
// name (a short name tries localhost/, then docker.io, then any stored repository ending in
// "/<name>"), then a unique ID prefix of at least 3 hex digits. `containers-storage:NAME` is NAME;
// other transports are refused (transport-name.ts).
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { CorruptStateError, InvalidArgumentError, NotFoundError } from '../errors.js';
import { shortId } from '../state/ids.js';
import type { ImageRecord } from './image-record.js';
import { layerDiffDir } from './layout.js';
import { listImageRecords } from './records.js';
import { localImageName } from './transport-name.js';
import { DEFAULT_DOMAIN, DEFAULT_TAG, LOCAL_DOMAIN, parseReference, splitName, type Reference } from './reference.js';

export interface Resolved {
  image: ImageRecord;
  /** The stored name the reference matched; undefined when it matched by ID or digest. */
  name?: string;
}

const FULL_ID_RE = /^(?:sha256:)?([0-9a-f]{64})$/;
const ID_PREFIX_RE = /^[0-9a-f]{3,64}$/;

export function imageNotFound(ref: string): NotFoundError {
  return new NotFoundError(`image "${ref}" not found in local storage: import, load or pull it first`);
}

/** Repositories a reference may mean locally, most specific first; `suffix` for the last resort. */
function candidateRepositories(r: Reference): { exact: string[]; suffix?: string } {
  if (!r.short) return { exact: [`${r.domain}/${r.path}`] };
  return { exact: [`${LOCAL_DOMAIN}/${r.shortPath}`, `${DEFAULT_DOMAIN}/${r.path}`], suffix: `/${r.shortPath}` };
}

function byName(images: ImageRecord[], r: Reference, ref: string): Resolved | undefined {
  const matches = (repoOk: (repo: string) => boolean): Resolved[] => {
    const found: Resolved[] = [];
    for (const image of images) {
      for (const name of image.names) {
        const { repository, tag } = splitName(name);
        if (!repoOk(repository)) continue;
        if (r.digest !== undefined ? image.digest === r.digest : tag === (r.tag ?? DEFAULT_TAG)) {
          found.push({ image, name });
          break;
        }
      }
    }
    return found;
  };
  const { exact, suffix } = candidateRepositories(r);
  for (const repo of exact) {
    const found = matches((candidate) => candidate === repo);
    if (found.length > 0) return found[0];
  }
  if (suffix === undefined) return undefined;
  const found = matches((candidate) => candidate.endsWith(suffix));
  const ids = new Set(found.map((f) => f.image.id));
  if (ids.size > 1) {
    const names = found.map((f) => f.name).join(', ');
    throw new InvalidArgumentError(`short name "${ref}" matches several images (${names}): use the full name`);
  }
  return found[0];
}

/** Resolves a reference against the given records (all local images by default). */
export function lookupImage(ctx: Context, name: string, images: ImageRecord[] = listImageRecords(ctx)): Resolved {
  const ref = localImageName(name);
  const full = FULL_ID_RE.exec(ref);
  if (full) {
    const hex = full[1];
    const image = images.find((i) => i.id === hex) ?? images.find((i) => i.digest === `sha256:${hex}`);
    if (image) return { image };
    if (ref.startsWith('sha256:')) throw imageNotFound(ref);
  }
  let parsed: Reference | undefined;
  try {
    parsed = parseReference(ref);
  } catch (err) {
    if (!ID_PREFIX_RE.test(ref)) throw err;
  }
  const named = parsed ? byName(images, parsed, ref) : undefined;
  if (named) return named;
  if (ID_PREFIX_RE.test(ref)) {
    const found = images.filter((i) => i.id.startsWith(ref));
    if (found.length === 1) return { image: found[0] };
    if (found.length > 1) {
      const ids = found.map((i) => shortId(i.id)).join(', ');
      throw new InvalidArgumentError(`image ID prefix "${ref}" is ambiguous: it matches ${found.length} images (${ids}); give more digits`);
    }
  }
  throw imageNotFound(ref);
}

export function resolveImage(ctx: Context, ref: string): ImageRecord {
  return lookupImage(ctx, ref).image;
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

/**
 * The name a container records for its image (podman's ImageName): the stored name that `given`
 * matched (`pman tag busybox b; pman create b` records localhost/b:latest), else the image's first
 * name (given by ID, or loaded through a transport), else its ID.
 */
export function givenImageName(ctx: Context, given: string, image: ImageRecord): string {
  let matched: string | undefined;
  try {
    matched = lookupImage(ctx, given, [image]).name;
  } catch {
    // A transport name (oci-archive:…), or a name the image no longer has: not an error here.
  }
  return matched ?? image.names[0] ?? image.id;
}
