// An image's HEALTHCHECK, for create: it lives in the config blob (docker format; the image
// record keeps only the runtime defaults), read only when no flag overrides it.
import type { Context } from '../context.js';
import { readBlob } from './blobs.js';
import { dockerOnlyConfig, type HealthConfig } from './config-blob.js';

/** The image's Healthcheck, or undefined (none, an OCI-format image, or an unreadable blob). */
export function imageHealthcheck(ctx: Context, imageId: string): HealthConfig | undefined {
  let config: { config?: Record<string, unknown> };
  try {
    config = JSON.parse(readBlob(ctx, `sha256:${imageId}`).toString('utf8')) as typeof config;
  } catch {
    return undefined;
  }
  return dockerOnlyConfig(config?.config).Healthcheck;
}
