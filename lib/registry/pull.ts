// `pman pull`: from a name to a stored image. The name becomes one or more fully qualified
// candidates (short-names.ts), and for the first that a registry has: manifest (through an index
// for the wanted platform), config, layers (pull-layers.ts), then one commit under the store lock:
// layers, blobs, image record and name. Any failure before that commit leaves the store as it was.
import type { Context } from '../context.js';
import { PmanError } from '../errors.js';
import { formatBytes, TRANSFER_SIZE } from '../format/bytes.js';
import { withLock } from '../state/lock.js';
import { commitImage } from '../image/commit.js';
import type { ImageRecord } from '../image/image-record.js';
import { chainIdsOf, commitLayer, layerExists, readLayerRecord, sweepTmp } from '../image/layers.js';
import { ensureStore, storeLockFile } from '../image/layout.js';
import { formatReference, type Reference } from '../image/reference.js';
import { recordBlobSource } from './blob-sources.js';
import { fetchSmallBlob } from './blob-fetch.js';
import { RegistryClient } from './client.js';
import { resolveManifest } from './fetch-manifest.js';
import { parseImageConfig } from './image-config.js';
import { MAX_MANIFEST_BYTES } from './manifest.js';
import type { RegistryOptions } from './options.js';
import { formatPlatform, normalizePlatform, type WantedPlatform } from './platform.js';
import { silentProgress, type TransferProgress } from './progress.js';
import { loadRegistriesConf, type RegistriesConf } from './registries-conf.js';
import { RegistryError } from './registry-error.js';
import { discardJobs, fetchLayers, planLayers } from './pull-layers.js';
import { objectEvent } from '../events/events-file.js';
import { pullCandidates } from './short-names.js';
import { checkPolicy, dockerScopes, loadPolicy, type Policy } from '../config/policy.js';

export interface PullOptions {
  /** What the user typed: a short or fully qualified name, with an optional tag or digest. */
  reference: string;
  registry: RegistryOptions;
  platform: WantedPlatform;
  /** True when --platform/--arch/--os was given (a single-platform image of another platform is then warned about). */
  platformRequested?: boolean;
  progress?: TransferProgress;
}

export interface PullResult {
  image: ImageRecord;
  /** The fully qualified reference that was pulled. */
  reference: string;
  /** Digest of the image manifest stored. */
  manifestDigest: string;
  layers: number;
  downloaded: number;
  bytes: number;
}

const DEFAULT_PARALLEL = 3;

export async function pullImage(ctx: Context, opts: PullOptions): Promise<PullResult> {
  const conf = loadRegistriesConf(opts.registry.registriesConf);
  const { refs } = pullCandidates(opts.reference, conf);
  const policy = loadPolicy(opts.registry.signaturePolicy);
  const progress = opts.progress ?? silentProgress;
  const errors: RegistryError[] = [];
  for (const ref of refs) {
    try {
      const pulled = await pullOne(ctx, ref, conf, opts, progress, policy);
      objectEvent(ctx, 'image', 'pull', pulled.image.id, pulled.reference);
      return pulled;
    } catch (err) {
      const canTryNext = err instanceof RegistryError && (err.kind === 'not-found' || err.kind === 'unreachable' || err.kind === 'auth' || err.kind === 'denied');
      if (refs.length === 1 || !canTryNext) {
        if (err instanceof PmanError) throw rewrap(err, `cannot pull "${opts.reference}": ${err.message}`);
        throw err;
      }
      errors.push(err);
    }
  }
  const kind = errors.every((e) => e.kind === 'not-found') ? 'not-found' : errors[errors.length - 1].kind;
  throw new RegistryError(kind, `cannot pull "${opts.reference}": tried ${refs.length} registries: ${errors.map((e) => e.message).join('; ')}`);
}

function rewrap(err: PmanError, message: string): PmanError {
  if (err instanceof RegistryError) return new RegistryError(err.kind, message, { cause: err, status: err.status });
  return new PmanError(err.code, message, { cause: err, exitCode: err.exitCode });
}

