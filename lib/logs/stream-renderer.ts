// Turns chunks of whole log lines into what `pman logs` prints, one chunk at a time, so a log of
// any size replays in bounded memory. The same rules as replay.ts (since/until judge a logical line
// by its first piece, prefixes only at the start of a logical line), as a stream. The common case
// (k8s-file, no name prefix) allocates nothing per line: payloads are moved to the front of the
// chunk in place and the chunk itself is printed.
import { parseK8sLine, type LogRecord, type LogStream } from './k8s-file.js';
import { parseJsonFileLine } from './json-file.js';
import { parseTimestamp, shownTimestamp } from './timestamp.js';
import { renderRecord, type ReplayWrite } from './replay.js';

export type LogFormat = 'k8s-file' | 'json-file';

export interface RenderOptions {
  timestamps: boolean;
  /** ns; keep logical lines whose first piece is at or after this instant */
  since?: bigint;
  /** ns; keep logical lines whose first piece is at or before this instant */
  until?: bigint;
  /** printed, followed by a space, at the start of each line */
  namePrefix?: string;
}

/** One logical line as printed, with the time of its first piece (for merging containers). */
export interface LogLine {
  time: bigint;
  stream: LogStream;
  data: Buffer;
}

const NL = 0x0a;
const SPACE = 0x20;
const F = 0x46;
const P = 0x50;

export function lineParser(format: LogFormat): (line: Buffer) => LogRecord | null {
  return format === 'json-file' ? parseJsonFileLine : parseK8sLine;
}

export class StreamRenderer {
  private atLineStart = true;
  private keep = true;
  /** The stream of the last output written (k8s fast path). */
  private stream: LogStream = 'stdout';
  /** The last timestamp seen by the fast path: its bytes, and its value. */
  private tsBytes = Buffer.alloc(0);
  private tsView = new DataView(new ArrayBuffer(0));
  private tsNs = 0n;
  /** That timestamp as printed, with its space (shownTimestamp: never longer than in the file). */
  private tsShown = Buffer.alloc(0);
  /** The pieces of a logical line not yet ended (lines()). */
  private parts: Buffer[] = [];
  private partsTime = 0n;
  private partsStream: LogStream = 'stdout';
  private readonly parse: (line: Buffer) => LogRecord | null;
  /** Set once a line that starts after `until` was seen: a follower can stop. */
  pastUntil = false;

  constructor(
    private readonly format: LogFormat,
    private readonly opts: RenderOptions,
    /** Called for each line that is not a record, with its offset in the chunk. */
    private readonly onCorrupt: (offset: number) => void,
  ) {
    this.parse = lineParser(format);
  }

  /**
   * The output for a chunk of whole lines, in order, consecutive output to one stream merged.
   * The returned buffers may share memory with `chunk`, which is overwritten.
   */
  render(chunk: Buffer): ReplayWrite[] {
    if (this.format === 'k8s-file' && this.opts.namePrefix === undefined) return this.renderK8sInPlace(chunk);
    const writes: ReplayWrite[] = [];
    let pending: Buffer[] = [];
    const flush = () => {
      if (pending.length > 0) writes.push({ stream: this.stream, data: pending.length === 1 ? pending[0]! : Buffer.concat(pending) });
      pending = [];
    };
    this.eachRecord(chunk, (rec) => {
      if (!this.startPiece(rec.time)) return this.endPiece(rec.partial);
      if (rec.stream !== this.stream) {
        flush();
        this.stream = rec.stream;
      }
      pending.push(renderRecord(rec, { timestamps: this.opts.timestamps, namePrefix: this.opts.namePrefix, atLineStart: this.atLineStart }));
      this.endPiece(rec.partial);
    });
    flush();
    return writes;
  }

  /** The logical lines that a chunk completes, rendered, with their times (for --tail with filters, and merging). */
  lines(chunk: Buffer): LogLine[] {
    const out: LogLine[] = [];
    this.eachRecord(chunk, (rec) => {
      const starting = this.atLineStart;
      if (this.startPiece(rec.time)) {
        if (starting) this.partsTime = rec.time;
        this.parts.push(renderRecord(rec, { timestamps: this.opts.timestamps, namePrefix: this.opts.namePrefix, atLineStart: starting }));
        this.partsStream = rec.stream;
        if (!rec.partial) out.push(this.takeLine());
      }
      this.endPiece(rec.partial);
    });
    return out;
  }

  /** A logical line whose end is not in the log yet (P pieces at the end), or null. */
  unfinishedLine(): LogLine | null {
    return this.parts.length > 0 ? this.takeLine() : null;
  }

