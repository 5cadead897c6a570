// What an image archive holds, worked out before anything is stored: the images, their config
// blobs, their layers (which archive member, which digests it must have) and their names.
//   docker-archive: manifest.json [{Config, RepoTags, Layers}] (docker save, podman save, skopeo;
//     Docker 25+ points Config and Layers at blobs/sha256/<hex> of an OCI layout in the same tar)
//   oci-archive:    oci-layout + index.json -> manifests (or image indexes) -> blobs/<alg>/<hex>
//   dir:            containers/image's directory transport: version, manifest.json (one image
//     manifest, OCI or docker schema 2), every blob named by its hex digest (<hex>.tar in 1.0)
// When both are there (Docker 25+), manifest.json wins: it names exactly the images saved.
// Directories (dir:, oci:, an unpacked docker-archive) reach here packed into one tar.
import { InvalidArgumentError } from '../errors.js';
import { ArchiveIndex } from './archive-index.js';
import { sha256Digest } from './blobs.js';
import { parseConfigBlob, type ImageConfigBlob } from './config-blob.js';
import { ociArchitecture } from './platform.js';
import { normalizeNewName, parseReference } from './reference.js';

export interface PlannedLayer {
  /** The archive member holding the layer (compressed or not). */
  member: string;
  /** The digest the member's bytes must have, when the archive names one. */
  digest?: string;
  /** The size the member must have, when the archive says. */
  size?: number;
  /** The digest the uncompressed tar must have (from the config's rootfs.diff_ids). */
  diffId: string;
}

export interface PlannedImage {
  configBytes: Buffer;
  config: ImageConfigBlob;
  layers: PlannedLayer[];
  /** Fully qualified names. */
  names: string[];
}

export type ArchiveFormat = 'docker-archive' | 'oci-archive' | 'dir';

const MEDIA_INDEX = ['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json'];
const BLOB_PATH_RE = /^blobs\/sha256\/([0-9a-f]{64})$/;
const ID_FILE_RE = /^([0-9a-f]{64})(?:\.json)?$/;

interface Descriptor {
  mediaType?: string;
  digest: string;
  size?: number;
  annotations?: Record<string, string>;
  platform?: { os?: string; architecture?: string; variant?: string };
}

function bad(what: string, why: string): InvalidArgumentError {
  return new InvalidArgumentError(`invalid ${what}: ${why}`);
}

function checkDigest(bytes: Buffer, digest: string, what: string): void {
  const actual = sha256Digest(bytes);
  if (actual !== digest) throw new InvalidArgumentError(`${what} does not match its digest: expected ${digest}, got ${actual}`);
}

function descriptor(v: unknown, what: string): Descriptor {
  const d = v as Partial<Descriptor> | null;
  if (typeof d !== 'object' || d === null || typeof d.digest !== 'string') throw bad(what, 'a descriptor without a digest');
  if (!/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(d.digest)) throw bad(what, `"${d.digest}" is not a digest`);
  if (!d.digest.startsWith('sha256:')) throw bad(what, `digest algorithm of "${d.digest}" is not supported (only sha256)`);
  if (!/^sha256:[0-9a-f]{64}$/.test(d.digest)) throw bad(what, `"${d.digest}" is not a sha256 digest`);
  if (d.size !== undefined && (!Number.isSafeInteger(d.size) || d.size < 0)) throw bad(what, `descriptor ${d.digest} has an invalid size`);
  return d as Descriptor;
}

function blobMember(digest: string): string {
  return `blobs/${digest.replace(':', '/')}`;
}

/** Reads a blob of the OCI layout, verified against its descriptor. */
function readBlob(index: ArchiveIndex, d: Descriptor, what: string): Buffer {
  const member = blobMember(d.digest);
  if (!index.has(member)) throw new InvalidArgumentError(`the archive lacks the ${what} ${d.digest} (${member}) that it references`);
  const bytes = index.read(member, what);
  if (d.size !== undefined && bytes.length !== d.size) throw new InvalidArgumentError(`the ${what} ${d.digest} is ${bytes.length} bytes, but its descriptor says ${d.size}`);
  checkDigest(bytes, d.digest, `the ${what} ${d.digest}`);
  return bytes;
}

function configOf(member: string, bytes: Buffer, layerCount: number): ImageConfigBlob {
  const config = parseConfigBlob(bytes, `the image config "${member}"`);
  if (config.rootfs.diff_ids.length !== layerCount) {
    throw new InvalidArgumentError(`the image config "${member}" lists ${config.rootfs.diff_ids.length} layers (rootfs.diff_ids) but its manifest has ${layerCount}`);
  }
  return config;
}

/** A docker-archive name ("busybox:1", "quay.io/x/y") as stored: docker.io/library/busybox:1 … */
function dockerName(tag: string, warn: (m: string) => void): string | undefined {
  try {
    const r = parseReference(tag);
    if (r.digest !== undefined) {
      warn(`ignoring the name "${tag}" in the archive: a digest is not a name`);
      return undefined;
    }
    return `${r.domain}/${r.path}:${r.tag ?? 'latest'}`;
  } catch (err) {
    warn(`ignoring the name "${tag}" in the archive: ${(err as Error).message}`);
    return undefined;
  }
}

