// What pull and push report while they work, and the two ways of showing it: on a terminal, one
// live line per blob (bytes, total, speed) redrawn in place and a summary; anywhere else (a pipe,
// a log), plain lines only, one per finished step, with no carriage returns or escape codes.
import { formatBytes, TRANSFER_SIZE } from '../format/bytes.js';
import { shortId } from '../state/ids.js';

export type BlobState = 'waiting' | 'downloading' | 'uploading' | 'done' | 'exists' | 'mounted';

export interface TransferProgress {
  /** A free-standing line ("Trying to pull …", "Writing manifest to image destination"). */
  note(line: string): void;
  /** A blob appears or changes state; `kind` is "blob" or "config". */
  blob(digest: string, size: number, state: BlobState, kind?: 'blob' | 'config'): void;
  /** More bytes of a blob moved. */
  bytes(digest: string, n: number): void;
  /** All done: the summary line. */
  finish(summary: string): void;
}

export const silentProgress: TransferProgress = {
  note: () => undefined,
  blob: () => undefined,
  bytes: () => undefined,
  finish: () => undefined,
};

const STATE_TEXT: Record<BlobState, string> = {
  waiting: 'waiting',
  downloading: 'downloading',
  uploading: 'uploading',
  done: 'done',
  exists: 'skipped: already exists',
  mounted: 'skipped: mounted from another repository',
};

interface Row {
  digest: string;
  kind: 'blob' | 'config';
  size: number;
  done: number;
  state: BlobState;
  started: number;
}

/** Plain lines: one when a blob finishes (or is skipped). */
export class PlainProgress implements TransferProgress {
  constructor(private readonly out: NodeJS.WritableStream) {}
  note(line: string): void {
    this.out.write(`${line}\n`);
  }
  blob(digest: string, _size: number, state: BlobState, kind: 'blob' | 'config' = 'blob'): void {
    if (state === 'done' || state === 'exists' || state === 'mounted') this.out.write(`Copying ${kind} ${shortId(digest.replace(/^sha256:/, ''))} ${STATE_TEXT[state]}\n`);
  }
  bytes(): void {}
  finish(summary: string): void {
    this.out.write(`${summary}\n`);
  }
}

/** Live lines on a terminal, redrawn at most 10 times a second. */
export class TtyProgress implements TransferProgress {
  private readonly rows: Row[] = [];
  private drawn = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly now: () => number = Date.now,
  ) {}

  note(line: string): void {
    this.clear();
    this.out.write(`${line}\n`);
    this.draw();
  }

  blob(digest: string, size: number, state: BlobState, kind: 'blob' | 'config' = 'blob'): void {
    let row = this.rows.find((r) => r.digest === digest);
    if (!row) {
      row = { digest, kind, size, done: 0, state, started: this.now() };
      this.rows.push(row);
    }
    if ((state === 'downloading' || state === 'uploading') && row.state === 'waiting') row.started = this.now();
    row.state = state;
    if (state === 'done') row.done = size;
    this.schedule(state !== 'downloading' && state !== 'uploading');
  }

  bytes(digest: string, n: number): void {
    const row = this.rows.find((r) => r.digest === digest);
    if (!row) return;
    row.done += n;
    this.schedule(false);
  }

  finish(summary: string): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.clear();
    this.drawRows();
    this.out.write(`${summary}\n`);
    this.drawn = 0;
  }

  private schedule(now: boolean): void {
    if (now) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.redraw();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.redraw();
    }, 100);
    this.timer.unref();
  }

  private line(r: Row): string {
    const name = `Copying ${r.kind} ${shortId(r.digest.replace(/^sha256:/, ''))}`;
    if (r.state !== 'downloading' && r.state !== 'uploading') return `${name} ${STATE_TEXT[r.state]}${r.state === 'done' ? ` (${formatBytes(r.size, TRANSFER_SIZE)})` : ''}`;
    const width = 20;
    const frac = r.size > 0 ? Math.min(1, r.done / r.size) : 0;
    const filled = Math.round(frac * width);
    const bar = `[${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? '>' : ''}${' '.repeat(width - filled)}]`;
    const secs = Math.max(0.001, (this.now() - r.started) / 1000);
    return `${name} ${bar} ${formatBytes(r.done, TRANSFER_SIZE)} / ${formatBytes(r.size, TRANSFER_SIZE)} ${formatBytes(Math.round(r.done / secs), TRANSFER_SIZE)}/s`;
  }

  private clear(): void {
    if (this.drawn > 0) this.out.write(`\x1b[${this.drawn}A\x1b[J`);
    this.drawn = 0;
  }

  private drawRows(): void {
    const cols = this.out.columns || 100;
    for (const r of this.rows) this.out.write(`${this.line(r).slice(0, cols - 1)}\n`);
    this.drawn = this.rows.length;
  }

  private draw(): void {
    this.drawRows();
  }

  private redraw(): void {
    this.clear();
    this.draw();
  }
}

/** The renderer for a stream: live on a terminal, plain lines otherwise, nothing when quiet. */
export function progressFor(out: NodeJS.WriteStream, quiet: boolean): TransferProgress {
  if (quiet) return silentProgress;
  return out.isTTY ? new TtyProgress(out) : new PlainProgress(out);
}
