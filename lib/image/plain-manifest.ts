// The manifest pman stores for images it assembles itself (load, commit): an OCI image manifest
// whose layers are the plain tars their diff IDs name, which pman can always produce again from
// the store (layer-tar.ts), so `save` and `push` can hand out exactly what the manifest says.
// `pman build --format docker` asks for docker's schema 2 manifest instead: the same shape, with
// docker's media types (its uncompressed layer type), so a push hands registries a docker image.
import type { Context } from '../context.js';
import { sha256Digest } from './blobs.js';
import { MEDIA_TYPE_CONFIG, MEDIA_TYPE_LAYER_TAR, MEDIA_TYPE_MANIFEST } from './import.js';
import { readLayerRecord } from './layers.js';

export type ManifestFormat = 'oci' | 'docker';

const MEDIA_TYPES: Record<ManifestFormat, { manifest: string; config: string; layer: string }> = {
  oci: { manifest: MEDIA_TYPE_MANIFEST, config: MEDIA_TYPE_CONFIG, layer: MEDIA_TYPE_LAYER_TAR },
  docker: {
    manifest: 'application/vnd.docker.distribution.manifest.v2+json',
    config: 'application/vnd.docker.container.image.v1+json',
    layer: 'application/vnd.docker.image.rootfs.diff.tar',
  },
};

export function plainManifest(ctx: Context, configBytes: Buffer, chainIds: string[], format: ManifestFormat = 'oci'): Buffer {
  const types = MEDIA_TYPES[format];
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: types.manifest,
      config: { mediaType: types.config, digest: sha256Digest(configBytes), size: configBytes.length },
      layers: chainIds.map((c) => {
        const rec = readLayerRecord(ctx, c);
        return { mediaType: types.layer, digest: rec.diffId, size: rec.size };
      }),
    }),
  );
}
