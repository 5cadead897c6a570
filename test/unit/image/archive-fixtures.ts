// Image archives crafted for tests: layers made with python tarfile (fixtures.makeTar), compressed
// with zlib or the zstd CLI, wrapped the way docker save, podman save and skopeo wrap them, with a
// hook to damage any file before the outer tar is written.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ociArchitecture } from '../../../lib/image/platform.js';
import { makeTar, makeTars, type Member } from '../archive/fixtures.js';

export interface LayerSpec {
  members: Member[];
  compress?: 'none' | 'gzip' | 'zstd';
}

export interface ImageSpec {
  layers: LayerSpec[];
  names?: string[];
  /** Runtime config ("config" in the config blob). */
  config?: Record<string, unknown>;
  created?: string;
}

/** docker: classic docker save / podman save; docker25: OCI layout plus manifest.json; oci: index.json only. */
export type ArchiveKind = 'docker' | 'docker25' | 'oci';

export interface BuiltImage {
  id: string;
  diffIds: string[];
  layerDigests: string[];
}

export interface BuiltArchive {
  file: string;
  images: BuiltImage[];
}

export const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

function compress(raw: Buffer, how: LayerSpec['compress'], dir: string): Buffer {
  if (how === 'gzip') return zlib.gzipSync(raw);
  if (how === 'zstd') {
    const f = path.join(dir, `z-${sha256(raw)}`);
    fs.writeFileSync(f, raw);
    execFileSync('zstd', ['-q', '-f', f, '-o', `${f}.zst`]);
    return fs.readFileSync(`${f}.zst`);
  }
  return raw;
}

/**
 * Writes an archive of `images` to dir/name. `edit` sees every member (path -> bytes) and may
 * change, add or delete them before the outer tar is written (members keep insertion order).
 */
export function buildArchive(dir: string, name: string, kind: ArchiveKind, images: ImageSpec[], edit?: (files: Map<string, Buffer>) => void): BuiltArchive {
  const work = fs.mkdtempSync(path.join(dir, 'build-'));
  const files = new Map<string, Buffer>();
  const built: BuiltImage[] = [];
  const dockerManifest: Array<Record<string, unknown>> = [];
  const index: Array<Record<string, unknown>> = [];
  const blobName = (hex: string) => (kind === 'docker' ? hex : `blobs/sha256/${hex}`);
  if (kind !== 'docker') files.set('oci-layout', Buffer.from('{"imageLayoutVersion":"1.0.0"}'));
  const tars = makeTars(images.flatMap((img, i) => img.layers.map((l, j) => ({ out: path.join(work, `layer-${i}-${j}.tar`), members: l.members }))));
  for (const [i, img] of images.entries()) {
    const layers = img.layers.map((l, j) => {
      const raw = fs.readFileSync(tars.shift() as string);
      const blob = compress(raw, l.compress, work);
      return { raw, blob, diffId: `sha256:${sha256(raw)}`, digest: `sha256:${sha256(blob)}` };
    });
    const config = Buffer.from(
      JSON.stringify({
        created: img.created ?? '2024-01-02T03:04:05Z',
        architecture: ociArchitecture(),
        os: 'linux',
        config: img.config ?? {},
        rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
        history: layers.map((_, j) => ({ created: img.created ?? '2024-01-02T03:04:05Z', created_by: `step ${j + 1}` })),
      }),
    );
    const id = sha256(config);
    const layerFiles = layers.map((l) => (kind === 'docker' ? `${l.diffId.slice(7)}.tar` : blobName(l.digest.slice(7))));
    layers.forEach((l, j) => files.set(layerFiles[j], l.blob));
    files.set(kind === 'docker' ? `${id}.json` : blobName(id), config);
    if (kind !== 'docker') {
      const mediaType = (c: LayerSpec['compress']) => `application/vnd.oci.image.layer.v1.tar${c === 'gzip' ? '+gzip' : c === 'zstd' ? '+zstd' : ''}`;
      const manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${id}`, size: config.length },
          layers: layers.map((l, j) => ({ mediaType: mediaType(img.layers[j].compress), digest: l.digest, size: l.blob.length })),
        }),
      );
      const mhex = sha256(manifest);
      files.set(blobName(mhex), manifest);
      const desc: Record<string, unknown> = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${mhex}`, size: manifest.length };
      const first = img.names?.[0];
      if (first !== undefined) {
        desc.annotations =
          kind === 'docker25' ? { 'io.containerd.image.name': first, 'org.opencontainers.image.ref.name': first.split(':').pop() } : { 'org.opencontainers.image.ref.name': first };
      }
      index.push(desc);
    }
    dockerManifest.push({ Config: kind === 'docker' ? `${id}.json` : blobName(id), RepoTags: img.names ?? null, Layers: layerFiles });
    built.push({ id, diffIds: layers.map((l) => l.diffId), layerDigests: layers.map((l) => l.digest) });
  }
  if (kind !== 'docker') files.set('index.json', Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: index })));
  if (kind !== 'oci') files.set('manifest.json', Buffer.from(JSON.stringify(dockerManifest)));
  edit?.(files);
  const members: Member[] = [...files].map(([member, bytes], k) => {
    const f = path.join(work, `member-${k}`);
    fs.writeFileSync(f, bytes);
    return { name: member, file: f, mode: 0o444 };
  });
  const out = makeTar(path.join(dir, name), members);
  fs.rmSync(work, { recursive: true, force: true });
  return { file: out, images: built };
}
