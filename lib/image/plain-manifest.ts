// The manifest pman stores for images it assembles itself (load, commit): an OCI image manifest
// whose layers are the plain tars their diff IDs name, which pman can always produce again from
// the store (layer-tar.ts), so `save` and `push` can hand out exactly what the manifest says.
// `pman build --format docker` and `commit --format docker` ask for docker's schema 2 manifest
// instead: the same shape, with docker's media types (its uncompressed layer type), so a push
// hands registries a docker image. Writing to dir: with --compress uses the gzip layer types.
import type { Context } from '../context.js';
import { sha256Digest } from './blobs.js';
import { MEDIA_TYPE_CONFIG, MEDIA_TYPE_LAYER_TAR, MEDIA_TYPE_MANIFEST } from './import.js';
import { readLayerRecord } from './layers.js';

export type ManifestFormat = 'oci' | 'docker';

export const MEDIA_TYPES: Record<ManifestFormat, { manifest: string; config: string; layer: string; gzipLayer: string }> = {
  oci: { manifest: MEDIA_TYPE_MANIFEST, config: MEDIA_TYPE_CONFIG, layer: MEDIA_TYPE_LAYER_TAR, gzipLayer: 'application/vnd.oci.image.layer.v1.tar+gzip' },
  docker: {
    manifest: 'application/vnd.docker.distribution.manifest.v2+json',
    config: 'application/vnd.docker.container.image.v1+json',
    layer: 'application/vnd.docker.image.rootfs.diff.tar',
    gzipLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  },
};

/** Which format a stored manifest is (docker schema 2 or OCI). */
export function manifestFormatOf(mediaType: string | undefined): ManifestFormat {
  return mediaType === MEDIA_TYPES.docker.manifest ? 'docker' : 'oci';
}

export interface ManifestLayer {
  digest: string;
  size: number;
  gzip?: boolean;
}

/** A schema 2 manifest of the format for this config and these layer blobs. */
export function imageManifest(format: ManifestFormat, configBytes: Buffer, layers: ManifestLayer[]): Buffer {
  const types = MEDIA_TYPES[format];
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: types.manifest,
      config: { mediaType: types.config, digest: sha256Digest(configBytes), size: configBytes.length },
      layers: layers.map((l) => ({ mediaType: l.gzip ? types.gzipLayer : types.layer, digest: l.digest, size: l.size })),
    }),
  );
}

export function plainManifest(ctx: Context, configBytes: Buffer, chainIds: string[], format: ManifestFormat = 'oci'): Buffer {
  return imageManifest(
    format,
    configBytes,
    chainIds.map((c) => {
      const rec = readLayerRecord(ctx, c);
      return { digest: rec.diffId, size: rec.size };
    }),
  );
}
