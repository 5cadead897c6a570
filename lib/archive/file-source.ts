// A tar Source over an open file: positioned reads, and skips that only move the offset. Indexing
// a 200 MB archive then reads its headers alone instead of streaming every byte of it.
import fs from 'node:fs';
import type { Source } from './source.js';

export class FileSource implements Source {
  offset: number;

  constructor(
    private readonly fd: number,
    private readonly end: number,
    start = 0,
  ) {
    this.offset = start;
  }

  async read(n: number): Promise<Buffer> {
    const want = Math.max(0, Math.min(n, this.end - this.offset));
    const buf = Buffer.allocUnsafe(want);
    let got = 0;
    while (got < want) {
      const r = fs.readSync(this.fd, buf, got, want - got, this.offset + got);
      if (r === 0) break;
      got += r;
    }
    this.offset += got;
    return got === want ? buf : buf.subarray(0, got);
  }

  async readChunk(max: number): Promise<Buffer | null> {
    const b = await this.read(Math.min(max, 1 << 20));
    return b.length === 0 ? null : b;
  }

  async skip(n: number): Promise<number> {
    const k = Math.max(0, Math.min(n, this.end - this.offset));
    this.offset += k;
    return k;
  }

  async drain(): Promise<void> {
    this.offset = this.end;
  }
}
