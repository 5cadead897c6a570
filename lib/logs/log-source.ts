// The bytes of a container log, in order, across rotated files: `pman logs` reads whole lines
// from here in large chunks, and with --follow keeps reading while the shim appends and rotates.
// A file is tracked by its open fd (inode) and offset, never by name, so a rename or removal
// during a rotation loses nothing; a file is left only when a newer one exists, and then it is
// read to its end first (the shim never writes to a file once it has started the next one).
import fs from 'node:fs';
import { openLogFiles, type OpenLogFile } from './log-files.js';

/** Where to start reading: a file of the set (by inode) and a byte offset in it. */
export interface LogPosition {
  ino: number;
  offset: number;
}

export interface LogChunk {
  /** Whole lines, each ended by `\n`. A fresh buffer the caller may keep and modify. */
  data: Buffer;
  /** The file the lines come from (for messages) and the offset of data[0] in it. */
  path: string;
  offset: number;
}

interface Cursor extends OpenLogFile {
  offset: number;
}

const NL = 0x0a;
const DEFAULT_READ_SIZE = 4 << 20;
/** A "line" this long without a `\n` is corruption: it is skipped up to the next `\n`. */
const MAX_LINE = 64 << 20;

export class LogSource {
  private cur: Cursor | undefined;
  /** Opened files newer than cur, oldest first. */
  private queue: Cursor[] = [];
  private opened = false;
  /** Bytes read from cur after its last `\n` (a line not yet complete). */
  private rest: Buffer = Buffer.alloc(0);
  private restOffset = 0;
  private skipping = false;

  constructor(
    private readonly logPath: string,
    private readonly maxFiles: number,
    /** Told about bytes that can never become a line: cut off at the end of a rotated file, or too long. */
    private readonly onBadTail: (path: string, offset: number, why: 'truncated' | 'too-long') => void,
    private readonly readSize = DEFAULT_READ_SIZE,
    private readonly maxLine = MAX_LINE,
  ) {}

  /** Opens the files of the log as they are now (read() does it on first use). */
  open(): void {
    if (this.opened) return;
    this.opened = true;
    this.queue = openLogFiles(this.logPath, this.maxFiles).map((f) => ({ ...f, offset: 0 }));
  }

  /** The files opened and not yet read, oldest first (for findTailPosition, before any read()). */
  files(): readonly OpenLogFile[] {
    this.open();
    return this.queue;
  }

  /** Skips to a position in one of files(): earlier files are dropped unread. */
  seek(pos: LogPosition): void {
    const i = this.queue.findIndex((f) => f.ino === pos.ino);
    if (i < 0) return;
    for (const f of this.queue.splice(0, i)) fs.closeSync(f.fd);
    this.queue[0]!.offset = pos.offset;
  }

  /**
   * The next whole lines available now, or null when everything written so far has been read
   * (call again later to follow). Lines are never split across chunks or files.
   */
  read(): LogChunk | null {
    this.open();
    // Open newer files as soon as they appear (cheap: a few syscalls per chunk): an open file
    // survives any later rotation, so a reader that falls behind the writer loses nothing unless
    // max-file rotations happen within one chunk.
    if (this.cur) this.refresh();
    for (;;) {
      if (!this.cur) {
        if (this.queue.length === 0) this.refresh();
        const next = this.queue.shift();
        if (!next) return null;
        this.cur = next;
        this.rest = Buffer.alloc(0);
        this.restOffset = next.offset;
      }
      const cur = this.cur;
      const size = Math.max(this.readSize, this.rest.length * 2);
      const buf = Buffer.allocUnsafe(size);
      this.rest.copy(buf, 0);
      const n = fs.readSync(cur.fd, buf, this.rest.length, size - this.rest.length, cur.offset);
      if (n > 0) {
        cur.offset += n;
        const filled = this.rest.length + n;
        const chunk = this.cut(buf, filled, cur);
        if (chunk) return chunk;
        continue;
      }
      // At the end of cur. It is complete once a newer file exists, and a file seen before this
      // read started: the shim writes nothing more to a file once it has made the next one.
      if (this.queue.length > 0) {
        if (this.rest.length > 0 && !this.skipping) this.onBadTail(cur.path, this.restOffset, 'truncated');
        this.closeCurrent();
        continue;
      }
      this.refresh();
      if (this.queue.length > 0) continue; // read cur to its end once more
      if (fs.fstatSync(cur.fd).size < cur.offset) {
        // Truncated in place (by hand, or by another tool): start it over.
        cur.offset = 0;
        this.rest = Buffer.alloc(0);
        this.restOffset = 0;
        this.skipping = false;
        continue;
      }
      return null;
    }
  }

  /** Bytes after the last `\n` of the newest file: a line being written, or cut off by a crash. */
  pendingBytes(): number {
    return this.skipping ? 0 : this.rest.length;
  }

  /** Where the pending bytes start (for a warning about them). */
  pendingPosition(): { path: string; offset: number } | null {
    return this.cur ? { path: this.cur.path, offset: this.restOffset } : null;
  }

  close(): void {
    this.closeCurrent();
    for (const f of this.queue) fs.closeSync(f.fd);
    this.queue = [];
  }

  private closeCurrent(): void {
    if (this.cur) fs.closeSync(this.cur.fd);
    this.cur = undefined;
    this.rest = Buffer.alloc(0);
    this.skipping = false;
  }

  /** Splits buf[0, filled) at its last `\n`: returns the lines and keeps the rest for later. */
  private cut(buf: Buffer, filled: number, cur: Cursor): LogChunk | null {
    const start = this.restOffset;
    const nl = buf.lastIndexOf(NL, filled - 1);
    if (nl < 0) {
      if (filled >= this.maxLine || this.skipping) {
        if (!this.skipping) this.onBadTail(cur.path, start, 'too-long');
        this.skipping = true;
        this.rest = Buffer.alloc(0);
        this.restOffset = cur.offset;
      } else {
        this.rest = buf.subarray(0, filled);
      }
      return null;
    }
    this.rest = nl + 1 < filled ? Buffer.from(buf.subarray(nl + 1, filled)) : Buffer.alloc(0);
    this.restOffset = start + nl + 1;
    if (this.skipping) {
      // The end of an over-long line: drop it, keep what follows.
      this.skipping = false;
      const first = buf.indexOf(NL);
      if (first === nl) return null;
      return { data: buf.subarray(first + 1, nl + 1), path: cur.path, offset: start + first + 1 };
    }
    return { data: buf.subarray(0, nl + 1), path: cur.path, offset: start };
  }

  /** Opens the files that came after the last one known (all of them at first). */
  private refresh(): void {
    const last = this.queue.at(-1) ?? this.cur;
    const files = openLogFiles(this.logPath, this.maxFiles);
    // Files are removed oldest first: if `last` is no longer in the set, every file in it is newer.
    const i = last ? files.findIndex((f) => f.ino === last.ino) : -1;
    for (const [j, f] of files.entries()) {
      if (j > i) this.queue.push({ ...f, offset: 0 });
      else fs.closeSync(f.fd);
    }
  }
}
