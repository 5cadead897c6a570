// `pman push`: a local image to a registry repository. Blobs first (config and layers, several at
// a time; each skipped when the repository has it, mounted when the registry has it elsewhere,
// uploaded otherwise), the manifest last, with the exact bytes stored locally, so the digest the
// registry reports is the local one.
import type { Context } from '../context.js';
import { InvalidArgumentError, PmanError } from '../errors.js';
import { formatBytes, TRANSFER_SIZE } from '../format/bytes.js';
import { hasBlob, readBlob } from '../image/blobs.js';
import { materializeLayerBlobs } from '../image/layer-tar.js';
import { blobPath } from '../image/layout.js';
import { LOCAL_DOMAIN, parseReference } from '../image/reference.js';
import { lookupImage } from '../image/resolve.js';
import { blobSources, recordBlobSource } from './blob-sources.js';
import { blobExists, mountBlob, uploadBlob } from './blob-upload.js';
import { RegistryClient, pushScope } from './client.js';
import { discard } from './http.js';
import { parseManifest, type Descriptor } from './manifest.js';
import type { RegistryOptions } from './options.js';
import { silentProgress, type TransferProgress } from './progress.js';
import { loadRegistriesConf } from './registries-conf.js';
import { objectEvent } from '../events/events-file.js';
import { RegistryError, unexpectedStatus } from './registry-error.js';

export interface PushOptions {
  /** The local image (name, ID or digest). */
  source: string;
  /** Where to (default: the name the source matched); "docker://" is accepted and dropped. */
  destination?: string;
  registry: RegistryOptions;
  progress?: TransferProgress;
  /** Blobs larger than this are uploaded in chunks of this size (default 64 MiB). */
  chunkSize?: number;
}

export interface PushResult {
  reference: string;
  /** The manifest digest. */
  digest: string;
  uploaded: number;
  skipped: number;
}

const DEFAULT_CHUNK = 64 * 1024 * 1024;

function destinationOf(opts: PushOptions, matchedName: string | undefined): string {
  let dest = opts.destination ?? matchedName ?? opts.source;
  if (dest.includes('://')) {
    if (!dest.startsWith('docker://')) throw new InvalidArgumentError(`cannot push to "${dest}": only registry destinations (docker://) are supported`);
    dest = dest.slice('docker://'.length);
  }
  return dest;
}

export async function pushImage(ctx: Context, opts: PushOptions): Promise<PushResult> {
  const { image, name } = lookupImage(ctx, opts.source);
  const destText = destinationOf(opts, name);
  const dest = parseReference(destText);
  if (dest.short || dest.domain === LOCAL_DOMAIN) {
    throw new InvalidArgumentError(`cannot push to "${destText}": give a destination with a registry, e.g. pman push ${opts.source} REGISTRY/NAME:TAG`);
  }
  if (dest.digest !== undefined) throw new InvalidArgumentError(`cannot push to "${destText}": a destination cannot name a digest; give a tag`);
  const tag = dest.tag ?? 'latest';
  const repo = `${dest.domain}/${dest.path}`;
  const where = `${repo}:${tag}`;
  const progress = opts.progress ?? silentProgress;
  try {
    const manifestBytes = readBlob(ctx, image.digest);
    const manifest = parseManifest(manifestBytes, undefined, `stored manifest of image ${image.id.slice(0, 12)}`);
    if (manifest.kind !== 'image') throw new PmanError('corrupt-state', `stored manifest of image ${image.id.slice(0, 12)} is an index`);
    const blobs: Descriptor[] = [...manifest.layers, manifest.config];
    // Loaded images keep their layers as recipes, not tars: write the tars their manifest names.
    await materializeLayerBlobs(ctx, image, manifest.layers.map((l) => l.digest));
    for (const b of blobs) {
      if (!hasBlob(ctx, b.digest)) {
        throw new PmanError('corrupt-state', `image ${image.id.slice(0, 12)} cannot be pushed: its blob ${b.digest} is not in the local store; pull the image again`);
      }
    }
    const conf = loadRegistriesConf(opts.registry.registriesConf);
    const client = new RegistryClient(ctx, dest.domain, opts.registry, conf, repo);
    progress.note('Getting image source signatures');
    let uploaded = 0;
    let skipped = 0;
    const queue = [...blobs];
    let failure: unknown;
    const worker = async () => {
      for (let b = queue.shift(); b && failure === undefined; b = queue.shift()) {
        const kind = b === manifest.config ? 'config' : 'blob';
        try {
          const state = await pushBlob(ctx, client, dest.domain, dest.path, b, opts.chunkSize ?? DEFAULT_CHUNK, progress, kind);
          if (state === 'uploaded') uploaded++;
          else skipped++;
        } catch (err) {
          failure ??= err;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(opts.registry.parallel ?? 3, queue.length) }, worker));
    if (failure !== undefined) throw failure;
    progress.note('Writing manifest to image destination');
    const res = await client.request('PUT', `/v2/${dest.path}/manifests/${tag}`, {
      scopes: [pushScope(dest.path)],
      headers: { 'Content-Type': manifest.mediaType, 'Content-Length': String(manifestBytes.length) },
      body: manifestBytes,
    });
    if (res.status !== 201) throw await unexpectedStatus(res, `cannot store the manifest in ${where}`);
    discard(res);
    const claimed = res.headers['docker-content-digest'];
    if (typeof claimed === 'string' && claimed !== manifest.digest) {
      throw new RegistryError('invalid', `${where} stored the manifest under digest ${claimed}, not ${manifest.digest}`);
    }
    recordBlobSource(ctx, blobs.map((b) => b.digest), repo);
    progress.finish(`Pushed ${where}@${manifest.digest}: ${uploaded} blob${uploaded === 1 ? '' : 's'} uploaded, ${skipped} already there`);
    objectEvent(ctx, 'image', 'push', image.id, where);
    return { reference: where, digest: manifest.digest, uploaded, skipped };
  } catch (err) {
    if (err instanceof RegistryError) throw new RegistryError(err.kind, `cannot push to "${where}": ${err.message}`, { cause: err, status: err.status });
    if (err instanceof PmanError) throw new PmanError(err.code, `cannot push to "${where}": ${err.message}`, { cause: err, exitCode: err.exitCode });
    throw err;
  }
}

async function pushBlob(
  ctx: Context,
  client: RegistryClient,
  domain: string,
  repoPath: string,
  b: Descriptor,
  chunkSize: number,
  progress: TransferProgress,
  kind: 'blob' | 'config',
): Promise<'uploaded' | 'skipped'> {
  if (await blobExists(client, repoPath, b.digest)) {
    progress.blob(b.digest, b.size, 'exists', kind);
    return 'skipped';
  }
  for (const source of blobSources(ctx, b.digest)) {
    const slash = source.indexOf('/');
    const srcDomain = source.slice(0, slash);
    const srcPath = source.slice(slash + 1);
    if (srcDomain !== domain || srcPath === repoPath) continue;
    if (await mountBlob(client, repoPath, b.digest, srcPath)) {
      progress.blob(b.digest, b.size, 'mounted', kind);
      return 'skipped';
    }
  }
  progress.blob(b.digest, b.size, 'uploading', kind);
  await uploadBlob(client, repoPath, b.digest, b.size, blobPath(ctx, b.digest), { chunkSize, onBytes: (n) => progress.bytes(b.digest, n) });
  progress.blob(b.digest, b.size, 'done', kind);
  ctx.debug(`uploaded ${b.digest} (${formatBytes(b.size, TRANSFER_SIZE)})`);
  return 'uploaded';
}
