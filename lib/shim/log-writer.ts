// Writes the container log as the shim reads output, on the hot path: one encode and one write per
// read. With max-size it rotates by renames (`<log>` -> `<log>.1` -> … , at most max-file files),
// always between records. A failed write (disk full) never stops the container: the lines are
// counted as dropped in `<log>.dropped`, a fixed-size file made at start and rewritten in place so
// that recording a drop needs no free space.
import fs from 'node:fs';
import { encodeK8sChunk } from '../logs/k8s-file.js';
import { encodeJsonFileChunk } from '../logs/json-file.js';
import { DROPPED_RECORD_SIZE, droppedPath, encodeDropped, logFilePath, readDropped, type DroppedRecord } from '../logs/log-files.js';
import type { LogDriver, LogOptions } from '../state/container-record.js';
import { failpoint } from '../util/failpoint.js';

const NL = 0x0a;

/** Nanoseconds since the epoch, monotonic within this process (wall clock taken once). */
export function makeClock(): () => bigint {
  const base = BigInt(Date.now()) * 1_000_000n;
  const start = process.hrtime.bigint();
  return () => base + (process.hrtime.bigint() - start);
}

export class LogWriter {
  private fd = -1;
  /** Bytes in the current file. */
  private size = 0;
  private droppedFd = -1;
  private readonly dropped: DroppedRecord = { lines: 0, bytes: 0, error: '' };
  private readonly now = makeClock();
  /** 0: no limit. */
  private readonly maxSize: number;
  private readonly maxFiles: number;
  private lastError = '';

  constructor(
    private readonly path: string,
    private readonly driver: LogDriver,
    private readonly onError: (message: string) => void,
    opts: LogOptions = {},
  ) {
    this.maxSize = opts.maxSize ?? 0;
    this.maxFiles = Math.max(1, opts.maxFile ?? 1);
    if (driver === 'none') return;
    this.openDropped();
    this.fd = fs.openSync(path, 'a', 0o600);
    this.size = fs.fstatSync(this.fd).size;
  }

  write(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    if (this.driver === 'none' || chunk.length === 0) return;
    const t = this.now();
    const rec = this.driver === 'json-file' ? encodeJsonFileChunk(stream, chunk, t) : encodeK8sChunk(stream, chunk, t);
    if (this.maxSize > 0 && this.size + rec.length > this.maxSize) this.writeRotating(rec, chunk);
    else this.append(rec, 0, rec.length, chunk);
  }

  /**
   * Flushes the log to disk (called before the exit status is published) and closes it. Not
   * flushed (`sync` false) when it is about to be removed: a --rm container's log goes with it.
   */
  close(sync = true): void {
    if (this.fd >= 0) {
      try {
        if (sync) fs.fsyncSync(this.fd);
      } catch {
        /* nothing more to do */
      }
      fs.closeSync(this.fd);
      this.fd = -1;
    }
    if (this.droppedFd >= 0) fs.closeSync(this.droppedFd);
    this.droppedFd = -1;
  }

  // Writes the records of rec[from, to) to the current file; on failure drops them and keeps the
  // file ending at a record boundary. Returns whether they were written.
  private append(rec: Buffer, from: number, to: number, chunk: Buffer): boolean {
    if (this.fd < 0 && !this.openLog()) {
      this.drop(rec, from, chunk, this.lastError);
      return false;
    }
    let off = from;
    try {
      while (off < to) off += fs.writeSync(this.fd, rec, off, to - off);
      this.size += to - from;
      return true;
    } catch (err) {
      // Keep the whole records that made it; cut a partial one off again (freeing space needs none).
      const kept = off > from ? Math.max(from, rec.lastIndexOf(NL, off - 1) + 1) : from;
      this.size += kept - from;
      if (off > kept) {
        try {
          fs.ftruncateSync(this.fd, this.size);
        } catch {
          /* the reader skips the cut record with a warning */
        }
      }
      this.drop(rec, kept, chunk, (err as NodeJS.ErrnoException).code ?? (err as Error).message);
      return false;
    }
  }

