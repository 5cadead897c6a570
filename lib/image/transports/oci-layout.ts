// Writing images into an OCI image layout directory (the oci: transport; `push IMAGE oci:DIR[:REF]`,
// `save --format oci-dir`): blobs/sha256/<hex> for every blob, oci-layout, and index.json, to which
// each image is added as containers/image adds it: an entry named REF (the
// org.opencontainers.image.ref.name annotation) replaces the entry of that name, an unnamed one is
// added unless the same manifest is there unnamed already. Other entries and blobs are kept, so one
// layout can collect several images. index.json is replaced atomically, after every blob is in.
// Writers of one layout (concurrent pushes of different tags) take turns on index.json through
// `index.json.lock` in the layout (lib/state/lock.ts): read, add, rename is one step for each, so
// no entry is lost. Blobs are written outside the lock: they are named by their content and each
// is renamed into place whole. containers/image has no such lock (containers/image#1028), so a
// skopeo writing the same layout at the same moment can still lose an entry.
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../../context.js';
import { InvalidArgumentError, systemError } from '../../errors.js';
import { writeOutput } from '../../archive/output.js';
import { writeFileAtomic } from '../../state/atomic.js';
import { withLock } from '../../state/lock.js';
import type { ImageRecord } from '../image-record.js';
import { exportImage, type ExportBlob, type ExportedImage, type ExportOptions } from './exported-image.js';

export const REF_NAME = 'org.opencontainers.image.ref.name';
export const OCI_LAYOUT = JSON.stringify({ imageLayoutVersion: '1.0.0' });

interface IndexEntry {
  mediaType?: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

export function manifestBlob(e: ExportedImage): ExportBlob {
  const bytes = e.manifest;
  return {
    digest: e.digest,
    size: bytes.length,
    async *open() {
      yield bytes;
    },
  };
}

/** The index.json entry of an exported image, named `ref` when given. */
export function indexEntry(e: ExportedImage, ref: string | undefined): IndexEntry {
  const entry: IndexEntry = { mediaType: e.mediaType, digest: e.digest, size: e.manifest.length };
  if (ref !== undefined && ref !== '') entry.annotations = { [REF_NAME]: ref };
  return entry;
}

/** index.json's entries with `entry` added as the oci: transport adds it. */
export function addToIndex(entries: IndexEntry[], entry: IndexEntry): IndexEntry[] {
  const name = entry.annotations?.[REF_NAME];
  if (name === undefined) {
    return entries.some((e) => e.digest === entry.digest && e.annotations?.[REF_NAME] === undefined) ? entries : [...entries, entry];
  }
  return [...entries.filter((e) => e.annotations?.[REF_NAME] !== name), entry];
}

/** The layout's lock (a directory while held) and what its release leaves for a moment. */
const LOCK_NAME = 'index.json.lock';

/** Whether dir holds nothing but a lock of another writer. */
function isEmptyDir(dir: string): boolean {
  return fs.readdirSync(dir).every((n) => n.startsWith(LOCK_NAME));
}

function readIndex(dir: string): { doc: Record<string, unknown>; manifests: IndexEntry[] } {
  const file = path.join(dir, 'index.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { doc: { schemaVersion: 2 }, manifests: [] };
    throw systemError(`read "${file}"`, err);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new InvalidArgumentError(`cannot add to the OCI layout "${dir}": its index.json is not valid JSON (${(err as Error).message}); remove it or use another directory`);
  }
  const d = doc as { manifests?: unknown } | null;
  if (typeof d !== 'object' || d === null || Array.isArray(d) || (d.manifests !== undefined && !Array.isArray(d.manifests))) {
    throw new InvalidArgumentError(`cannot add to the OCI layout "${dir}": its index.json is not an image index; remove it or use another directory`);
  }
  const manifests = ((d.manifests as unknown[] | undefined) ?? []).filter((m): m is IndexEntry => typeof m === 'object' && m !== null && typeof (m as IndexEntry).digest === 'string');
  return { doc: d as Record<string, unknown>, manifests };
}

/** Writes a blob under blobs/sha256/<hex> unless a file of that size is there (blobs never change). */
export async function putLayoutBlob(blobsDir: string, blob: ExportBlob): Promise<void> {
  const file = path.join(blobsDir, blob.digest.slice('sha256:'.length));
  try {
    const st = fs.lstatSync(file);
    if (st.isFile() && st.size === blob.size) return;
    fs.rmSync(file, { recursive: true, force: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw systemError(`write "${file}"`, err);
  }
  await writeOutput(blob.open(), { file });
}

/** Adds the images to the layout at `dir` (made when missing), each named by its `ref` if given. */
export async function writeOciLayout(ctx: Context, dir: string, images: Array<{ image: ImageRecord; ref?: string }>, opts: ExportOptions = {}): Promise<void> {
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw systemError(`write the OCI layout "${dir}"`, err);
  }
  if (st && !st.isDirectory()) throw new InvalidArgumentError(`cannot write the OCI layout "${dir}": it is not a directory`);
  const indexFile = path.join(dir, 'index.json');
  const blobsDir = path.join(dir, 'blobs', 'sha256');
  // Checked and made a layout under the lock: a writer that started a moment earlier has made it one.
  await withLock(indexFile, () => {
    if (!isEmptyDir(dir) && !fs.existsSync(path.join(dir, 'oci-layout'))) {
      throw new InvalidArgumentError(`cannot write the OCI layout "${dir}": it is a non-empty directory without an oci-layout file; pman does not write into it, use an empty or new directory`);
    }
    readIndex(dir); // an index.json that is not one is refused before any blob is written
    try {
      fs.mkdirSync(blobsDir, { recursive: true, mode: 0o755 });
    } catch (err) {
      throw systemError(`create the OCI layout "${dir}"`, err);
    }
    writeFileAtomic(path.join(dir, 'oci-layout'), OCI_LAYOUT, 0o644);
  });
  const entries: IndexEntry[] = [];
  for (const { image, ref } of images) {
    const exported = await exportImage(ctx, image, opts);
    try {
      for (const blob of [...exported.layers, exported.config, manifestBlob(exported)]) await putLayoutBlob(blobsDir, blob);
    } finally {
      exported.cleanup();
    }
    entries.push(indexEntry(exported, ref));
  }
  // Read, add and replace in one turn: what another writer added meanwhile stays.
  await withLock(indexFile, () => {
    const index = readIndex(dir);
    const manifests = entries.reduce(addToIndex, index.manifests);
    writeFileAtomic(indexFile, JSON.stringify({ ...index.doc, schemaVersion: 2, manifests }), 0o644);
  });
}
