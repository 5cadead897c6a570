// Where blobs of the store are known to exist remotely ("host/repo" per digest), learnt on pull
// and push. push uses it to ask a registry for a cross-repository mount instead of uploading a
// blob again. A cache only: a lost or stale entry costs an upload, never correctness.
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { storageDir } from '../state/paths.js';
import { writeFileAtomic } from '../state/atomic.js';

const MAX_SOURCES = 16;

function fileOf(ctx: Context, digest: string): string {
  return path.join(storageDir(ctx), 'blob-sources', digest.replace(/^sha256:/, ''));
}

export function blobSources(ctx: Context, digest: string): string[] {
  try {
    const v = JSON.parse(fs.readFileSync(fileOf(ctx, digest), 'utf8')) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export function recordBlobSource(ctx: Context, digests: string[], repository: string): void {
  try {
    fs.mkdirSync(path.dirname(fileOf(ctx, 'x')), { recursive: true, mode: 0o700 });
    for (const d of digests) {
      const list = blobSources(ctx, d).filter((r) => r !== repository);
      list.unshift(repository);
      writeFileAtomic(fileOf(ctx, d), JSON.stringify(list.slice(0, MAX_SOURCES)));
    }
  } catch (err) {
    ctx.debug(`cannot record blob sources: ${(err as Error).message}`);
  }
}
