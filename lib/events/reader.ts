// Reading the event stream: what the files hold (events.log.1, then events.log), then, when
// following, every line appended from then on, across rotations (docs/events.md, "Rotation").
// Used by `pman events` and meant for the API's /events too: it yields parsed events, the caller
// filters and prints.
import fs from 'node:fs';
import type { Context } from '../context.js';
import { eventsFile, rotatedFile, type PmanEvent } from './events-file.js';

/** One open events file and how far it has been read. */
class Cursor {
  private pos = 0;
  private rest = '';
  constructor(
    readonly fd: number,
    readonly ino: number,
  ) {}

  static open(file: string): Cursor | undefined {
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    return new Cursor(fd, fs.fstatSync(fd).ino);
  }

  /** The complete lines appended since the last read (a line still being written waits). */
  read(): string[] {
    const chunks: Buffer[] = [];
    const buf = Buffer.allocUnsafe(64 * 1024);
    for (;;) {
      const n = fs.readSync(this.fd, buf, 0, buf.length, this.pos);
      if (n <= 0) break;
      this.pos += n;
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
    if (chunks.length === 0) return [];
    const text = this.rest + Buffer.concat(chunks).toString('utf8');
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    return lines.filter((l) => l !== '');
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

function inode(file: string): number | undefined {
  try {
    return fs.statSync(file).ino;
  } catch {
    return undefined;
  }
}

/** A line of the file as an event; a damaged line is skipped (never stops the stream). */
export function parseEventLine(line: string): PmanEvent | undefined {
  try {
    const v = JSON.parse(line) as PmanEvent;
    if (typeof v !== 'object' || v === null || typeof v.Type !== 'string' || typeof v.Status !== 'string' || typeof v.Time !== 'string' || typeof v.ID !== 'string') return undefined;
    return v;
  } catch {
    return undefined;
  }
}

export interface ReadOptions {
  /** Keep reading what is appended until `signal` aborts. */
  follow: boolean;
  signal?: AbortSignal;
  /** How often a follower looks for new lines (ms). */
  pollMs?: number;
}

/**
 * The events in file order. A follower reads the file it has open to its end before it moves to
 * a newer one, and drains the previous file (where a writer that opened it just before the
 * rotation may still append) before the current one at every look: nothing it has not read is
 * lost at a rotation, and each container's events stay in order.
 */
export async function* readEvents(ctx: Context, opts: ReadOptions): AsyncGenerator<PmanEvent> {
  const file = eventsFile(ctx);
  let cur = Cursor.open(file);
  let prev = Cursor.open(rotatedFile(ctx));
  if (prev && cur && prev.ino === cur.ino) {
    prev.close();
    prev = undefined;
  }
  const emit = function* (lines: string[]) {
    for (const l of lines) {
      const e = parseEventLine(l);
      if (e) yield e;
    }
  };
  try {
    for (;;) {
      if (prev) yield* emit(prev.read());
      if (cur) yield* emit(cur.read());
      if (!opts.follow || opts.signal?.aborted) return;
      const now = inode(file);
      if (now !== undefined && now !== cur?.ino) {
        // Rotated (or created): finish the old file, then a file rotated away meanwhile that this
        // reader never opened, then the new one from its start.
        if (cur) yield* emit(cur.read());
        const missed = cur ? Cursor.open(rotatedFile(ctx)) : undefined;
        if (missed && missed.ino !== cur?.ino && missed.ino !== now) yield* emit(missed.read());
        missed?.close();
        prev?.close();
        prev = cur;
        cur = Cursor.open(file);
        continue;
      }
      await pause(opts.pollMs ?? 100, opts.signal);
    }
  } finally {
    prev?.close();
    cur?.close();
  }
}

/** Waits `ms`, or less when `signal` aborts; leaves no listener behind (a follower waits often). */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
