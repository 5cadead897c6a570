// `pman save`: local images as a docker-archive (podman's default: manifest.json, <config>.json,
// <diffid>.tar per layer, as podman and docker write it) or an oci-archive (oci-layout, index.json,
// blobs/sha256/*). Layers go out as the exact tars their diff IDs name, so the image keeps its ID
// wherever it is loaded. Everything is resolved before the first byte is written.
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import type { Context } from '../context.js';
import { CorruptStateError, InvalidArgumentError } from '../errors.js';
import { encodeEntry, encodeHeader, END_OF_ARCHIVE, bodyPadding } from '../archive/writer.js';
import { readBlob, hasBlob } from './blobs.js';
import type { ImageRecord } from './image-record.js';
import { MEDIA_TYPE_CONFIG, MEDIA_TYPE_LAYER_TAR, MEDIA_TYPE_MANIFEST } from './import.js';
import { layerTar, type LayerTar } from './layer-tar.js';
import { blobPath } from './layout.js';
import { normalizeNewName } from './reference.js';
import { objectEvent } from '../events/events-file.js';
import { lookupImage } from './resolve.js';

export type SaveFormat = 'docker-archive' | 'oci-archive';
export const SAVE_FORMATS: SaveFormat[] = ['docker-archive', 'oci-archive'];

export interface SaveOptions {
  refs: string[];
  format: SaveFormat;
  /** -m: every reference is an image; otherwise the first is the image and the rest are more names for it. */
  multiImage: boolean;
}

interface SavedImage {
  image: ImageRecord;
  names: string[];
}

interface Blob {
  digest: string;
  size: number;
  open(): AsyncIterable<Buffer>;
}

const HEADER = { mode: 0o444, uid: 0, gid: 0, mtime: 0 };

function manifestLayers(ctx: Context, image: ImageRecord): Array<{ mediaType?: string; digest: string; size?: number }> | undefined {
  try {
    const m = JSON.parse(readBlob(ctx, image.digest).toString('utf8')) as { config?: { digest?: string }; layers?: Array<{ mediaType?: string; digest: string; size?: number }> };
    if (m.config?.digest !== `sha256:${image.id}` || !Array.isArray(m.layers) || m.layers.length !== image.layers.length) return undefined;
    return m.layers;
  } catch {
    return undefined;
  }
}

function layerTars(ctx: Context, image: ImageRecord): LayerTar[] {
  const stored = manifestLayers(ctx, image);
  return image.layers.map((chain, i) => layerTar(ctx, chain, stored?.[i] ? [stored[i].digest] : []));
}

/** A stored blob, verified as it streams. */
function storedBlob(ctx: Context, digest: string): Blob {
  const file = blobPath(ctx, digest);
  const size = fs.statSync(file).size;
  return {
    digest,
    size,
    async *open() {
      const hash = createHash('sha256');
      for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
        hash.update(chunk);
        yield chunk;
      }
      if (`sha256:${hash.digest('hex')}` !== digest) throw new CorruptStateError(`the stored blob ${digest} does not match its digest; remove the image and load or pull it again`);
    },
  };
}

function resolveImages(ctx: Context, opts: SaveOptions): SavedImage[] {
  if (opts.refs.length === 0) throw new InvalidArgumentError('save needs at least one image name or ID');
  if (opts.format === 'oci-archive' && opts.multiImage) {
    throw new InvalidArgumentError('unsupported format "oci-archive" for saving multiple images (only docker-archive)');
  }
  const found = (opts.multiImage ? opts.refs : opts.refs.slice(0, 1)).map((ref) => lookupImage(ctx, ref));
  const out: SavedImage[] = [];
  for (const { image, name } of found) {
    const prev = out.find((s) => s.image.id === image.id);
    if (prev) {
      if (name !== undefined && !prev.names.includes(name)) prev.names.push(name);
    } else out.push({ image, names: name !== undefined ? [name] : [] });
  }
  // Without -m, podman takes the other arguments as more names for the one image.
  if (!opts.multiImage) for (const extra of opts.refs.slice(1)) out[0].names.push(normalizeNewName(extra));
  if (opts.format === 'oci-archive' && out[0].names.length > 1) {
    throw new InvalidArgumentError('an oci-archive holds one name per image: give one name, or use --format docker-archive');
  }
  return out;
}

async function* entry(name: string, size: number, body: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  yield encodeHeader({ ...HEADER, name, type: 'file', size });
  yield* body;
  yield bodyPadding(size);
}

