// Build's contact with the image store, in one place: reading a stage's image and its config
// blob, committing a step (the parent's layers plus at most one new layer from a tar stream, a
// new config and one history entry) and naming the result. Everything here is the store's own
// machinery (stageLayer, commitLayer, commitImage), used as `pman commit` uses it.
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { NotFoundError, PmanError, systemError } from '../errors.js';
import { packDirectory } from '../archive/pack.js';
import { BlobWriter, readBlob } from '../image/blobs.js';
import { commitImage } from '../image/commit.js';
import { parseConfigBlob, runtimeConfig, type HistoryEntry, type ImageConfigBlob } from '../image/config-blob.js';
import type { ImageRecord } from '../image/image-record.js';
import { rfc3339Nano } from '../format/go-time.js';
import { commitLayer, discardStaged, sweepTmp, type StagedLayer } from '../image/layers.js';
import { ensureStore, storeLockFile, tmpDir } from '../image/layout.js';
import { plainManifest, type ManifestFormat } from '../image/plain-manifest.js';
import { ociArchitecture } from '../image/platform.js';
import { loadImageRecord } from '../image/records.js';
import { normalizeNewName } from '../image/reference.js';
import { layerDirs, resolveImage } from '../image/resolve.js';
import { tagImage } from '../image/tag.js';
import { ensureImage, type PullPolicy } from '../registry/ensure-image.js';
import type { PullOptions } from '../registry/pull.js';
import { withLock } from '../state/lock.js';

export type { HistoryEntry, ImageConfigBlob, ImageRecord };

/** A stage's current image: the record (none for scratch) and its parsed config blob. */
export interface StageImage {
  image: ImageRecord | null;
  doc: ImageConfigBlob;
}

export function nowRfc3339(): string {
  return rfc3339Nano(BigInt(Date.now()) * 1_000_000n);
}

/** The empty image FROM scratch starts with. */
export function scratchImage(): StageImage {
  return { image: null, doc: { architecture: ociArchitecture(), os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [] }, history: [] } };
}

export function imageOf(ctx: Context, image: ImageRecord): StageImage {
  return { image, doc: parseConfigBlob(readBlob(ctx, `sha256:${image.id}`), `the config of image ${image.id.slice(0, 12)}`) };
}

/** FROM's image: local, or pulled as --pull says. */
export async function baseImage(ctx: Context, ref: string, pull?: { policy: PullPolicy; options: Omit<PullOptions, 'reference'> }): Promise<StageImage> {
  const image = pull ? await ensureImage(ctx, ref, pull.policy, pull.options) : resolveImage(ctx, ref);
  return imageOf(ctx, image);
}

