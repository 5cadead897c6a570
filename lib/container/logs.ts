// `pman logs`: reads the log files the shims write (never the containers themselves), replays them
// byte-exact to stdout/stderr, and with --follow keeps reading until the container has exited and
// every last line has been delivered.
import fs from 'node:fs';
import type { Context } from '../context.js';
import { InvalidStateError } from '../errors.js';
import { parseK8sLine, type LogRecord } from '../logs/k8s-file.js';
import { parseJsonFileLine } from '../logs/json-file.js';
import { LineSplitter } from '../logs/line-splitter.js';
import { replay, renderRecord } from '../logs/replay.js';
import type { ContainerRecord } from '../state/container-record.js';
import { loadContainer } from '../state/containers.js';
import { reconcile } from './reconcile.js';
import { shimAlive } from './start.js';

export interface LogsOptions {
  follow: boolean;
  tail: number;
  since?: bigint;
  until?: bigint;
  timestamps: boolean;
  names: boolean;
}

export interface LogsOutput {
  write(stream: 'stdout' | 'stderr', data: Buffer): Promise<void>;
  warn(message: string): void;
}

const POLL_MS = 100;
const READ_SIZE = 1 << 20;

/** Reads records from a log file from `offset` on; returns them and the offset of the unread rest. */
export class LogReader {
  private offset = 0;
  private readonly splitter = new LineSplitter();
  private warned = false;
  private lineNo = 0;
  constructor(
    private readonly rec: ContainerRecord,
    private readonly warn: (m: string) => void,
  ) {}

  /** Reads whatever complete lines are in the file now. */
  readAvailable(): LogRecord[] {
    const out: LogRecord[] = [];
    let fd: number;
    try {
      fd = fs.openSync(this.rec.config.logPath, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return out;
      throw err;
    }
    try {
      for (;;) {
        // A fresh buffer per read: parsed records are views into it.
        const buf = Buffer.allocUnsafe(READ_SIZE);
        const n = fs.readSync(fd, buf, 0, buf.length, this.offset);
        if (n <= 0) break;
        this.offset += n;
        for (const line of this.splitter.push(buf.subarray(0, n))) this.parse(line, out);
      }
    } finally {
      fs.closeSync(fd);
    }
    return out;
  }

  private parse(line: Buffer, out: LogRecord[]): void {
    this.lineNo++;
    const rec = this.rec.config.logDriver === 'json-file' ? parseJsonFileLine(line) : parseK8sLine(line);
    if (rec) out.push(rec);
    else if (!this.warned) {
      this.warned = true;
      this.warn(`skipping corrupt line ${this.lineNo} in the log of container "${this.rec.name}" (${this.rec.config.logPath}); later corrupt lines are skipped silently`);
    }
  }

  /** A trailing line without newline at the end of the file (e.g. cut by a crash): skipped, warned. */
  finish(): void {
    const rest = this.splitter.flush();
    if (rest && rest.length > 0) {
      this.lineNo++;
      if (!this.warned) {
        this.warned = true;
        this.warn(`skipping truncated last line in the log of container "${this.rec.name}" (${this.rec.config.logPath})`);
      }
    }
  }
}

function isLive(rec: ContainerRecord): boolean {
  return rec.state.status === 'running' || rec.state.status === 'paused' || shimAlive(rec);
}

export async function showLogs(ctx: Context, recs: ContainerRecord[], opts: LogsOptions, out: LogsOutput): Promise<void> {
  for (const rec of recs) {
    if (rec.config.logDriver === 'none') {
      throw new InvalidStateError(`container "${rec.name}" was created with --log-driver none: it has no logs`);
    }
  }
  const readers = recs.map((r) => ({ rec: r, reader: new LogReader(r, out.warn) }));
  const prefix = (rec: ContainerRecord) => (opts.names ? rec.name : undefined);
  if (readers.length === 1) {
    const { rec, reader } = readers[0];
    for (const w of replay(reader.readAvailable(), { ...opts, namePrefix: prefix(rec) })) await out.write(w.stream, w.data);
  } else {
    // Several containers: select per container, then interleave whole lines by their time.
    const lines: LogLine[] = [];
    for (const { rec, reader } of readers) lines.push(...logicalLines(reader.readAvailable(), opts, prefix(rec)));
    lines.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
    for (const l of lines) await out.write(l.stream, l.data);
  }
  if (!opts.follow) {
    readers.forEach(({ reader }) => reader.finish());
    return;
  }
  // Follow: poll for new lines until each container has exited, then read once more so the last
  // lines written before the exit was recorded are delivered (podman#10675).
  const state = readers.map(({ rec, reader }) => ({ rec, reader, atLineStart: true, done: false }));
  for (;;) {
    let active = 0;
    for (const s of state) {
      if (s.done) continue;
      let live = true;
      try {
        const now = await reconcile(ctx, loadContainer(ctx, s.rec.id));
        live = isLive(now);
      } catch {
        live = false; // removed
      }
      for (const r of s.reader.readAvailable()) {
        if (opts.until !== undefined && r.time > opts.until) {
          live = false;
          break;
        }
        await out.write(r.stream, renderRecord(r, { timestamps: opts.timestamps, namePrefix: prefix(s.rec), atLineStart: s.atLineStart }));
        s.atLineStart = !r.partial;
      }
      if (!live) {
        s.done = true;
        s.reader.finish();
      } else active++;
    }
    if (active === 0) return;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

interface LogLine {
  time: bigint;
  stream: 'stdout' | 'stderr';
  data: Buffer;
}

/** The selected logical lines (P pieces joined with their F) rendered, with their start time. */
function logicalLines(records: LogRecord[], opts: LogsOptions, namePrefix: string | undefined): LogLine[] {
  const out: LogLine[] = [];
  let first: LogRecord | undefined;
  let parts: Buffer[] = [];
  for (const w of replayRecords(records, opts)) {
    first ??= w;
    parts.push(renderRecord(w, { timestamps: opts.timestamps, namePrefix, atLineStart: parts.length === 0 }));
    if (!w.partial) {
      out.push({ time: first.time, stream: w.stream, data: Buffer.concat(parts) });
      parts = [];
      first = undefined;
    }
  }
  if (first && parts.length > 0) out.push({ time: first.time, stream: first.stream, data: Buffer.concat(parts) });
  return out;
}

/** since/until on whole lines, then tail: the same selection as replay(), as records. */
function replayRecords(records: LogRecord[], opts: LogsOptions): LogRecord[] {
  const inRange = (t: bigint) => (opts.since === undefined || t >= opts.since) && (opts.until === undefined || t <= opts.until);
  const lines: LogRecord[][] = [];
  let cur: LogRecord[] = [];
  for (const r of records) {
    cur.push(r);
    if (!r.partial) {
      lines.push(cur);
      cur = [];
    }
  }
  if (cur.length) lines.push(cur);
  let kept = lines.filter((l) => inRange(l[0].time));
  if (opts.tail >= 0) kept = kept.slice(Math.max(0, kept.length - opts.tail));
  return kept.flat();
}