async function pullOne(ctx: Context, ref: Reference, conf: RegistriesConf, opts: PullOptions, progress: TransferProgress, policy: Policy | undefined): Promise<PullResult> {
  const started = Date.now();
  const text = formatReference({ ...ref, tag: ref.tag ?? (ref.digest ? undefined : 'latest') });
  checkPolicy(policy, 'docker', dockerScopes(ref.domain, ref.path, ref.tag, ref.digest), `pulling "${text}"`);
  progress.note(`Trying to pull ${text}...`);
  const client = new RegistryClient(ctx, ref.domain, opts.registry, conf, `${ref.domain}/${ref.path}`);
  const want = normalizePlatform(opts.platform);
  const { manifest } = await resolveManifest(client, ref.path, ref.digest ?? ref.tag ?? 'latest', want);
  const configBytes = await fetchSmallBlob(client, ref.path, manifest.config, MAX_MANIFEST_BYTES, 'image config');
  const cfg = parseImageConfig(configBytes, text, manifest.layers.length);
  if (opts.platformRequested && cfg.os && cfg.architecture) {
    const got = normalizePlatform({ os: cfg.os, architecture: cfg.architecture, variant: cfg.variant });
    if (got.os !== want.os || got.architecture !== want.architecture) {
      ctx.warn(`image platform (${formatPlatform(got)}) does not match the expected platform (${formatPlatform(want)})`);
    }
  }
  progress.note('Getting image source signatures');
  ensureStore(ctx);
  sweepTmp(ctx);
  const chainIds = chainIdsOf(cfg.diffIds);
  const jobs = planLayers(ctx, manifest.layers, chainIds, cfg.diffIds);
  await fetchLayers(ctx, client, ref.path, jobs, progress, opts.registry.parallel ?? DEFAULT_PARALLEL);
  progress.blob(manifest.config.digest, manifest.config.size, 'done', 'config');
  progress.note('Writing manifest to image destination');
  let image: ImageRecord;
  try {
    image = await withLock(storeLockFile(ctx), () => {
      let size = 0;
      jobs.forEach((job, i) => {
        const parent = i === 0 ? null : chainIds[i - 1];
        if (job.staged) {
          const id = commitLayer(ctx, job.staged, parent);
          if (id !== job.chainId) throw new RegistryError('invalid', `layer ${job.desc.digest} committed as ${id}, expected ${job.chainId}`);
          size += job.staged.size;
        } else {
          if (!layerExists(ctx, job.chainId)) {
            throw new RegistryError('server', `layer ${job.chainId.slice(0, 12)} was removed from the store while pulling; pull again`);
          }
          size += readLayerRecord(ctx, job.chainId).size;
        }
        job.blob?.commit(ctx);
      });
      const names = ref.tag !== undefined || ref.digest === undefined ? [`${ref.domain}/${ref.path}:${ref.tag ?? 'latest'}`] : [];
      return commitImage(ctx, {
        configBytes,
        manifestBytes: manifest.bytes,
        names,
        fields: { created: cfg.created, size, architecture: cfg.architecture, os: cfg.os, config: cfg.config, layers: chainIds, diffIds: cfg.diffIds },
      });
    });
  } finally {
    discardJobs(jobs);
  }
  recordBlobSource(ctx, [manifest.config.digest, ...manifest.layers.map((l) => l.digest)], `${ref.domain}/${ref.path}`);
  const fetched = jobs.filter((j) => j.mode !== 'exists');
  const bytes = fetched.reduce((n, j) => n + j.desc.size, 0);
  const secs = (Date.now() - started) / 1000;
  progress.finish(
    `Pulled ${text}: ${jobs.length} layer${jobs.length === 1 ? '' : 's'}, ${fetched.length} downloaded (${formatBytes(bytes, TRANSFER_SIZE)}), ${jobs.length - fetched.length} already present, in ${secs.toFixed(1)}s`,
  );
  return { image, reference: text, manifestDigest: manifest.digest, layers: jobs.length, downloaded: fetched.length, bytes };
}
