// `pman save`: local images as a docker-archive (podman's default: manifest.json, <config>.json,
// <diffid>.tar per layer, as podman and docker write it) or an oci-archive (oci-layout, index.json,
// blobs/sha256/*), or, as podman 4's directory formats, an OCI layout directory (oci-dir) or a
// dir: image with a docker schema 2 manifest (docker-dir, layers gzipped with --compress).
// Layers go out as the exact tars their diff IDs name (or the stored blobs the stored manifest
// names), so the image keeps its ID wherever it is loaded. Everything is resolved before the
// first byte is written.
import type { Context } from '../context.js';
import { InvalidArgumentError } from '../errors.js';
import { encodeEntry, encodeHeader, END_OF_ARCHIVE, bodyPadding } from '../archive/writer.js';
import { readBlob } from './blobs.js';
import type { ImageRecord } from './image-record.js';
import type { ManifestFormat } from './plain-manifest.js';
import { normalizeNewName } from './reference.js';
import { objectEvent } from '../events/events-file.js';
import { lookupImage } from './resolve.js';
import { exportImage, layerTars, type ExportBlob } from './transports/exported-image.js';
import { indexEntry, manifestBlob, OCI_LAYOUT } from './transports/oci-layout.js';

/** podman's formats: the two archives, an OCI layout directory (oci-dir) and a dir: image with a docker manifest (docker-dir). */
export type SaveFormat = 'docker-archive' | 'oci-archive' | 'oci-dir' | 'docker-dir';
export const SAVE_FORMATS: SaveFormat[] = ['docker-archive', 'oci-archive', 'oci-dir', 'docker-dir'];
export const DIRECTORY_FORMATS: SaveFormat[] = ['oci-dir', 'docker-dir'];

export interface SaveOptions {
  refs: string[];
  format: SaveFormat;
  /** -m: every reference is an image; otherwise the first is the image and the rest are more names for it. */
  multiImage: boolean;
  /** The names to write instead of the ones the references give (push to PATH:REF); for oci formats the first is the ref annotation as given. */
  names?: string[];
  /** oci-archive, oci-dir: convert the manifest to this format (push --format). */
  manifestFormat?: ManifestFormat;
  /** docker-dir: gzip the layers that are plain tars (--compress). */
  compress?: boolean;
}

interface SavedImage {
  image: ImageRecord;
  names: string[];
}

const HEADER = { mode: 0o444, uid: 0, gid: 0, mtime: 0 };

function resolveImages(ctx: Context, opts: SaveOptions): SavedImage[] {
  if (opts.refs.length === 0) throw new InvalidArgumentError('save needs at least one image name or ID');
  if (opts.format !== 'docker-archive' && opts.multiImage) {
    throw new InvalidArgumentError(`unsupported format "${opts.format}" for saving multiple images (only docker-archive)`);
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
  if (opts.names !== undefined) out[0].names = opts.names;
  if ((opts.format === 'oci-archive' || opts.format === 'oci-dir') && out[0].names.length > 1) {
    throw new InvalidArgumentError(`an ${opts.format} holds one name per image: give one name, or use --format docker-archive`);
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

async function* ociArchive(ctx: Context, images: SavedImage[], format: ManifestFormat | undefined): AsyncGenerator<Buffer> {
  yield encodeEntry({ ...HEADER, name: 'oci-layout' }, Buffer.from(OCI_LAYOUT));
  yield encodeHeader({ ...HEADER, mode: 0o755, name: 'blobs/', type: 'dir', size: 0 });
  yield encodeHeader({ ...HEADER, mode: 0o755, name: 'blobs/sha256/', type: 'dir', size: 0 });
  const written = new Set<string>();
  const index: Array<ReturnType<typeof indexEntry>> = [];
  const blob = async function* (b: ExportBlob) {
    if (written.has(b.digest)) return;
    written.add(b.digest);
    yield* entry(`blobs/sha256/${b.digest.slice(7)}`, b.size, b.open());
  };
  for (const { image, names } of images) {
    const exported = await exportImage(ctx, image, { format });
    for (const l of exported.layers) yield* blob(l);
    yield* blob(exported.config);
    yield* blob(manifestBlob(exported));
    index.push(indexEntry(exported, names[0]));
    exported.cleanup();
  }
  yield encodeEntry({ ...HEADER, name: 'index.json' }, Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: index })));
  yield END_OF_ARCHIVE;
}

/** Resolves the images (throwing before any output) and returns the archive as a stream of chunks. */
export function saveImages(ctx: Context, opts: SaveOptions): AsyncGenerator<Buffer> {
  if (DIRECTORY_FORMATS.includes(opts.format)) throw new InvalidArgumentError(`--format ${opts.format} writes a directory: give it with -o DIR`);
  const images = resolveImages(ctx, opts);
  // Check now that every layer can be written, so a missing one fails before any output.
  for (const { image } of images) layerTars(ctx, image);
  return saved(ctx, images, opts.format === 'docker-archive' ? dockerArchive(ctx, images) : ociArchive(ctx, images, opts.manifestFormat));
}

/** The directory formats: an OCI layout (oci-dir, added to as oci: adds) or a dir: image with a docker manifest (docker-dir). */
export async function saveToDirectory(ctx: Context, opts: SaveOptions, dir: string): Promise<void> {
  const images = resolveImages(ctx, opts);
  const { image, names } = images[0];
  if (opts.format === 'oci-dir') {
    const { writeOciLayout } = await import('./transports/oci-layout.js');
    await writeOciLayout(ctx, dir, [{ image, ref: names[0] }], { format: opts.manifestFormat });
  } else if (opts.format === 'docker-dir') {
    const { writeDirImage } = await import('./transports/dir-image.js');
    await writeDirImage(ctx, dir, image, { format: 'docker', compress: opts.compress });
  } else throw new InvalidArgumentError(`--format ${opts.format} writes an archive, not a directory`);
  savedEvents(ctx, images);
}

function savedEvents(ctx: Context, images: SavedImage[]): void {
  for (const { image, names } of images) objectEvent(ctx, 'image', 'save', image.id, names[0] ?? image.names[0]);
}

/** The archive's chunks, then a save event per image once all were handed out. */
async function* saved(ctx: Context, images: SavedImage[], chunks: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  yield* chunks;
  savedEvents(ctx, images);
}