  private takeLine(): LogLine {
    const line = { time: this.partsTime, stream: this.partsStream, data: this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts) };
    this.parts = [];
    return line;
  }

  /** At the first piece of a logical line, decides whether the line is kept; returns that. */
  private startPiece(time: bigint): boolean {
    if (this.atLineStart) {
      const { since, until } = this.opts;
      if (until !== undefined && time > until) this.pastUntil = true;
      this.keep = (since === undefined || time >= since) && (until === undefined || time <= until);
    }
    return this.keep;
  }

  private endPiece(partial: boolean): void {
    this.atLineStart = !partial;
  }

  private eachRecord(chunk: Buffer, fn: (rec: LogRecord) => void): void {
    let pos = 0;
    while (pos < chunk.length) {
      let nl = chunk.indexOf(NL, pos);
      if (nl < 0) nl = chunk.length;
      const rec = this.parse(chunk.subarray(pos, nl));
      if (rec) fn(rec);
      else this.onCorrupt(pos);
      pos = nl + 1;
    }
  }

  // The fast path. Each record's output (timestamp prefix, payload, `\n` for F) is never longer
  // than the record itself, so it is moved down to `out` (<= the record's offset) with copyWithin
  // and no unread byte is overwritten.
  private renderK8sInPlace(chunk: Buffer): ReplayWrite[] {
    const writes: ReplayWrite[] = [];
    const len = chunk.length;
    const view = new DataView(chunk.buffer, chunk.byteOffset, len);
    const { since, until, timestamps } = this.opts;
    const filtered = since !== undefined || until !== undefined;
    let stream = this.stream;
    let out = 0;
    let flushed = 0;
    let pos = 0;
    while (pos < len) {
      let nl = chunk.indexOf(NL, pos);
      if (nl < 0) nl = len;
      // Usually the same timestamp as the record before: then no search and no parse.
      const tsLength = this.tsBytes.length;
      const same = tsLength > 0 && chunk[pos + tsLength] === SPACE && sameBytes(view, pos, this.tsView, tsLength);
      const sp = same ? pos + tsLength : chunk.indexOf(SPACE, pos);
      const tag = chunk[sp + 8];
      if (
        sp <= pos ||
        sp + 10 > nl ||
        chunk[sp + 1] !== 0x73 || // s
        chunk[sp + 2] !== 0x74 || // t
        chunk[sp + 3] !== 0x64 || // d
        chunk[sp + 7] !== SPACE ||
        chunk[sp + 9] !== SPACE ||
        (tag !== F && tag !== P) ||
        (!same && !this.newTimestamp(chunk, pos, sp))
      ) {
        this.onCorrupt(pos);
        pos = nl + 1;
        continue;
      }
      const c4 = chunk[sp + 4];
      let recStream: LogStream;
      if (c4 === 0x6f && chunk[sp + 5] === 0x75 && chunk[sp + 6] === 0x74) recStream = 'stdout';
      else if (c4 === 0x65 && chunk[sp + 5] === 0x72 && chunk[sp + 6] === 0x72) recStream = 'stderr';
      else {
        this.onCorrupt(pos);
        pos = nl + 1;
        continue;
      }
      if (this.atLineStart) {
        if (until !== undefined && this.tsNs > until) this.pastUntil = true;
        this.keep = !filtered || ((since === undefined || this.tsNs >= since) && (until === undefined || this.tsNs <= until));
      }
      if (this.keep) {
        if (recStream !== stream) {
          if (out > flushed) writes.push({ stream, data: chunk.subarray(flushed, out) });
          flushed = out;
          stream = recStream;
        }
        if (timestamps && this.atLineStart) out += this.tsShown.copy(chunk, out);
        const end = tag === P ? nl : Math.min(nl + 1, len);
        chunk.copyWithin(out, sp + 10, end);
        out += end - sp - 10;
        if (tag === F && nl === len) chunk[out++] = NL; // a last line without its `\n`
      }
      this.atLineStart = tag === F;
      pos = nl + 1;
    }
    if (out > flushed) writes.push({ stream, data: chunk.subarray(flushed, out) });
    this.stream = stream;
    return writes;
  }

  // True if chunk[from, to) is a valid timestamp; then it becomes the one compared against.
  private newTimestamp(chunk: Buffer, from: number, to: number): boolean {
    const ns = parseTimestamp(chunk.toString('latin1', from, to));
    if (ns === null) return false;
    this.tsBytes = Buffer.from(chunk.subarray(from, to));
    this.tsView = new DataView(this.tsBytes.buffer, this.tsBytes.byteOffset, this.tsBytes.length);
    this.tsNs = ns;
    this.tsShown = Buffer.from(`${shownTimestamp(chunk.toString('latin1', from, to))} `, 'latin1');
    return true;
  }
}

// a[from, from + n) === b[0, n), four bytes at a time (DataView reads need no alignment).
function sameBytes(a: DataView, from: number, b: DataView, n: number): boolean {
  let i = 0;
  for (; i + 4 <= n; i += 4) if (a.getUint32(from + i) !== b.getUint32(i)) return false;
  for (; i < n; i++) if (a.getUint8(from + i) !== b.getUint8(i)) return false;
  return true;
}
