// Test images built by hand as OCI image layouts (oci-layout, index.json, blobs/sha256), from the
// busybox rootfs tarball or small generated tars, with gzip, zstd or no layer compression and one
// or several platforms; then copied into a registry with skopeo (interop with containers/image).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export type Compression = 'gzip' | 'zstd' | 'none';

export interface LayerSpec {
  tar: Buffer;
  compression: Compression;
}

export interface PlatformImage {
  os: string;
  architecture: string;
  variant?: string;
  layers: LayerSpec[];
  cmd?: string[];
}

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

function compress(tar: Buffer, c: Compression): Buffer {
  if (c === 'gzip') return zlib.gzipSync(tar, { level: 1 });
  if (c === 'zstd') return execFileSync('zstd', ['-q', '-c', '-3'], { input: tar, maxBuffer: 1 << 30 });
  return tar;
}

const LAYER_MT: Record<Compression, string> = {
  gzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  zstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  none: 'application/vnd.oci.image.layer.v1.tar',
};

export interface BuiltImage {
  manifestDigest: string;
  configDigest: string;
  layerDigests: string[];
  diffIds: string[];
}

export interface BuiltLayout {
  dir: string;
  tag: string;
  /** Per platform, in the order given. */
  images: BuiltImage[];
  /** Digest of the index (when several platforms) or of the single manifest. */
  topDigest: string;
}

function putBlob(dir: string, bytes: Buffer): string {
  const d = sha(bytes);
  fs.writeFileSync(path.join(dir, 'blobs/sha256', d.slice(7)), bytes);
  return d;
}

/** Writes an OCI layout with one image, or an index of several platforms when given more than one. */
export function buildLayout(dir: string, tag: string, platforms: PlatformImage[]): BuiltLayout {
  fs.mkdirSync(path.join(dir, 'blobs/sha256'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const images: BuiltImage[] = [];
  const descs: object[] = [];
  for (const p of platforms) {
    const layers = p.layers.map((l) => {
      const blob = compress(l.tar, l.compression);
      return { mediaType: LAYER_MT[l.compression], digest: putBlob(dir, blob), size: blob.length, diffId: sha(l.tar) };
    });
    const config = Buffer.from(
      JSON.stringify({
        created: '2024-01-02T03:04:05Z',
        architecture: p.architecture,
        os: p.os,
        ...(p.variant ? { variant: p.variant } : {}),
        config: { Cmd: p.cmd ?? ['/bin/sh'], Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Labels: { 'org.test.platform': `${p.os}/${p.architecture}` } },
        rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
        history: layers.map(() => ({ created: '2024-01-02T03:04:05Z', created_by: 'test' })),
      }),
    );
    const configDigest = putBlob(dir, config);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
        layers: layers.map(({ mediaType, digest, size }) => ({ mediaType, digest, size })),
      }),
    );
    const manifestDigest = putBlob(dir, manifest);
    images.push({ manifestDigest, configDigest, layerDigests: layers.map((l) => l.digest), diffIds: layers.map((l) => l.diffId) });
    descs.push({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: manifestDigest,
      size: manifest.length,
      platform: { os: p.os, architecture: p.architecture, ...(p.variant ? { variant: p.variant } : {}) },
    });
  }
  let top: object;
  let topDigest: string;
  if (platforms.length === 1) {
    top = { ...(descs[0] as Record<string, unknown>), annotations: { 'org.opencontainers.image.ref.name': tag } };
    delete (top as Record<string, unknown>).platform;
    topDigest = images[0].manifestDigest;
  } else {
    const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: descs }));
    topDigest = putBlob(dir, index);
    top = { mediaType: 'application/vnd.oci.image.index.v1+json', digest: topDigest, size: index.length, annotations: { 'org.opencontainers.image.ref.name': tag } };
  }
  fs.writeFileSync(path.join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [top] }));
  return { dir, tag, images, topDigest };
}

/** skopeo copy of a layout into a registry (plain HTTP / no TLS verification, credentials optional). */
export function skopeoCopy(layout: BuiltLayout, dest: string, opts: { creds?: string; format?: 'v2s2' | 'oci'; certDir?: string } = {}): void {
  const args = ['copy', '--quiet', '--all', '--preserve-digests'];
  if (opts.certDir) args.push('--dest-cert-dir', opts.certDir);
  else args.push('--dest-tls-verify=false');
  if (opts.creds) args.push('--dest-creds', opts.creds);
  if (opts.format) args.push('--format', opts.format);
  args.push(`oci:${layout.dir}:${layout.tag}`, `docker://${dest}`);
  execFileSync('skopeo', args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, REGISTRY_AUTH_FILE: path.join(path.dirname(layout.dir), 'no-auth.json') } });
}

/** A tar with one small regular file (a distinct layer per name/content). */
export function smallTar(name: string, content: string): Buffer {
  const data = Buffer.from(content);
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, 'utf8');
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write(`${(1700000000).toString(8).padStart(11, '0')}\0`, 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const pad = Buffer.alloc((512 - (data.length % 512)) % 512);
  return Buffer.concat([header, data, pad, Buffer.alloc(1024)]);
}
