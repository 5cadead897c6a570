// `pman logs`: reads the log files the shims write (never the containers themselves), replays them
// byte-exact to stdout/stderr in bounded memory, and with --follow keeps reading (across
// rotations and restarts) until the container has exited and every last line has been delivered.
import type { Context } from '../context.js';
import { InvalidStateError, NotFoundError } from '../errors.js';
import { readDropped } from '../logs/log-files.js';
import { LogSource } from '../logs/log-source.js';
import { lineParser, StreamRenderer, type LogFormat, type LogLine } from '../logs/stream-renderer.js';
import { findTailPosition } from '../logs/tail-position.js';
import type { LogStream } from '../logs/k8s-file.js';
import { processAlive } from '../util/proc.js';
import type { ContainerRecord } from '../state/container-record.js';
import { loadContainerOrUnreadable } from '../state/containers.js';
import { reconcile } from './reconcile.js';
import { shimAlive } from './start.js';
import { isCreated, isRunning } from '../state/container-status.js';

export interface LogsOptions {
  follow: boolean;
  /** Logical lines from the end per container; -1 for all. */
  tail: number;
  since?: bigint;
  until?: bigint;
  timestamps: boolean;
  names: boolean;
  /** Each container's name prefix in its own colour (logs --color). */
  color?: boolean;
}

/** ANSI colours cycled over the containers of logs --color: red, green, yellow, blue, magenta, cyan. */
const NAME_COLORS = [31, 32, 33, 34, 35, 36];

/** The `<name>` prefix of a container's lines, coloured by its place in the list with --color. */
export function namePrefix(name: string, index: number, color: boolean): string {
  return color ? `\x1b[${NAME_COLORS[index % NAME_COLORS.length]}m${name}\x1b[0m` : name;
}

export interface LogsOutput {
  write(stream: LogStream, data: Buffer): Promise<void>;
  warn(message: string): void;
}

const POLL_MS = 100;
/** Output to one stream is gathered up to this size before it is written. */
const WRITE_BATCH = 1 << 20;

/** One container's log being read: its files, the renderer, and what was already reported. */
class ContainerLog {
  readonly source: LogSource;
  readonly renderer: StreamRenderer;
  readonly format: LogFormat;
  private warnedCorrupt = false;
  private chunkPath = '';
  private chunkOffset = 0;
  droppedReported = 0;
  done = false;

  constructor(
    readonly rec: ContainerRecord,
    opts: LogsOptions,
    private readonly warn: (m: string) => void,
    index = 0,
  ) {
    this.format = rec.config.logDriver === 'json-file' ? 'json-file' : 'k8s-file';
    const maxFiles = rec.config.logOpts?.maxSize ? (rec.config.logOpts.maxFile ?? 1) : 1;
    this.source = new LogSource(rec.config.logPath, maxFiles, (file, offset, why) =>
      this.corrupt(file, offset, why === 'too-long' ? 'an over-long line' : 'a line cut off at the end of the file'),
    );
    this.renderer = new StreamRenderer(
      this.format,
      { timestamps: opts.timestamps, since: opts.since, until: opts.until, namePrefix: opts.names ? namePrefix(rec.name, index, opts.color === true) : undefined },
      (offset) => this.corrupt(this.chunkPath, this.chunkOffset + offset, 'a corrupt line'),
    );
  }

  /** Next chunk of whole lines (remembering where it came from, for warnings), or null. */
  read(): Buffer | null {
    const chunk = this.source.read();
    if (!chunk) return null;
    this.chunkPath = chunk.path;
    this.chunkOffset = chunk.offset;
    return chunk.data;
  }

  /** Starts reading at the last `n` lines (no-op for -1). */
  seekTail(n: number): void {
    if (n < 0) return;
    const pos = findTailPosition(this.source.files(), n, lineParser(this.format));
    if (pos) this.source.seek(pos);
  }

  /** At the end: a trailing piece of a line in a stopped container's log was cut off. */
  finish(live: boolean): void {
    const at = this.source.pendingPosition();
    if (!live && this.source.pendingBytes() > 0 && at) this.corrupt(at.path, at.offset, 'a line cut off at the end of the file');
    this.source.close();
  }

  /** One warning per container about lines the shim could not write (full disk), when there are new ones. */
  reportDropped(): void {
    const d = readDropped(this.rec.config.logPath);
    if (!d || d.lines + d.bytes === 0 || d.lines + d.bytes === this.droppedReported) return;
    this.droppedReported = d.lines + d.bytes;
    this.warn(
      `the log of container "${this.rec.name}" is missing ${d.lines} line${d.lines === 1 ? '' : 's'} (${d.bytes} bytes) of output ` +
        `that could not be written${d.error ? ` (${d.error})` : ''}`,
    );
  }

  private corrupt(file: string, offset: number, what: string): void {
    if (this.warnedCorrupt) return;
    this.warnedCorrupt = true;
    this.warn(`skipping ${what} at byte ${offset} of ${file}, the log of container "${this.rec.name}"; further bad lines are skipped silently`);
  }
}

/** Gathers writes to one stream so that small pieces go out in large writes. */
class Batcher {
  private parts: Buffer[] = [];
  private size = 0;
  private stream: LogStream = 'stdout';
  constructor(private readonly out: LogsOutput) {}

  async add(stream: LogStream, data: Buffer): Promise<void> {
    if (stream !== this.stream || this.size + data.length > WRITE_BATCH) await this.flush();
    this.stream = stream;
    this.parts.push(data);
    this.size += data.length;
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const data = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    await this.out.write(this.stream, data);
  }
}

