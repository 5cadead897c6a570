// `pman inspect IMAGE` / `pman image inspect`: the podman-shaped document of one local image.
import type { Context } from '../context.js';
import { resolveImage } from './resolve.js';
import { inspectView } from './view.js';

/** Throws NotFoundError when no local image matches. */
export function inspectImage(ctx: Context, ref: string): Record<string, unknown> {
  return inspectView(ctx, resolveImage(ctx, ref));
}
