// The manifest pman stores for images it assembles itself (load, commit): an OCI image manifest
// whose layers are the plain tars their diff IDs name, which pman can always produce again from
// the store (layer-tar.ts), so `save` and `push` can hand out exactly what the manifest says.
import type { Context } from '../context.js';
import { sha256Digest } from './blobs.js';
import { MEDIA_TYPE_CONFIG, MEDIA_TYPE_LAYER_TAR, MEDIA_TYPE_MANIFEST } from './import.js';
import { readLayerRecord } from './layers.js';

export function plainManifest(ctx: Context, configBytes: Buffer, chainIds: string[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPE_MANIFEST,
      config: { mediaType: MEDIA_TYPE_CONFIG, digest: sha256Digest(configBytes), size: configBytes.length },
      layers: chainIds.map((c) => {
        const rec = readLayerRecord(ctx, c);
        return { mediaType: MEDIA_TYPE_LAYER_TAR, digest: rec.diffId, size: rec.size };
      }),
    }),
  );
}
