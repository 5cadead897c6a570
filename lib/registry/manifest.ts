// Manifests and indexes as registries serve them: OCI and Docker schema 2, single-platform or
// lists. Bytes are kept exactly as received (their sha256 is the digest; re-serializing would
// change it), size is capped, and anything unexpected is refused with the media type named.
import { createHash } from 'node:crypto';
import { RegistryError } from './registry-error.js';

export const MT = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerSchema1: 'application/vnd.docker.distribution.manifest.v1+json',
  dockerSchema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
} as const;

/** The Accept header for manifest requests (distribution 2.8 answers 404 for an OCI manifest not accepted). */
export const MANIFEST_ACCEPT = [MT.ociManifest, MT.ociIndex, MT.dockerManifest, MT.dockerList].join(', ');

/** Cap on manifests and configs (as containers/image): a registry cannot make pman buffer gigabytes. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export const LAYER_TYPES = new Set([
  'application/vnd.oci.image.layer.v1.tar',
  'application/vnd.oci.image.layer.v1.tar+gzip',
  'application/vnd.oci.image.layer.v1.tar+zstd',
  'application/vnd.docker.image.rootfs.diff.tar.gzip',
  'application/vnd.docker.image.rootfs.diff.tar',
  'application/vnd.oci.image.layer.nondistributable.v1.tar',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd',
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
]);

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
  'os.version'?: string;
  'os.features'?: string[];
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  urls?: string[];
  platform?: Platform;
  annotations?: Record<string, string>;
}

export interface ImageManifest {
  kind: 'image';
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
  bytes: Buffer;
  digest: string;
}

export interface ImageIndex {
  kind: 'index';
  mediaType: string;
  manifests: Descriptor[];
  bytes: Buffer;
  digest: string;
}

export type Manifest = ImageManifest | ImageIndex;

const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;

export function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function invalid(what: string, why: string): RegistryError {
  return new RegistryError('invalid', `invalid ${what}: ${why}`);
}

function descriptor(v: unknown, what: string): Descriptor {
  if (typeof v !== 'object' || v === null) throw invalid(what, 'a descriptor is not an object');
  const d = v as Record<string, unknown>;
  if (typeof d.mediaType !== 'string') throw invalid(what, 'a descriptor has no mediaType');
  if (typeof d.digest !== 'string' || !DIGEST_RE.test(d.digest)) {
    throw invalid(what, `descriptor digest ${JSON.stringify(d.digest)} is not a sha256 digest`);
  }
  if (typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0) throw invalid(what, `descriptor ${d.digest} has an invalid size`);
  const out: Descriptor = { mediaType: d.mediaType, digest: d.digest, size: d.size };
  if (Array.isArray(d.urls)) out.urls = d.urls.filter((u): u is string => typeof u === 'string');
  if (typeof d.platform === 'object' && d.platform !== null) {
    const p = d.platform as Record<string, unknown>;
    if (typeof p.os === 'string' && typeof p.architecture === 'string') {
      out.platform = { os: p.os, architecture: p.architecture };
      if (typeof p.variant === 'string' && p.variant) out.platform.variant = p.variant;
    }
  }
  if (typeof d.annotations === 'object' && d.annotations !== null) out.annotations = d.annotations as Record<string, string>;
  return out;
}

/** The media type without parameters ("application/json; charset=utf-8" -> "application/json"). */
export function bareType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * Parses manifest bytes. The type comes from the Content-Type header, else the document's own
 * mediaType field, else its shape (OCI allows leaving mediaType out); they must agree.
 */
export function parseManifest(bytes: Buffer, contentType: string | undefined, what: string): Manifest {
  let doc: Record<string, unknown>;
  try {
    const v = JSON.parse(bytes.toString('utf8')) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not a JSON object');
    doc = v as Record<string, unknown>;
  } catch {
    throw invalid(what, 'the registry sent something that is not a JSON manifest');
  }
  const header = bareType(contentType);
  const field = typeof doc.mediaType === 'string' ? doc.mediaType : undefined;
  let type = field ?? (header && header !== 'application/json' && header !== 'application/octet-stream' ? header : undefined);
  if (type === undefined) type = Array.isArray(doc.manifests) ? MT.ociIndex : MT.ociManifest;
  if (field !== undefined && header && header !== 'application/json' && header !== 'application/octet-stream' && header !== field) {
    throw invalid(what, `the registry says it is ${header} but the manifest says ${field}`);
  }
  if (type === MT.dockerSchema1 || type === MT.dockerSchema1Signed || doc.schemaVersion === 1) {
    throw invalid(what, 'Docker schema 1 manifests are not supported (the image must be pushed again with a current tool)');
  }
  const digest = sha256(bytes);
  if (type === MT.ociIndex || type === MT.dockerList) {
    if (!Array.isArray(doc.manifests)) throw invalid(what, 'the index has no manifests list');
    return { kind: 'index', mediaType: type, manifests: doc.manifests.map((m) => descriptor(m, what)), bytes, digest };
  }
  if (type === MT.ociManifest || type === MT.dockerManifest) {
    if (doc.schemaVersion !== 2) throw invalid(what, `unsupported schemaVersion ${JSON.stringify(doc.schemaVersion)}`);
    if (!Array.isArray(doc.layers)) throw invalid(what, 'the manifest has no layers list');
    const config = descriptor(doc.config, what);
    return { kind: 'image', mediaType: type, config, layers: doc.layers.map((l) => descriptor(l, what)), bytes, digest };
  }
  throw invalid(what, `unsupported manifest media type "${type}"`);
}