function planDocker(index: ArchiveIndex, warn: (m: string) => void): PlannedImage[] {
  const doc = index.json('manifest.json', 'manifest');
  if (!Array.isArray(doc) || doc.length === 0) throw bad('manifest.json', 'it is not a non-empty list of images');
  return doc.map((entry: unknown, i) => {
    const what = `manifest.json entry ${i + 1}`;
    const e = entry as { Config?: unknown; RepoTags?: unknown; Layers?: unknown } | null;
    if (typeof e !== 'object' || e === null || typeof e.Config !== 'string') throw bad(what, 'it has no "Config"');
    if (!Array.isArray(e.Layers) || !e.Layers.every((l) => typeof l === 'string')) throw bad(what, '"Layers" is not a list of file names');
    if (e.RepoTags !== undefined && e.RepoTags !== null && !(Array.isArray(e.RepoTags) && e.RepoTags.every((t) => typeof t === 'string'))) {
      throw bad(what, '"RepoTags" is not a list of names');
    }
    const configBytes = index.read(e.Config, 'image config');
    // Both layouts name the config by its digest: blobs/sha256/<hex> (Docker 25+) or <hex>.json.
    const configName = BLOB_PATH_RE.exec(e.Config)?.[1] ?? ID_FILE_RE.exec(e.Config)?.[1];
    if (configName) checkDigest(configBytes, `sha256:${configName}`, `the image config "${e.Config}"`);
    const layers = e.Layers as string[];
    const config = configOf(e.Config, configBytes, layers.length);
    const planned = layers.map((member, j): PlannedLayer => {
      if (!index.has(member)) throw new InvalidArgumentError(`the archive lacks the layer "${member}" that manifest.json references`);
      const hex = BLOB_PATH_RE.exec(member)?.[1];
      return { member, digest: hex ? `sha256:${hex}` : undefined, diffId: config.rootfs.diff_ids[j] };
    });
    const names = ((e.RepoTags as string[] | null | undefined) ?? []).map((t) => dockerName(t, warn)).filter((n): n is string => n !== undefined);
    return { configBytes, config, layers: planned, names };
  });
}

/** The manifest of an index entry for this machine's platform. */
function selectPlatform(index: ArchiveIndex, d: Descriptor, depth: number): Descriptor {
  const bytes = readBlob(index, d, 'image index');
  let doc: { manifests?: unknown };
  try {
    doc = JSON.parse(bytes.toString('utf8')) as typeof doc;
  } catch {
    throw bad(`image index ${d.digest}`, 'it is not JSON');
  }
  if (!Array.isArray(doc.manifests)) throw bad(`image index ${d.digest}`, 'it has no "manifests" list');
  const arch = ociArchitecture();
  const candidates = doc.manifests.map((m, i) => descriptor(m, `image index ${d.digest} entry ${i + 1}`));
  const match =
    candidates.find((m) => m.platform?.os === 'linux' && m.platform?.architecture === arch && index.has(blobMember(m.digest))) ??
    (candidates.length === 1 && !candidates[0].platform ? candidates[0] : undefined);
  if (!match) {
    const have = candidates.map((m) => `${m.platform?.os ?? '?'}/${m.platform?.architecture ?? '?'}`).join(', ');
    throw new InvalidArgumentError(`image index ${d.digest} has no image for linux/${arch} in the archive (it has ${have || 'none'})`);
  }
  if (MEDIA_INDEX.includes(match.mediaType ?? '')) {
    if (depth > 2) throw bad(`image index ${d.digest}`, 'indexes are nested too deeply');
    return selectPlatform(index, match, depth + 1);
  }
  return match;
}

function ociName(d: Descriptor, warn: (m: string) => void): string[] {
  const a = d.annotations ?? {};
  // Docker's own annotation holds the full name; the OCI one often only a tag (skopeo, umoci).
  const name = a['io.containerd.image.name'] ?? a['org.opencontainers.image.ref.name'];
  if (typeof name !== 'string' || name === '') return [];
  try {
    const full = a['io.containerd.image.name'] !== undefined ? dockerName(name, warn) : normalizeNewName(name);
    return full ? [full] : [];
  } catch (err) {
    warn(`ignoring the name "${name}" in the archive: ${(err as Error).message}`);
    return [];
  }
}

