// Log files are read in arbitrary chunks; records are lines. This turns a stream of chunks into
// complete lines without ever converting bytes to strings, so binary log data stays intact.

const NL = 0x0a;

/**
 * Splits chunks into lines (without the `\n`). Returned lines may be views into the chunk passed
 * to push(), so they stay valid only while the caller leaves that chunk alone; a line that spans
 * chunks is assembled from copies and is safe even if the caller reuses its read buffer.
 */
export class LineSplitter {
  #pending: Buffer[] = [];

  push(chunk: Buffer): Buffer[] {
    const lines: Buffer[] = [];
    let nl = chunk.indexOf(NL);
    if (nl === -1) {
      if (chunk.length > 0) this.#pending.push(Buffer.from(chunk));
      return lines;
    }
    if (this.#pending.length > 0) {
      this.#pending.push(chunk.subarray(0, nl));
      lines.push(Buffer.concat(this.#pending));
      this.#pending = [];
    } else {
      lines.push(chunk.subarray(0, nl));
    }
    let start = nl + 1;
    while ((nl = chunk.indexOf(NL, start)) !== -1) {
      lines.push(chunk.subarray(start, nl));
      start = nl + 1;
    }
    if (start < chunk.length) this.#pending.push(Buffer.from(chunk.subarray(start)));
    return lines;
  }

  /** The trailing bytes after the last `\n` (a line still being written), or null if there are none. */
  flush(): Buffer | null {
    if (this.#pending.length === 0) return null;
    const rest = this.#pending.length === 1 ? this.#pending[0]! : Buffer.concat(this.#pending);
    this.#pending = [];
    return rest;
  }
}
