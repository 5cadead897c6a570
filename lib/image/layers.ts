// Unpacked layers, one directory per chain ID, shared by every image whose stack starts with the
// same layers. A layer is unpacked into a private temp directory first and renamed into place
// under the store lock, so a layer directory that exists is always complete.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { systemError } from '../errors.js';
import { readJsonValidated, writeJsonAtomic } from '../state/atomic.js';
import { decompress } from '../archive/decompress.js';
import { extractTar, type ExtractStats } from '../archive/extract.js';
import { RecipeRecorder } from '../archive/recipe.js';
import { CorruptStateError } from '../errors.js';
import { BlobWriter } from './blobs.js';
import { validateLayerRecord, type LayerRecord } from './image-record.js';
import { layerDir, layersDir, tmpDir } from './layout.js';
import { failpoint } from '../util/failpoint.js';

/** Chain IDs (64 hex) for diff IDs ("sha256:…"), bottom → top, as the OCI config spec defines them. */
export function chainIdsOf(diffIds: string[]): string[] {
  const out: string[] = [];
  let chain: string | undefined;
  for (const diffId of diffIds) {
    chain = chain === undefined ? diffId : `sha256:${createHash('sha256').update(`${chain} ${diffId}`).digest('hex')}`;
    out.push(chain.slice('sha256:'.length));
  }
  return out;
}

/** layers/<chainId>/<RECIPE_FILE>: how to rebuild the layer tar from diff/ (tar/recipe.ts). */
export const RECIPE_FILE = 'tar-recipe.gz';

export function layerRecipePath(ctx: Context, chainId: string): string {
  return path.join(layerDir(ctx, chainId), RECIPE_FILE);
}

export { layerDiffDir } from './layout.js';

export function layerExists(ctx: Context, chainId: string): boolean {
  return fs.existsSync(path.join(layerDir(ctx, chainId), 'layer.json'));
}

export function readLayerRecord(ctx: Context, chainId: string): LayerRecord {
  return readJsonValidated(path.join(layerDir(ctx, chainId), 'layer.json'), validateLayerRecord, `layer ${chainId.slice(0, 12)} record`);
}

/** A layer unpacked into the store's temp area, not yet visible to anyone. */
export interface StagedLayer {
  /** The temp directory holding everything below; removed by discardStaged. */
  work: string;
  /** work/layer: becomes layers/<chainId> (holds diff/). */
  layer: string;
  /** "sha256:…" of the uncompressed tar. */
  diffId: string;
  /** Bytes of the uncompressed tar. */
  size: number;
  stats: ExtractStats;
  /** The uncompressed tar, kept when asked for (import stores it as the layer blob) or when the recipe cannot rebuild it. */
  blob?: BlobWriter;
  /** True when layer/<RECIPE_FILE> can rebuild the tar (false when the archive replaced its own entries). */
  recipe: boolean;
}

export interface StageOptions {
  /** Keep the uncompressed tar as a blob whatever happens. */
  keepBlob: boolean;
  /**
   * Opens the same input again, to store the tar as a blob in the rare case the recipe cannot
   * rebuild it (an archive that replaces its own entries). Callers that keep the original
   * (compressed) blob anyway, as pull does, need not give it: save decompresses that blob.
   */
  reopen?: () => AsyncIterable<Uint8Array | string>;
}

/** Copies the decompressed input into a blob file; it must have the digest seen while unpacking. */
async function copyBlob(input: AsyncIterable<Uint8Array | string>, file: string, diffId: string): Promise<BlobWriter> {
  const blob = new BlobWriter(file);
  try {
    for await (const chunk of decompress(input)) blob.write(chunk);
    const digest = blob.close();
    if (digest !== diffId) throw new CorruptStateError(`the layer data changed while it was read (${diffId} the first time, ${digest} the second)`);
    return blob;
  } catch (err) {
    blob.abort();
    throw err;
  }
}

/**
 * Decompresses and unpacks a layer archive into a temp directory, hashing the uncompressed
 * stream for its diff ID. On failure nothing is left behind.
 */
export async function stageLayer(ctx: Context, input: AsyncIterable<Uint8Array | string>, opts: StageOptions): Promise<StagedLayer> {
  let work: string;
  try {
    work = fs.mkdtempSync(path.join(tmpDir(ctx), 'layer-'));
  } catch (err) {
    throw systemError(`create a temporary directory in "${tmpDir(ctx)}"`, err);
  }
  const layer = path.join(work, 'layer');
  const diff = path.join(layer, 'diff');
  const hash = createHash('sha256');
  let size = 0;
  let blob: BlobWriter | undefined;
  let recorder: RecipeRecorder | undefined;
  async function* tap(src: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of src) {
      hash.update(chunk);
      size += chunk.length;
      blob?.write(chunk);
      yield chunk;
    }
  }
  const stream = tap(decompress(input));
  try {
    fs.mkdirSync(diff, { recursive: true, mode: 0o700 });
    fs.chmodSync(diff, 0o755);
    if (opts.keepBlob) blob = new BlobWriter(path.join(work, 'blob'));
    recorder = new RecipeRecorder(path.join(layer, RECIPE_FILE));
    const stats = await extractTar(stream, diff, { rootless: ctx.rootless, warn: (m) => ctx.warn(m), recorder });
    const diffId = `sha256:${hash.digest('hex')}`;
    const recipe = stats.replaced === 0;
    if (recipe) recorder.finish();
    else {
      ctx.debug(`layer ${diffId}: its archive replaces its own entries, so no recipe can rebuild it`);
      recorder.abort();
    }
    if (!recipe && !blob && opts.reopen) blob = await copyBlob(opts.reopen(), path.join(work, 'blob'), diffId);
    return { work, layer, diffId, size, stats, blob, recipe };
  } catch (err) {
    await stream.return(undefined).catch(() => undefined);
    recorder?.abort();
    blob?.abort();
    removeTree(work);
    throw err;
  }
}

