// Exact-length reads over an async stream of chunks: the tar reader needs "the next 512 bytes"
// and "the next N body bytes" without buffering whole entries in memory.

/** What the tar reader reads from: exact-length reads, bounded chunks, skips. */
export interface Source {
  /** The archive offset of the next byte. */
  readonly offset: number;
  read(n: number): Promise<Buffer>;
  readChunk(max: number): Promise<Buffer | null>;
  skip(n: number): Promise<number>;
  drain(): Promise<void>;
}

export class ByteSource implements Source {
  private readonly it: AsyncIterator<Uint8Array | string>;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private ended = false;
  /** Bytes handed out so far (the archive offset of the next byte). */
  offset = 0;

  constructor(input: AsyncIterable<Uint8Array | string>) {
    this.it = input[Symbol.asyncIterator]();
  }

  private async fill(n: number): Promise<void> {
    while (this.buffered < n && !this.ended) {
      const r = await this.it.next();
      if (r.done) {
        this.ended = true;
        break;
      }
      const chunk = typeof r.value === 'string' ? Buffer.from(r.value) : Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
      if (chunk.length === 0) continue;
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
  }

  /** Up to `max` bytes from what is available next (at least one unless at the end); null at the end. */
  async readChunk(max: number): Promise<Buffer | null> {
    if (this.buffered === 0) await this.fill(1);
    if (this.buffered === 0) return null;
    const first = this.chunks[0];
    let out: Buffer;
    if (first.length <= max) {
      out = first;
      this.chunks.shift();
    } else {
      out = first.subarray(0, max);
      this.chunks[0] = first.subarray(max);
    }
    this.buffered -= out.length;
    this.offset += out.length;
    return out;
  }

  /** Exactly `n` bytes, or fewer only when the input ends first. */
  async read(n: number): Promise<Buffer> {
    await this.fill(n);
    const take = Math.min(n, this.buffered);
    const parts: Buffer[] = [];
    let got = 0;
    while (got < take) {
      const c = (await this.readChunk(take - got)) as Buffer;
      parts.push(c);
      got += c.length;
    }
    return parts.length === 1 ? parts[0] : Buffer.concat(parts, got);
  }

  /** Discards `n` bytes; returns how many were actually there. */
  async skip(n: number): Promise<number> {
    let left = n;
    while (left > 0) {
      const c = await this.readChunk(left);
      if (!c) break;
      left -= c.length;
    }
    return n - left;
  }

  /** Reads and discards everything that is left (so hashes of the whole stream complete). */
  async drain(): Promise<void> {
    while (await this.readChunk(1 << 20)) {
      /* discard */
    }
  }
}
