// The k8s-file log format (CRI logging, as conmon writes it): one record per line,
// `<RFC3339Nano local time> <stdout|stderr> <F|P> <bytes>\n`. The shim encodes each read() of the
// container's output here, on the hot path; `pman logs` decodes the file line by line.
import { dateToNs, formatTimestamp, parseTimestamp } from './timestamp.js';

export { formatTimestamp, parseTimestamp } from './timestamp.js';
export { LineSplitter } from './line-splitter.js';

export type LogStream = 'stdout' | 'stderr';

/** One record of a log file, whatever its format. */
export interface LogRecord {
  /** ns since the epoch */
  time: bigint;
  /** the timestamp as written in the file, printed verbatim by `logs --timestamps` */
  timeText: string;
  stream: LogStream;
  /** true for a piece of a line (P); the line goes on in the next record */
  partial: boolean;
  /** the payload, without the line terminator */
  data: Buffer;
}

const NL = 0x0a;
const SPACE = 0x20;
const TAG_FULL = 0x46; // F
const TAG_PARTIAL = 0x50; // P
const EMPTY = Buffer.alloc(0);

// Newline positions of the chunk being encoded, reused across calls so that encoding allocates
// only its output. Grows to the largest number of lines seen in one chunk.
let newlines = new Int32Array(4096);

/**
 * Encodes one read() of container output as k8s-file records, all with the same timestamp: each
 * `\n`-terminated line becomes an F record, a trailing piece without `\n` becomes a P record (the
 * line continues in a later chunk). Payload bytes are copied as they are. Returns one Buffer
 * ready to append to the log file; an empty chunk gives an empty Buffer.
 */
export function encodeK8sChunk(stream: LogStream, chunk: Buffer, time: Date | bigint): Buffer {
  if (chunk.length === 0) return EMPTY;
  let count = 0;
  for (let i = chunk.indexOf(NL); i !== -1; i = chunk.indexOf(NL, i + 1)) {
    if (count === newlines.length) {
      const grown = new Int32Array(newlines.length * 2);
      grown.set(newlines);
      newlines = grown;
    }
    newlines[count++] = i;
  }
  const trailing = chunk.length - (count === 0 ? 0 : newlines[count - 1]! + 1);

  const ns = typeof time === 'bigint' ? time : dateToNs(time);
  const header = `${formatTimestamp(ns)} ${stream} F `;
  const headerLength = header.length; // ASCII only, so characters are bytes
  const records = count + (trailing > 0 ? 1 : 0);
  // Each record adds a header; F records reuse the payload's own `\n`, the P record adds one.
  const out = Buffer.allocUnsafe(records * headerLength + chunk.length + (trailing > 0 ? 1 : 0));

  // Speed: Buffer#copy and TypedArray#set of a sub-range cost ~80 ns each (they create a view),
  // which dominates with short lines. copyWithin does not, so the chunk is copied once to the end
  // of `out` and each payload is moved down into place; a record's destination never passes the
  // source of the records after it, so nothing is overwritten before it is moved.
  const base = out.length - (trailing > 0 ? 1 : 0) - chunk.length;
  chunk.copy(out, base);
  out.write(header, 0, 'latin1');
  let pos = headerLength;
  let start = 0; // offset in chunk of the next record's payload
  for (let r = 0; r < records; r++) {
    if (r > 0) {
      out.copyWithin(pos, 0, headerLength);
      pos += headerLength;
    }
    const end = r < count ? newlines[r]! + 1 : chunk.length; // F payloads include their `\n`
    if (pos !== base + start) out.copyWithin(pos, base + start, base + end);
    pos += end - start;
    start = end;
  }
  if (trailing > 0) {
    out[pos - trailing - 2] = TAG_PARTIAL;
    out[pos] = NL;
  }
  return out;
}

/**
 * Decodes one line of a k8s-file log (without its `\n`). Returns null for a line that is not a
 * record: a bad timestamp, a stream other than stdout/stderr, a tag other than F/P, or a missing
 * field (the space after the tag is required, as podman requires it). `data` is a view into `line`.
 */
export function parseK8sLine(line: Buffer): LogRecord | null {
  const sp1 = line.indexOf(SPACE);
  if (sp1 <= 0) return null;
  const timeText = line.toString('latin1', 0, sp1);
  const time = parseTimestamp(timeText);
  if (time === null) return null;
  // `stdout` and `stderr` are both 6 bytes, then a space, a 1-byte tag and a space.
  const tagAt = sp1 + 8;
  if (line.length < tagAt + 2 || line[sp1 + 7] !== SPACE || line[tagAt + 1] !== SPACE) return null;
  const streamText = line.toString('latin1', sp1 + 1, sp1 + 7);
  if (streamText !== 'stdout' && streamText !== 'stderr') return null;
  const tag = line[tagAt];
  if (tag !== TAG_FULL && tag !== TAG_PARTIAL) return null;
  return { time, timeText, stream: streamText, partial: tag === TAG_PARTIAL, data: line.subarray(tagAt + 2) };
}