/**
 * Makes a staged layer part of the store (call with the store lock held). If a layer with the
 * same chain ID exists, it is the same content and the staged copy is dropped.
 */
export function commitLayer(ctx: Context, staged: StagedLayer, parent: string | null): string {
  const chainId = chainIdsOf(parent === null ? [staged.diffId] : [`sha256:${parent}`, staged.diffId]).pop() as string;
  if (layerExists(ctx, chainId)) return chainId;
  const record: LayerRecord = { chainId, diffId: staged.diffId, parent, size: staged.size, created: new Date().toISOString() };
  try {
    writeJsonAtomic(path.join(staged.layer, 'layer.json'), record);
    // A directory without layer.json is a leftover of a crash: replace it.
    fs.rmSync(layerDir(ctx, chainId), { recursive: true, force: true });
    fs.renameSync(staged.layer, layerDir(ctx, chainId));
    failpoint('image.after-layer');
  } catch (err) {
    throw systemError(`store layer ${chainId.slice(0, 12)} in "${layersDir(ctx)}"`, err);
  }
  return chainId;
}

export function discardStaged(staged: StagedLayer): void {
  staged.blob?.abort();
  removeTree(staged.work);
}

/**
 * Takes a path out of the store at once: renamed into the temp area as `deleting-TAG-PID-MS`, to be
 * deleted by removeTree or removeTreeAsync (or, if this process dies first, by sweepTmp and
 * `system check --repair` once it is 10 minutes old). Returns where it went; undefined if it was
 * not there.
 */
export function retire(ctx: Context, p: string, tag: string): string | undefined {
  const doomed = path.join(tmpDir(ctx), `deleting-${tag}-${process.pid}-${Date.now()}`);
  try {
    fs.renameSync(p, doomed);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw systemError(`remove "${p}"`, err);
  }
  return doomed;
}

/** Takes a layer directory out of the store (retire), to be deleted by the caller. */
export function retireLayer(ctx: Context, chainId: string): string | undefined {
  return retire(ctx, layerDir(ctx, chainId), chainId);
}

/** Removes a layer directory: renamed away first, so it vanishes atomically from the store. */
export function removeLayer(ctx: Context, chainId: string): void {
  const doomed = retireLayer(ctx, chainId);
  if (doomed !== undefined) removeTree(doomed);
}

/** Staged work untouched this long is a leftover of a crashed pman, not an import in progress. */
const STALE_STAGING_MS = 24 * 60 * 60 * 1000;
/** A layer renamed away for deletion this long ago was abandoned by a crashed rmi. */
const STALE_DELETING_MS = 10 * 60 * 1000;

/** Removes what crashed commands left in the store's temp area (half-deleted and stale staged layers). */
export function sweepTmp(ctx: Context, now = Date.now()): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(tmpDir(ctx));
  } catch {
    return;
  }
  for (const name of entries) {
    const p = path.join(tmpDir(ctx), name);
    try {
      // ctime: rename updates it, so it tells when a layer was moved here.
      const age = now - fs.lstatSync(p).ctimeMs;
      if (age > (name.startsWith('deleting-') ? STALE_DELETING_MS : STALE_STAGING_MS)) removeTree(p);
    } catch (err) {
      ctx.debug(`cannot sweep "${p}": ${(err as Error).message}`);
    }
  }
}

/**
 * removeTree with the directory's entries deleted several at a time (libuv's thread pool): deleting a
 * file waits on the disk when the filesystem discards its blocks (ext4 mounted with `discard`),
 * and a few deletions waiting together take little longer than one. A layer of 3,000 small files
 * went 3-15 times faster so (docs/performance.md, "Removing images"). Falls back to removeTree
 * for what it cannot delete (directories an unprivileged user cannot write).
 */
export async function removeTreeAsync(p: string): Promise<void> {
  try {
    await fs.promises.rm(p, { recursive: true, force: true });
  } catch {
    removeTree(p);
  }
}

/**
 * rm -rf that also copes with directories an unpacked layer made unwritable (0555 and the like),
 * which stop an unprivileged user from deleting their content.
 */
export function removeTree(p: string): void {
  try {
    fs.rmSync(p, { recursive: true, force: true });
    return;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EACCES' && code !== 'EPERM') throw systemError(`remove "${p}"`, err);
  }
  const open = (dir: string): void => {
    try {
      fs.chmodSync(dir, 0o700);
      for (const d of fs.readdirSync(dir, { withFileTypes: true })) if (d.isDirectory()) open(path.join(dir, d.name));
    } catch {
      /* best effort; rmSync below reports what is left */
    }
  };
  open(p);
  try {
    fs.rmSync(p, { recursive: true, force: true });
  } catch (err) {
    throw systemError(`remove "${p}"`, err);
  }
}
