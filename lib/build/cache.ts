// The build cache: which image a step produced, keyed by everything that decides its result —
// the parent image, the instruction with its arguments expanded, the variables a RUN sees, and
// for COPY/ADD the digest of the files copied. One small file per key under <root>/build-cache;
// an entry whose image was removed since is simply a miss.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { writeFileAtomic } from '../state/atomic.js';

export function cacheDir(ctx: Context): string {
  return path.join(ctx.root, 'build-cache');
}

/** The key of a step: a digest over its parts, in order. */
export function cacheKey(parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(`${p.length}:${p}\n`);
  return h.digest('hex');
}

/** The image ID a step with this key produced before, if one was recorded. */
export function cacheLookup(ctx: Context, key: string): string | undefined {
  try {
    const id = fs.readFileSync(path.join(cacheDir(ctx), key), 'utf8').trim();
    return /^[0-9a-f]{64}$/.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

export function cacheStore(ctx: Context, key: string, imageId: string): void {
  fs.mkdirSync(cacheDir(ctx), { recursive: true, mode: 0o700 });
  writeFileAtomic(path.join(cacheDir(ctx), key), `${imageId}\n`, 0o600);
}