  // max-size: the records that fit go to the current file, then the next file is started; a record
  // is never split, and one bigger than max-size gets a file of its own.
  private writeRotating(rec: Buffer, chunk: Buffer): void {
    let from = 0;
    while (from < rec.length) {
      const room = this.maxSize - this.size;
      let to = rec.length;
      if (rec.length - from > room) {
        const nl = room > 0 ? rec.lastIndexOf(NL, from + room - 1) : -1;
        to = nl >= from ? nl + 1 : from;
      }
      if (to === from) {
        if (this.size > 0) {
          this.rotate();
          continue;
        }
        to = rec.indexOf(NL, from) + 1;
      }
      if (!this.append(rec, from, to, chunk)) return;
      from = to;
    }
  }

  /** `<log>.k` -> `<log>.k+1` (oldest first, the last one falls off), `<log>` -> `<log>.1`, new `<log>`. */
  private rotate(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
    try {
      if (this.maxFiles === 1) fs.rmSync(this.path, { force: true });
      else {
        for (let k = this.maxFiles - 2; k >= 0; k--) {
          try {
            fs.renameSync(logFilePath(this.path, k), logFilePath(this.path, k + 1));
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
          }
        }
      }
    } catch (err) {
      this.onError(`cannot rotate the log ${this.path}: ${(err as Error).message}`);
    }
    failpoint('log.after-rotate');
    this.openLog();
  }

  private openLog(): boolean {
    try {
      this.fd = fs.openSync(this.path, 'a', 0o600);
      this.size = fs.fstatSync(this.fd).size;
      return true;
    } catch (err) {
      this.lastError = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      this.fd = -1;
      return false;
    }
  }

  // Counts the records of rec[from, …) as dropped: they are the end of `chunk`.
  private drop(rec: Buffer, from: number, chunk: Buffer, error: string): void {
    let records = 0;
    for (let i = rec.indexOf(NL, from); i !== -1; i = rec.indexOf(NL, i + 1)) records++;
    const lost = chunkSuffix(chunk, records);
    this.dropped.lines += lost.lines;
    this.dropped.bytes += lost.bytes;
    this.dropped.error = error;
    if (this.droppedFd < 0) this.openDropped();
    try {
      fs.writeSync(this.droppedFd, encodeDropped(this.dropped), 0, DROPPED_RECORD_SIZE, 0);
    } catch (err) {
      this.onError(`${this.dropped.lines} log lines dropped and not recorded: ${(err as Error).message}`);
    }
  }

  /** Opens (creating it at its full size if needed) `<log>.dropped`, carrying over earlier counts. */
  private openDropped(): void {
    const p = droppedPath(this.path);
    const before = readDropped(this.path);
    if (before) Object.assign(this.dropped, before);
    try {
      this.droppedFd = fs.openSync(p, before ? 'r+' : 'w+', 0o600);
      if (!before) fs.writeSync(this.droppedFd, encodeDropped(this.dropped), 0, DROPPED_RECORD_SIZE, 0);
    } catch (err) {
      this.onError(`cannot create ${p}: ${(err as Error).message}`);
    }
  }
}

/** The output lines and bytes at the end of chunk that the last `records` records of its encoding hold. */
export function chunkSuffix(chunk: Buffer, records: number): { lines: number; bytes: number } {
  let pos = chunk.length;
  let left = records;
  let lines = 0;
  if (left > 0 && chunk[chunk.length - 1] !== NL) {
    pos = chunk.lastIndexOf(NL) + 1; // the trailing piece without `\n`: a P record
    left--;
  }
  for (; left > 0 && pos > 0; left--, lines++) pos = pos < 2 ? 0 : chunk.lastIndexOf(NL, pos - 2) + 1;
  return { lines, bytes: chunk.length - pos };
}
