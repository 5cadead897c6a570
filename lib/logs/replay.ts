// Turns decoded log records into what `pman logs` prints, without I/O: --since/--until and --tail
// select whole logical lines (P pieces plus the F that ends them), then records are rendered with
// the optional name and timestamp prefixes at the start of each logical line.
import type { LogRecord, LogStream } from './k8s-file.js';
import { shownTimestamp } from './timestamp.js';

export interface ReplayOptions {
  timestamps: boolean;
  /** ns; keep lines whose first piece is at or after this instant */
  since?: bigint;
  /** ns; keep lines whose first piece is at or before this instant */
  until?: bigint;
  /** number of logical lines from the end; -1 for all */
  tail: number;
  /** container name printed, followed by a space, at the start of each line (podman -n) */
  namePrefix?: string;
}

export interface ReplayWrite {
  stream: LogStream;
  data: Buffer;
}

/**
 * The output of `pman logs` for records in file order: since/until first, then tail (so `--until`
 * with `--tail 5` gives the last 5 lines before that time). Consecutive writes to the same stream
 * are merged into one Buffer.
 */
export function replay(records: LogRecord[], opts: ReplayOptions): ReplayWrite[] {
  const inRange = (t: bigint) => (opts.since === undefined || t >= opts.since) && (opts.until === undefined || t <= opts.until);
  let kept = records;
  if (opts.since !== undefined || opts.until !== undefined) {
    kept = [];
    for (const [first, end] of logicalLines(records)) {
      if (inRange(records[first]!.time)) for (let i = first; i < end; i++) kept.push(records[i]!);
    }
  }

  const writes: ReplayWrite[] = [];
  let pending: Buffer[] = [];
  let pendingStream: LogStream = 'stdout';
  const emit = () => {
    if (pending.length > 0) writes.push({ stream: pendingStream, data: pending.length === 1 ? pending[0]! : Buffer.concat(pending) });
    pending = [];
  };
  let atLineStart = true;
  for (const rec of selectTail(kept, opts.tail)) {
    if (rec.stream !== pendingStream) {
      emit();
      pendingStream = rec.stream;
    }
    pending.push(renderRecord(rec, { timestamps: opts.timestamps, namePrefix: opts.namePrefix, atLineStart }));
    atLineStart = !rec.partial;
  }
  emit();
  return writes;
}

/**
 * The records of the last `n` logical lines (-1: all). A logical line is a run of P records and
 * the F record that ends it; a run of P records at the end (a line still being written) counts as
 * one line. Records are grouped in file order whatever their stream, as podman does.
 */
export function selectTail(records: LogRecord[], n: number): LogRecord[] {
  if (n < 0) return records.slice();
  let start = records.length;
  for (let lines = 0; lines < n && start > 0; lines++) {
    // records[start - 1] ends a line (an F, or the last record); step back over the P pieces before it.
    start--;
    while (start > 0 && records[start - 1]!.partial) start--;
  }
  return records.slice(start);
}

/**
 * The bytes to print for one record: an F record's data and `\n`, a P record's data alone. At the
 * start of a logical line, `<name> ` (namePrefix) and the time (timestamps: shownTimestamp) come first.
 */
export function renderRecord(rec: LogRecord, opts: { timestamps: boolean; namePrefix?: string; atLineStart: boolean }): Buffer {
  let prefix = '';
  if (opts.atLineStart) {
    if (opts.namePrefix) prefix += opts.namePrefix + ' ';
    if (opts.timestamps) prefix += shownTimestamp(rec.timeText) + ' ';
  }
  if (prefix === '' && rec.partial) return rec.data;
  const newline = rec.partial ? 0 : 1;
  const prefixLength = Buffer.byteLength(prefix);
  const out = Buffer.allocUnsafe(prefixLength + rec.data.length + newline);
  out.write(prefix, 0, 'utf8');
  rec.data.copy(out, prefixLength);
  if (newline) out[out.length - 1] = 0x0a;
  return out;
}

// [first, end) index ranges of the logical lines of records.
function* logicalLines(records: LogRecord[]): Generator<[number, number]> {
  let first = 0;
  while (first < records.length) {
    let last = first;
    while (last < records.length - 1 && records[last]!.partial) last++;
    yield [first, last + 1];
    first = last + 1;
  }
}