function planOci(index: ArchiveIndex, warn: (m: string) => void): PlannedImage[] {
  if (index.has('oci-layout')) {
    const layout = index.json('oci-layout', 'oci-layout file') as { imageLayoutVersion?: unknown } | null;
    if (typeof layout?.imageLayoutVersion !== 'string') throw bad('oci-layout', 'it has no imageLayoutVersion');
  }
  const doc = index.json('index.json', 'index') as { manifests?: unknown } | null;
  if (!Array.isArray(doc?.manifests) || doc.manifests.length === 0) throw bad('index.json', 'it lists no images');
  return doc.manifests.map((m, i) => {
    let d = descriptor(m, `index.json entry ${i + 1}`);
    const names = ociName(d, warn);
    if (MEDIA_INDEX.includes(d.mediaType ?? '')) d = selectPlatform(index, d, 1);
    const manifestBytes = readBlob(index, d, 'manifest');
    let manifest: { config?: unknown; layers?: unknown; manifests?: unknown };
    try {
      manifest = JSON.parse(manifestBytes.toString('utf8')) as typeof manifest;
    } catch {
      throw bad(`manifest ${d.digest}`, 'it is not JSON');
    }
    if (manifest.manifests !== undefined) throw bad(`manifest ${d.digest}`, 'it is an image index, but index.json says it is a manifest');
    const config = descriptor(manifest.config, `manifest ${d.digest} config`);
    if (!Array.isArray(manifest.layers)) throw bad(`manifest ${d.digest}`, 'it has no "layers" list');
    const layerDescs = manifest.layers.map((l, j) => descriptor(l, `manifest ${d.digest} layer ${j + 1}`));
    for (const l of layerDescs) {
      const member = blobMember(l.digest);
      if (!index.has(member)) throw new InvalidArgumentError(`the archive lacks the layer ${l.digest} (${member}) that manifest ${d.digest} references`);
      if (l.size !== undefined && index.size(member) !== l.size) {
        throw new InvalidArgumentError(`the layer ${l.digest} is ${index.size(member)} bytes in the archive, but manifest ${d.digest} says ${l.size}`);
      }
    }
    const configBytes = readBlob(index, config, 'image config');
    const parsed = configOf(blobMember(config.digest), configBytes, layerDescs.length);
    const layers = layerDescs.map((l, j): PlannedLayer => ({ member: blobMember(l.digest), digest: l.digest, size: l.size, diffId: parsed.rootfs.diff_ids[j] }));
    return { configBytes, config: parsed, layers, names };
  });
}

/** A dir: image: its one manifest's blobs, found by hex digest. No names: the directory has none. */
function planDir(index: ArchiveIndex, doc: Record<string, unknown>): PlannedImage[] {
  if (doc.schemaVersion === 1) throw bad('manifest.json', 'it is a Docker schema 1 manifest, which pman does not read; copy the image again with skopeo copy --format v2s2');
  if (Array.isArray(doc.manifests)) {
    throw bad('manifest.json', 'it is an image index (several platforms); copy one image out of it (skopeo copy --override-arch ARCH dir:SRC dir:DEST) and use that');
  }
  if (doc.schemaVersion !== 2 || !Array.isArray(doc.layers)) throw bad('manifest.json', 'it is neither a docker-archive manifest nor an image manifest');
  // Version 1.1 names a blob <hex>, 1.0 named it <hex>.tar.
  const member = (d: Descriptor) => [d.digest.slice(7), `${d.digest.slice(7)}.tar`].find((m) => index.has(m));
  const configDesc = descriptor(doc.config, 'manifest.json config');
  const configMember = member(configDesc);
  if (!configMember) throw new InvalidArgumentError(`the directory lacks the image config ${configDesc.digest} that manifest.json references`);
  const configBytes = index.read(configMember, 'image config');
  checkDigest(configBytes, configDesc.digest, `the image config ${configDesc.digest}`);
  const layerDescs = (doc.layers as unknown[]).map((l, j) => descriptor(l, `manifest.json layer ${j + 1}`));
  const config = configOf(configMember, configBytes, layerDescs.length);
  const layers = layerDescs.map((l, j): PlannedLayer => {
    const m = member(l);
    if (!m) throw new InvalidArgumentError(`the directory lacks the layer ${l.digest} that manifest.json references`);
    if (l.size !== undefined && index.size(m) !== l.size) throw new InvalidArgumentError(`the layer ${l.digest} is ${index.size(m)} bytes in the directory, but manifest.json says ${l.size}`);
    return { member: m, digest: l.digest, size: l.size, diffId: config.rootfs.diff_ids[j] };
  });
  return [{ configBytes, config, layers, names: [] }];
}

export function archiveFormat(index: ArchiveIndex): ArchiveFormat {
  if (index.has('manifest.json')) {
    const doc = index.json('manifest.json', 'manifest');
    return doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? 'dir' : 'docker-archive';
  }
  if (index.has('index.json')) return 'oci-archive';
  throw new InvalidArgumentError('it is not an image archive: it has neither manifest.json (docker-archive, dir:) nor index.json (oci-archive, oci:)');
}

/** The images of an archive, with every referenced member present and every small blob verified. */
export function planArchive(index: ArchiveIndex, warn: (m: string) => void): PlannedImage[] {
  const format = archiveFormat(index);
  if (format === 'dir') return planDir(index, index.json('manifest.json', 'manifest') as Record<string, unknown>);
  return format === 'docker-archive' ? planDocker(index, warn) : planOci(index, warn);
}
