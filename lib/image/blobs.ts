// Content-addressed blobs: a blob's file name is the sha256 of its bytes, so a blob is written
// once (temp file, then rename) and never changed; writing one that exists is a no-op.
import type { Hash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Context } from '../context.js';
import { CorruptStateError, systemError } from '../errors.js';
import { writeFileAtomic } from '../state/atomic.js';
import { blobPath } from './layout.js';

/**
 * node:crypto is loaded when a blob is first hashed, not with this module: `pman run` reads the
 * image's config blob (and its flag modules import this one), and loading node:crypto was ~2 ms of
 * every run. The test of start-up modules (test/integration/startup-modules.test.ts) holds it off.
 */
function sha256(): Hash {
  return (createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')).createHash('sha256');
}

export function sha256Digest(bytes: Buffer | string): string {
  return `sha256:${sha256().update(bytes).digest('hex')}`;
}

export function hasBlob(ctx: Context, digest: string): boolean {
  return fs.existsSync(blobPath(ctx, digest));
}

/** Stores small content (configs, manifests) and returns its digest. */
export function putBlob(ctx: Context, bytes: Buffer): string {
  const digest = sha256Digest(bytes);
  if (!hasBlob(ctx, digest)) writeFileAtomic(blobPath(ctx, digest), bytes, 0o600);
  return digest;
}

export function readBlob(ctx: Context, digest: string): Buffer {
  try {
    return fs.readFileSync(blobPath(ctx, digest));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CorruptStateError(`image store is missing blob ${digest} (${blobPath(ctx, digest)}); remove the image and import or pull it again`);
    }
    throw systemError(`read blob ${digest}`, err);
  }
}

export function removeBlob(ctx: Context, digest: string): void {
  fs.rmSync(blobPath(ctx, digest), { force: true });
}

/** Streams a large blob (a layer tar) into a temp file while hashing it; commit() files it. */
export class BlobWriter {
  private readonly hash: Hash = sha256();
  private fd: number | undefined;
  size = 0;

  constructor(readonly tempPath: string) {
    this.fd = fs.openSync(tempPath, 'wx', 0o600);
  }

  write(chunk: Buffer): void {
    if (this.fd === undefined) throw new Error('BlobWriter: write after close');
    for (let off = 0; off < chunk.length; ) off += fs.writeSync(this.fd, chunk, off, chunk.length - off);
    this.hash.update(chunk);
    this.size += chunk.length;
  }

  /** Flushes and closes the temp file; returns the digest of everything written. */
  close(): string {
    if (this.fd !== undefined) {
      fs.fsyncSync(this.fd);
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
    return `sha256:${this.hash.copy().digest('hex')}`;
  }

  /** Moves the blob into the store under its digest (dropping the temp file if it is already there). */
  commit(ctx: Context): string {
    const digest = this.close();
    if (hasBlob(ctx, digest)) fs.rmSync(this.tempPath, { force: true });
    else fs.renameSync(this.tempPath, blobPath(ctx, digest));
    return digest;
  }

  abort(): void {
    if (this.fd !== undefined) {
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
    fs.rmSync(this.tempPath, { force: true });
  }
}
