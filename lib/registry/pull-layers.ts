// Bringing an image's layers into the store's staging area: each missing layer is downloaded,
// written to a temp blob and unpacked in one pass (the stream is hashed for its digest on the way
// in and for its diff ID on the way out), several layers at a time. Layers already in the store
// are skipped. Nothing becomes visible here: the caller commits everything at once, or discards.
import type { Context } from '../context.js';
import { PmanError } from '../errors.js';
import { hasBlob } from '../image/blobs.js';
import { discardStaged, layerExists, stageLayer, type StagedLayer } from '../image/layers.js';
import { BlobFile, teeInto } from './blob-file.js';
import { fetchBlob } from './blob-fetch.js';
import type { RegistryClient } from './client.js';
import { LAYER_TYPES, type Descriptor } from './manifest.js';
import type { TransferProgress } from './progress.js';
import { RegistryError } from './registry-error.js';

export interface LayerJob {
  desc: Descriptor;
  chainId: string;
  diffId: string;
  /** exists: layer and blob are in the store; blob: only the blob is missing; full: both. */
  mode: 'exists' | 'blob' | 'full';
  staged?: StagedLayer;
  blob?: BlobFile;
}

export function planLayers(ctx: Context, layers: Descriptor[], chainIds: string[], diffIds: string[]): LayerJob[] {
  return layers.map((desc, i) => {
    if (!LAYER_TYPES.has(desc.mediaType)) {
      throw new RegistryError('invalid', `layer ${desc.digest} has an unsupported media type "${desc.mediaType}"`);
    }
    const have = layerExists(ctx, chainIds[i]);
    const mode = have && hasBlob(ctx, desc.digest) ? 'exists' : have ? 'blob' : 'full';
    return { desc, chainId: chainIds[i], diffId: diffIds[i], mode };
  });
}

class Cancelled extends Error {}

async function runJob(ctx: Context, client: RegistryClient, repoPath: string, job: LayerJob, progress: TransferProgress, cancelled: () => Error | undefined): Promise<void> {
  const { desc } = job;
  progress.blob(desc.digest, desc.size, 'downloading');
  job.blob = new BlobFile(ctx, desc.digest);
  const src = teeInto(
    fetchBlob(client, repoPath, desc, { onBytes: (n) => progress.bytes(desc.digest, n), debug: (m) => ctx.debug(m) }),
    job.blob,
    cancelled,
  );
  if (job.mode === 'blob') {
    for await (const _ of src) {
      /* written by the tee */
    }
  } else {
    try {
      job.staged = await stageLayer(ctx, src, { keepBlob: false });
    } catch (err) {
      if (err instanceof RegistryError || err instanceof Cancelled) throw err;
      if (err instanceof PmanError) throw new RegistryError('invalid', `cannot unpack layer ${desc.digest}: ${err.message}`, { cause: err });
      throw err;
    }
    if (job.staged.diffId !== job.diffId) {
      throw new RegistryError('invalid', `layer ${desc.digest} does not match the image config: its content has diff ID ${job.staged.diffId}, the config says ${job.diffId}`);
    }
  }
  await job.blob.close();
  progress.blob(desc.digest, desc.size, 'done');
}

/** Downloads and stages every job that needs it, `parallel` at a time; on failure discards all and throws the first error. */
export async function fetchLayers(
  ctx: Context,
  client: RegistryClient,
  repoPath: string,
  jobs: LayerJob[],
  progress: TransferProgress,
  parallel: number,
): Promise<void> {
  for (const j of jobs) progress.blob(j.desc.digest, j.desc.size, j.mode === 'exists' ? 'exists' : 'waiting');
  const queue = jobs.filter((j) => j.mode !== 'exists');
  let failure: unknown;
  const cancelled = () => (failure !== undefined ? new Cancelled('cancelled') : undefined);
  const worker = async () => {
    for (let job = queue.shift(); job && failure === undefined; job = queue.shift()) {
      try {
        await runJob(ctx, client, repoPath, job, progress, cancelled);
      } catch (err) {
        if (failure === undefined && !(err instanceof Cancelled)) failure = err;
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, queue.length)) }, worker));
  if (failure !== undefined) {
    discardJobs(jobs);
    throw failure;
  }
}

export function discardJobs(jobs: LayerJob[]): void {
  for (const j of jobs) {
    if (j.staged) discardStaged(j.staged);
    j.blob?.discard();
    j.staged = undefined;
    j.blob = undefined;
  }
}
