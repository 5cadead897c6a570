// Writes the container log as the shim reads output. A failed write (disk full) never stops the
// container: the lines are counted as dropped and the count is recorded next to the log.
import fs from 'node:fs';
import { encodeK8sChunk } from '../logs/k8s-file.js';
import { encodeJsonFileChunk } from '../logs/json-file.js';
import type { LogDriver } from '../state/container-record.js';

/** Nanoseconds since the epoch, monotonic within this process (wall clock taken once). */
export function makeClock(): () => bigint {
  const base = BigInt(Date.now()) * 1_000_000n;
  const start = process.hrtime.bigint();
  return () => base + (process.hrtime.bigint() - start);
}

export class LogWriter {
  private fd = -1;
  private droppedBytes = 0;
  private readonly now = makeClock();

  constructor(
    private readonly path: string,
    private readonly driver: LogDriver,
    private readonly onError: (message: string) => void,
  ) {
    if (driver === 'none') return;
    this.fd = fs.openSync(path, 'a', 0o600);
  }

  write(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    if (this.fd < 0) return;
    const t = this.now();
    const rec = this.driver === 'json-file' ? encodeJsonFileChunk(stream, chunk, t) : encodeK8sChunk(stream, chunk, t);
    try {
      let off = 0;
      while (off < rec.length) off += fs.writeSync(this.fd, rec, off);
    } catch (err) {
      this.droppedBytes += chunk.length;
      this.recordDrop(err as Error);
    }
  }

  private recordDrop(err: Error): void {
    // One small file, rewritten: "<bytes dropped> <reason>". pman logs reports it.
    try {
      fs.writeFileSync(`${this.path}.dropped`, `${this.droppedBytes} ${err.message}\n`);
    } catch {
      this.onError(`log write failed and the drop could not be recorded: ${err.message}`);
    }
  }

  /** Flushes the log to disk (called before the exit status is published). */
  close(): void {
    if (this.fd < 0) return;
    try {
      fs.fsyncSync(this.fd);
    } catch {
      /* nothing more to do */
    }
    fs.closeSync(this.fd);
    this.fd = -1;
  }
}
