// A stored image as the blobs a destination receives (save, push to dir:/oci:/archives): its
// manifest, config and layers, each with the digest and size the manifest names and a stream
// verified against that digest. The stored manifest goes out byte for byte when its blobs are all
// here and nothing is converted, so the image keeps its manifest digest; otherwise a manifest is
// made for the layers pman can always produce (the plain tars), gzipped when asked (dir:
// --compress), in the format asked (docker schema 2 or OCI). The config is never changed: the
// image keeps its ID.
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { createGzip } from 'node:zlib';
import type { Context } from '../../context.js';
import { CorruptStateError } from '../../errors.js';
import { hasBlob, readBlob, sha256Digest } from '../blobs.js';
import type { ImageRecord } from '../image-record.js';
import { layerTar, type LayerTar } from '../layer-tar.js';
import { blobPath, tmpDir } from '../layout.js';
import { imageManifest, manifestFormatOf, MEDIA_TYPES, type ManifestFormat, type ManifestLayer } from '../plain-manifest.js';

export interface ExportBlob {
  digest: string;
  size: number;
  open(): AsyncIterable<Buffer>;
}

export interface ExportOptions {
  /** Convert to this manifest format; undefined: as stored. */
  format?: ManifestFormat;
  /** gzip the layers that are plain tars (dir: --compress). */
  compress?: boolean;
}

export interface ExportedImage {
  manifest: Buffer;
  digest: string;
  mediaType: string;
  config: ExportBlob;
  layers: ExportBlob[];
  /** Removes the temporary files of compressed layers. */
  cleanup(): void;
}

interface StoredLayer {
  mediaType?: string;
  digest: string;
  size?: number;
}

/** The stored manifest's layers, when the manifest is one pman can hand out for this image. */
function manifestLayers(ctx: Context, image: ImageRecord): { mediaType?: string; layers: StoredLayer[] } | undefined {
  try {
    const m = JSON.parse(readBlob(ctx, image.digest).toString('utf8')) as { mediaType?: string; config?: { digest?: string }; layers?: StoredLayer[] };
    if (m.config?.digest !== `sha256:${image.id}` || !Array.isArray(m.layers) || m.layers.length !== image.layers.length) return undefined;
    return { mediaType: m.mediaType, layers: m.layers };
  } catch {
    return undefined;
  }
}

/** Every layer of the image as its exact tar; throws now when one cannot be produced. */
export function layerTars(ctx: Context, image: ImageRecord): LayerTar[] {
  const stored = manifestLayers(ctx, image)?.layers;
  return image.layers.map((chain, i) => layerTar(ctx, chain, stored?.[i] ? [stored[i].digest] : []));
}

function readStream(file: string): AsyncIterable<Buffer> {
  return fs.createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>;
}

/** A file's bytes, verified against the digest as they stream. */
function verifiedFile(file: string, digest: string, what: string): ExportBlob {
  return {
    digest,
    size: fs.statSync(file).size,
    async *open() {
      const hash = createHash('sha256');
      for await (const chunk of readStream(file)) {
        hash.update(chunk);
        yield chunk;
      }
      if (`sha256:${hash.digest('hex')}` !== digest) throw new CorruptStateError(`${what} ${digest} does not match its digest; remove the image and load or pull it again`);
    },
  };
}

function bytesBlob(bytes: Buffer): ExportBlob {
  return {
    digest: sha256Digest(bytes),
    size: bytes.length,
    async *open() {
      yield bytes;
    },
  };
}

const GZIP_MEDIA_TYPES = new Set([MEDIA_TYPES.oci.gzipLayer, MEDIA_TYPES.docker.gzipLayer]);

/** A layer tar gzipped into a temporary file (its digest must be known before the manifest). */
async function gzipped(tar: LayerTar, file: string): Promise<ExportBlob> {
  const gzip = createGzip();
  const out = fs.createWriteStream(file, { flags: 'wx', mode: 0o600 });
  const hash = createHash('sha256');
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
    gzip.on('error', reject);
  });
  gzip.on('data', (chunk: Buffer) => hash.update(chunk));
  gzip.pipe(out);
  try {
    for await (const chunk of tar.open()) {
      // (a write error ends the wait too, through done)
      if (!gzip.write(chunk)) await Promise.race([new Promise((r) => gzip.once('drain', r)), done]);
    }
    gzip.end();
    await done;
  } catch (err) {
    // A layer that fails its check mid-way: close both streams (the caller removes the file).
    done.catch(() => undefined);
    gzip.destroy();
    out.destroy();
    throw err;
  }
  return verifiedFile(file, `sha256:${hash.digest('hex')}`, 'the compressed layer');
}

export async function exportImage(ctx: Context, image: ImageRecord, opts: ExportOptions = {}): Promise<ExportedImage> {
  const configBytes = readBlob(ctx, `sha256:${image.id}`);
  const config = bytesBlob(configBytes);
  const stored = manifestLayers(ctx, image);
  const storedFormat = manifestFormatOf(stored?.mediaType);
  const format = opts.format ?? storedFormat;
  const asStored =
    stored !== undefined &&
    format === storedFormat &&
    stored.layers.every((l) => hasBlob(ctx, l.digest)) &&
    (!opts.compress || stored.layers.every((l) => GZIP_MEDIA_TYPES.has(l.mediaType ?? '')));
  if (asStored) {
    const manifest = readBlob(ctx, image.digest);
    const layers = stored.layers.map((l) => verifiedFile(blobPath(ctx, l.digest), l.digest, 'the stored blob'));
    return { manifest, digest: image.digest, mediaType: MEDIA_TYPES[format].manifest, config, layers, cleanup: () => undefined };
  }
  const tars = layerTars(ctx, image);
  const temps: string[] = [];
  const cleanup = () => {
    for (const t of temps) fs.rmSync(t, { force: true });
  };
  try {
    const layers: Array<ExportBlob & ManifestLayer> = [];
    for (const [i, tar] of tars.entries()) {
      if (opts.compress) {
        const file = path.join(tmpDir(ctx), `gzip-${process.pid}-${Date.now()}-${i}`);
        temps.push(file);
        layers.push({ ...(await gzipped(tar, file)), gzip: true });
      } else layers.push({ digest: tar.diffId, size: tar.size, open: tar.open });
    }
    const manifest = imageManifest(format, configBytes, layers);
    return { manifest, digest: sha256Digest(manifest), mediaType: MEDIA_TYPES[format].manifest, config, layers, cleanup };
  } catch (err) {
    cleanup();
    throw err;
  }
}
