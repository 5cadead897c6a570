// `pman load`: the images of a docker-archive or oci-archive into the store. All or nothing: every
// layer is unpacked into the temp area and checked (its blob against the digest the archive
// names, its uncompressed tar against the config's diff ID) before the first image is stored.
// Layers the store has already (same chain ID) are neither read nor unpacked again. Layer tars are
// not kept: each layer's recipe rebuilds its tar (tar/recipe.ts), and the image gets the manifest
// of those plain tars (plain-manifest.ts) whatever compression the archive used.
import { createHash, type Hash } from 'node:crypto';
import type { Context } from '../context.js';
import { InvalidArgumentError, PmanError, systemError } from '../errors.js';
import { withLock } from '../state/lock.js';
import { shortId } from '../state/ids.js';
import { ArchiveIndex } from './archive-index.js';
import { archiveInput } from './archive-input.js';
import { planArchive, type PlannedImage, type PlannedLayer } from './archive-plan.js';
import { commitImage } from './commit.js';
import { runtimeConfig } from './config-blob.js';
import type { ImageRecord } from './image-record.js';
import { chainIdsOf, commitLayer, discardStaged, layerExists, readLayerRecord, stageLayer, sweepTmp, type StagedLayer } from './layers.js';
import { ensureStore, storeLockFile } from './layout.js';
import { objectEvent } from '../events/events-file.js';
import { plainManifest } from './plain-manifest.js';

export interface LoadOptions {
  /** The archive file; undefined (or "-") reads standard input. */
  input?: string;
  stdin?: NodeJS.ReadableStream;
}

export interface LoadedImage {
  record: ImageRecord;
  /** The names the archive gave it (the record may hold others too). */
  names: string[];
}

/** Hashes a member as it streams; digest() also hashes whatever the consumer left unread. */
class HashedMember {
  private readonly hash: Hash = createHash('sha256');
  private read = 0;

  constructor(
    private readonly index: ArchiveIndex,
    private readonly member: string,
  ) {}

  async *stream(): AsyncGenerator<Buffer> {
    for await (const chunk of this.index.stream(this.member, 'layer')) {
      this.hash.update(chunk);
      this.read += chunk.length;
      yield chunk;
    }
  }

  async digest(): Promise<string> {
    for await (const chunk of this.index.stream(this.member, 'layer', this.read)) {
      this.hash.update(chunk);
      this.read += chunk.length;
    }
    return `sha256:${this.hash.digest('hex')}`;
  }
}

async function stageVerified(ctx: Context, index: ArchiveIndex, layer: PlannedLayer, where: string): Promise<StagedLayer> {
  const hashed = new HashedMember(index, layer.member);
  let staged: StagedLayer;
  try {
    staged = await stageLayer(ctx, hashed.stream(), { keepBlob: false, reopen: () => index.stream(layer.member, 'layer') });
  } catch (err) {
    if (err instanceof PmanError) throw new PmanError(err.code, `${where}: ${err.message}`, { cause: err, exitCode: err.exitCode });
    throw systemError(`unpack ${where}`, err);
  }
  try {
    if (layer.digest !== undefined) {
      const digest = await hashed.digest();
      if (digest !== layer.digest) throw new InvalidArgumentError(`${where} does not match its digest: expected ${layer.digest}, got ${digest}`);
    }
    if (staged.diffId !== layer.diffId) {
      throw new InvalidArgumentError(`${where} does not match the image config: its uncompressed digest is ${staged.diffId}, the config says ${layer.diffId}`);
    }
  } catch (err) {
    discardStaged(staged);
    throw err;
  }
  ctx.debug(`${where}: unpacked ${staged.stats.entries} entries (${staged.size} bytes), diff ID ${staged.diffId}`);
  return staged;
}

function storeImage(ctx: Context, image: PlannedImage, chains: string[], staged: Map<string, StagedLayer>): ImageRecord {
  let parent: string | null = null;
  for (const chain of chains) {
    const s = staged.get(chain);
    if (s && !layerExists(ctx, chain)) {
      commitLayer(ctx, s, parent);
      s.blob?.commit(ctx);
    } else if (!layerExists(ctx, chain)) {
      throw new PmanError('conflict', `layer ${shortId(chain)} was removed from the store while the archive was loaded; load it again`);
    }
    parent = chain;
  }
  const c = image.config;
  return commitImage(ctx, {
    configBytes: image.configBytes,
    manifestBytes: plainManifest(ctx, image.configBytes, chains),
    names: image.names,
    fields: {
      created: c.created ?? '1970-01-01T00:00:00Z',
      size: chains.reduce((n, ch) => n + readLayerRecord(ctx, ch).size, 0),
      architecture: c.architecture ?? '',
      os: c.os ?? '',
      config: runtimeConfig(c.config),
      layers: chains,
      diffIds: c.rootfs.diff_ids,
    },
  });
}

/** Loads every image of the archive; returns them in archive order. */
export async function loadImages(ctx: Context, opts: LoadOptions): Promise<LoadedImage[]> {
  ensureStore(ctx);
  sweepTmp(ctx);
  const input = await archiveInput(ctx, opts.input, opts.stdin);
  const staged = new Map<string, StagedLayer>();
  let index: ArchiveIndex | undefined;
  try {
    try {
      index = await ArchiveIndex.open(input.file);
      const plan = planArchive(index, (m) => ctx.warn(m));
      const chains = plan.map((img) => chainIdsOf(img.config.rootfs.diff_ids));
      for (const [i, img] of plan.entries()) {
        for (const [j, layer] of img.layers.entries()) {
          const chain = chains[i][j];
          if (staged.has(chain)) continue;
          if (layerExists(ctx, chain)) {
            ctx.debug(`layer ${shortId(chain)} (${layer.member}) is in the store already`);
            continue;
          }
          staged.set(chain, await stageVerified(ctx, index, layer, `layer ${j + 1} of image ${i + 1} ("${layer.member}")`));
        }
      }
      const loaded = await withLock(storeLockFile(ctx), () => plan.map((img, i) => ({ record: storeImage(ctx, img, chains[i], staged), names: img.names })));
      for (const l of loaded) objectEvent(ctx, 'image', 'load', l.record.id, l.names[0]);
      return loaded;
    } catch (err) {
      if (err instanceof PmanError) throw new PmanError(err.code, `cannot load ${input.shown}: ${err.message}`, { cause: err, exitCode: err.exitCode });
      throw systemError(`load ${input.shown}`, err);
    }
  } finally {
    for (const s of staged.values()) discardStaged(s);
    index?.close();
    input.cleanup();
  }
}