export async function showLogs(ctx: Context, recs: ContainerRecord[], opts: LogsOptions, out: LogsOutput, now: () => number = Date.now): Promise<void> {
  for (const rec of recs) {
    if (rec.config.logDriver === 'none') {
      throw new InvalidStateError(`container "${rec.name}" was created with --log-driver none: it has no logs`);
    }
  }
  const logs = recs.map((r, i) => new ContainerLog(r, opts, out.warn, i));
  try {
    if (logs.length === 1) await replayOne(logs[0]!, opts, out);
    else await replayMerged(logs, opts, out);
    for (const l of logs) l.reportDropped();
    if (opts.follow) await follow(ctx, logs, opts, out, now);
    for (const l of logs) {
      if (!l.done) l.finish(isLive(loadOrNull(ctx, l.rec.id)));
    }
  } finally {
    for (const l of logs) l.source.close();
  }
}

/** One container: stream from the tail position (or the start), or keep the last N of the filtered lines. */
async function replayOne(log: ContainerLog, opts: LogsOptions, out: LogsOutput): Promise<void> {
  const batch = new Batcher(out);
  if (opts.tail >= 0 && (opts.since !== undefined || opts.until !== undefined)) {
    for (const line of lastLines(log, opts.tail)) await batch.add(line.stream, line.data);
  } else {
    log.seekTail(opts.tail);
    for (let chunk = log.read(); chunk; chunk = log.read()) {
      for (const w of log.renderer.render(chunk)) await batch.add(w.stream, w.data);
    }
  }
  await batch.flush();
}

/** The last n logical lines that pass since/until, read forwards (the filter decides what counts). */
function lastLines(log: ContainerLog, n: number): LogLine[] {
  const ring: LogLine[] = [];
  let next = 0;
  const keep = (line: LogLine) => {
    if (n === 0) return;
    if (ring.length < n) ring.push(line);
    else ring[next] = line;
    next = (next + 1) % n;
  };
  for (let chunk = log.read(); chunk; chunk = log.read()) log.renderer.lines(chunk).forEach(keep);
  const unfinished = log.renderer.unfinishedLine();
  if (unfinished) keep(unfinished);
  return ring.length < n ? ring : [...ring.slice(next), ...ring.slice(0, next)];
}

/** Several containers: each one's selected lines, merged by time (file order kept within one). */
async function replayMerged(logs: ContainerLog[], opts: LogsOptions, out: LogsOutput): Promise<void> {
  const filtered = opts.since !== undefined || opts.until !== undefined;
  const feeds = logs.map((log) => {
    if (opts.tail >= 0 && filtered) {
      let lines: LogLine[] | null = lastLines(log, opts.tail);
      return () => {
        const l = lines;
        lines = null;
        return l;
      };
    }
    log.seekTail(opts.tail);
    let ended = false;
    return () => {
      if (ended) return null;
      for (let chunk = log.read(); chunk; chunk = log.read()) {
        const lines = log.renderer.lines(chunk);
        if (lines.length > 0) return lines;
      }
      ended = true;
      const unfinished = log.renderer.unfinishedLine();
      return unfinished ? [unfinished] : null;
    };
  });
  const heads = feeds.map((feed) => ({ feed, lines: feed() ?? [], i: 0 }));
  const batch = new Batcher(out);
  for (;;) {
    let best = -1;
    for (let k = 0; k < heads.length; k++) {
      const h = heads[k]!;
      if (h.i >= h.lines.length) {
        h.lines = h.feed() ?? [];
        h.i = 0;
        if (h.lines.length === 0) continue;
      }
      if (best < 0 || h.lines[h.i]!.time < heads[best]!.lines[heads[best]!.i]!.time) best = k;
    }
    if (best < 0) break;
    const h = heads[best]!;
    const line = h.lines[h.i++]!;
    await batch.add(line.stream, line.data);
  }
  await batch.flush();
}

/**
 * Polls every container until it has exited (and is not being restarted) or --until has passed,
 * then reads once more: the shim closes the log before it records the exit, so that last read has
 * every line (podman#10675).
 */
async function follow(ctx: Context, logs: ContainerLog[], opts: LogsOptions, out: LogsOutput, now: () => number): Promise<void> {
  const untilMs = opts.until === undefined ? undefined : Number(opts.until / 1_000_000n);
  for (;;) {
    let active = 0;
    let gotData = false;
    for (const log of logs) {
      if (log.done) continue;
      const rec = loadOrNull(ctx, log.rec.id);
      const current = rec ? await reconcile(ctx, rec).catch(() => rec) : null;
      const live = isLive(current);
      const batch = new Batcher(out);
      for (let chunk = log.read(); chunk; chunk = log.read()) {
        gotData = true;
        for (const w of log.renderer.render(chunk)) await batch.add(w.stream, w.data);
      }
      await batch.flush();
      if (!live || log.renderer.pastUntil || (untilMs !== undefined && now() > untilMs)) {
        log.done = true;
        log.finish(live);
        log.reportDropped();
      } else active++;
    }
    if (active === 0) return;
    if (!gotData) await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

function loadOrNull(ctx: Context, id: string): ContainerRecord | null {
  try {
    return loadContainerOrUnreadable(ctx, id);
  } catch (err) {
    if (err instanceof NotFoundError) return null; // removed
    throw err;
  }
}

/**
 * Whether more output may come: the container runs, or its shim is about to start it, or a
 * `pman restart` is between the stop and the start. A shim still alive after the exit was
 * recorded adds nothing: it closed the log before recording the exit.
 */
function isLive(rec: ContainerRecord | null): boolean {
  if (!rec) return false;
  const s = rec.state;
  if (isRunning(rec)) return true;
  if (isCreated(rec) && shimAlive(rec)) return true;
  return s.restarting !== undefined && processAlive(s.restarting.pid, s.restarting.startTime);
}
