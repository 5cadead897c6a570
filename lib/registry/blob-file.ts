// A downloaded blob on its way into the store: written to a temp file as it streams in (its
// digest is checked by the stream itself, see blob-fetch.ts), then renamed to blobs/sha256/<hex>
// at commit time, under the store lock, together with the rest of the image.
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { systemError } from '../errors.js';
import { hasBlob } from '../image/blobs.js';
import { blobPath, tmpDir } from '../image/layout.js';

export class BlobFile {
  private fd: number | undefined;
  readonly tempPath: string;

  constructor(
    ctx: Context,
    readonly digest: string,
  ) {
    this.tempPath = path.join(tmpDir(ctx), `blob-${digest.slice(7, 19)}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
    try {
      this.fd = fs.openSync(this.tempPath, 'wx', 0o600);
    } catch (err) {
      throw systemError(`create a temporary file in "${tmpDir(ctx)}"`, err);
    }
  }

  write(chunk: Buffer): void {
    if (this.fd === undefined) throw new Error('BlobFile: write after close');
    for (let off = 0; off < chunk.length; ) off += fs.writeSync(this.fd, chunk, off, chunk.length - off);
  }

  /** Flushes to disk without blocking the event loop (other layers keep downloading). */
  async close(): Promise<void> {
    const fd = this.fd;
    if (fd === undefined) return;
    this.fd = undefined;
    await new Promise<void>((resolve, reject) => fs.fdatasync(fd, (err) => (err ? reject(err) : resolve())));
    fs.closeSync(fd);
  }

  /** Moves it into the store (call with the store lock held, after close()). */
  commit(ctx: Context): void {
    if (hasBlob(ctx, this.digest)) fs.rmSync(this.tempPath, { force: true });
    else fs.renameSync(this.tempPath, blobPath(ctx, this.digest));
  }

  discard(): void {
    if (this.fd !== undefined) {
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
    fs.rmSync(this.tempPath, { force: true });
  }
}

/** Passes a stream through while copying it into `file`; stops with `cancelled()`'s error. */
export async function* teeInto(src: AsyncIterable<Buffer>, file: BlobFile, cancelled: () => Error | undefined): AsyncGenerator<Buffer> {
  for await (const chunk of src) {
    const err = cancelled();
    if (err) throw err;
    file.write(chunk);
    yield chunk;
  }
}