/** The image with this ID if the store still has it (a cache entry may outlive it). */
export function findImage(ctx: Context, id: string): ImageRecord | undefined {
  try {
    return loadImageRecord(ctx, id);
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
}

/** Unpacked layer directories of an image, top-most first (for reading its files). */
export function imageLayerDirs(ctx: Context, image: ImageRecord | null): string[] {
  return image ? layerDirs(ctx, image) : [];
}

export interface StepCommit {
  parent: StageImage;
  /** The new config ("config" of the blob). */
  config: Record<string, unknown>;
  history: HistoryEntry;
  /**
   * The new layer: a directory in overlay form (a build container's upper dir, or a plain tree
   * with `overlay` false) that moves into the store as the layer's files; none for a
   * metadata-only step (history gets empty_layer).
   */
  layer?: { dir: string; overlay: boolean };
  /** The manifest to store (build's --format; default oci). */
  format?: ManifestFormat;
}

/** Commits one step's result as an untagged image and returns it. */
export async function commitStep(ctx: Context, step: StepCommit): Promise<StageImage> {
  ensureStore(ctx);
  const created = step.history.created ?? nowRfc3339();
  const base = step.parent.doc;
  const parentRec = step.parent.image;
  const staged = step.layer ? await stageStep(ctx, step.layer) : undefined;
  try {
    const history: HistoryEntry = { ...step.history, created };
    if (!staged) history.empty_layer = true;
    const diffIds = staged ? [...base.rootfs.diff_ids, staged.diffId] : [...base.rootfs.diff_ids];
    const doc: ImageConfigBlob = { ...base, created, config: step.config, rootfs: { type: 'layers', diff_ids: diffIds }, history: [...(base.history ?? []), history] };
    if (history.author !== undefined) doc.author = history.author;
    const configBytes = Buffer.from(JSON.stringify(doc));
    const image = await withLock(storeLockFile(ctx), () => {
      const parentLayers = parentRec?.layers ?? [];
      const layers = [...parentLayers];
      if (staged) {
        layers.push(commitLayer(ctx, staged, parentLayers.length > 0 ? parentLayers[parentLayers.length - 1] : null));
        staged.blob?.commit(ctx);
      }
      return commitImage(ctx, {
        configBytes,
        manifestBytes: plainManifest(ctx, configBytes, layers, step.format),
        names: [],
        fields: {
          created,
          size: (parentRec?.size ?? 0) + (staged?.size ?? 0),
          architecture: parentRec?.architecture ?? String(base.architecture ?? ociArchitecture()),
          os: parentRec?.os ?? String(base.os ?? 'linux'),
          config: runtimeConfig(step.config),
          layers,
          diffIds: staged ? [...(parentRec?.diffIds ?? []), staged.diffId] : [...(parentRec?.diffIds ?? [])],
          ...(parentRec ? { parent: parentRec.id } : {}),
        },
      });
    });
    return { image, doc };
  } finally {
    if (staged) discardStaged(staged);
  }
}

/**
 * Stages a step's layer without unpacking a tar again: the directory is already in the form the
 * store keeps (overlay whiteouts, opaque xattrs), so it is renamed into a staging area and packed
 * once, for the diff ID and the kept blob (which is what save and push send).
 */
async function stageStep(ctx: Context, layer: { dir: string; overlay: boolean }): Promise<StagedLayer> {
  sweepTmp(ctx);
  const work = makeTmpDir(ctx, 'layer-');
  const staged: StagedLayer = { work, layer: path.join(work, 'layer'), diffId: '', size: 0, stats: { entries: 0, bytes: 0, replaced: 0 }, recipe: false };
  try {
    fs.mkdirSync(staged.layer, { mode: 0o700 });
    const diff = path.join(staged.layer, 'diff');
    fs.renameSync(layer.dir, diff);
    fs.chmodSync(diff, 0o755);
    const blob = new BlobWriter(path.join(work, 'blob'));
    staged.blob = blob;
    for await (const chunk of packDirectory(diff, { overlay: layer.overlay ? { rootless: ctx.rootless } : undefined, warn: (m) => ctx.warn(m) })) {
      blob.write(chunk);
      staged.size += chunk.length;
    }
    staged.diffId = blob.close();
    return staged;
  } catch (err) {
    discardStaged(staged);
    if (err instanceof PmanError) throw err;
    throw systemError('store the layer of a build step', err);
  }
}

/** The name an image is stored under for a name given with -t ("app" -> localhost/app:latest). */
export function fullName(name: string): string {
  return normalizeNewName(name);
}

/** Gives the built image its names (taking them from any other image, as tag does). */
export async function nameImage(ctx: Context, id: string, names: string[]): Promise<ImageRecord> {
  if (names.length === 0) return loadImageRecord(ctx, id);
  return tagImage(ctx, id, names);
}

/** A private directory in the store's temp area (a crashed build's is swept like a staged layer's). */
export function makeTmpDir(ctx: Context, prefix: string): string {
  ensureStore(ctx);
  try {
    return fs.mkdtempSync(path.join(tmpDir(ctx), prefix));
  } catch (err) {
    throw systemError(`create a temporary directory in "${tmpDir(ctx)}"`, err);
  }
}