async function* dockerArchive(ctx: Context, images: SavedImage[]): AsyncGenerator<Buffer> {
  const written = new Set<string>();
  const manifest: Array<{ Config: string; RepoTags: string[]; Layers: string[] }> = [];
  for (const { image, names } of images) {
    const layers = layerTars(ctx, image);
    for (const l of layers) {
      const file = `${l.diffId.slice(7)}.tar`;
      if (written.has(file)) continue;
      written.add(file);
      yield* entry(file, l.size, l.open());
    }
    const config = `${image.id}.json`;
    if (!written.has(config)) {
      written.add(config);
      yield encodeEntry({ ...HEADER, name: config }, readBlob(ctx, `sha256:${image.id}`));
    }
    manifest.push({ Config: config, RepoTags: names, Layers: layers.map((l) => `${l.diffId.slice(7)}.tar`) });
  }
  yield encodeEntry({ ...HEADER, name: 'manifest.json' }, Buffer.from(JSON.stringify(manifest)));
  yield END_OF_ARCHIVE;
}

/** The manifest to write and the layer blobs it names: the stored one when its blobs are all here. */
function ociManifest(ctx: Context, image: ImageRecord): { bytes: Buffer; layers: Blob[] } {
  const stored = manifestLayers(ctx, image);
  if (stored && stored.every((l) => hasBlob(ctx, l.digest))) {
    return { bytes: readBlob(ctx, image.digest), layers: stored.map((l) => storedBlob(ctx, l.digest)) };
  }
  const tars = layerTars(ctx, image);
  const config = readBlob(ctx, `sha256:${image.id}`);
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPE_MANIFEST,
      config: { mediaType: MEDIA_TYPE_CONFIG, digest: `sha256:${image.id}`, size: config.length },
      layers: tars.map((t) => ({ mediaType: MEDIA_TYPE_LAYER_TAR, digest: t.diffId, size: t.size })),
    }),
  );
  return { bytes, layers: tars.map((t) => ({ digest: t.diffId, size: t.size, open: t.open })) };
}

async function* ociArchive(ctx: Context, images: SavedImage[]): AsyncGenerator<Buffer> {
  yield encodeEntry({ ...HEADER, name: 'oci-layout' }, Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })));
  yield encodeHeader({ ...HEADER, mode: 0o755, name: 'blobs/', type: 'dir', size: 0 });
  yield encodeHeader({ ...HEADER, mode: 0o755, name: 'blobs/sha256/', type: 'dir', size: 0 });
  const written = new Set<string>();
  const index: Array<Record<string, unknown>> = [];
  const blob = async function* (b: Blob) {
    if (written.has(b.digest)) return;
    written.add(b.digest);
    yield* entry(`blobs/sha256/${b.digest.slice(7)}`, b.size, b.open());
  };
  for (const { image, names } of images) {
    const { bytes, layers } = ociManifest(ctx, image);
    for (const l of layers) yield* blob(l);
    const config = readBlob(ctx, `sha256:${image.id}`);
    yield* blob({ digest: `sha256:${image.id}`, size: config.length, open: async function* () { yield config; } });
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    yield* blob({ digest, size: bytes.length, open: async function* () { yield bytes; } });
    const mediaType = (JSON.parse(bytes.toString('utf8')) as { mediaType?: string }).mediaType ?? MEDIA_TYPE_MANIFEST;
    const desc: Record<string, unknown> = { mediaType, digest, size: bytes.length };
    if (names.length > 0) desc.annotations = { 'org.opencontainers.image.ref.name': names[0] };
    index.push(desc);
  }
  yield encodeEntry({ ...HEADER, name: 'index.json' }, Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: index })));
  yield END_OF_ARCHIVE;
}

/** Resolves the images (throwing before any output) and returns the archive as a stream of chunks. */
export function saveImages(ctx: Context, opts: SaveOptions): AsyncGenerator<Buffer> {
  const images = resolveImages(ctx, opts);
  // Check now that every layer can be written, so a missing one fails before any output.
  for (const { image } of images) layerTars(ctx, image);
  return saved(ctx, images, opts.format === 'docker-archive' ? dockerArchive(ctx, images) : ociArchive(ctx, images));
}

/** The archive's chunks, then a save event per image once all were handed out. */
async function* saved(ctx: Context, images: ReturnType<typeof resolveImages>, chunks: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  yield* chunks;
  for (const { image, names } of images) objectEvent(ctx, 'image', 'save', image.id, names[0] ?? image.names[0]);
}
