// The docker json-file log format: one JSON object per line,
// `{"log":"<text>","stream":"stdout|stderr","time":"<RFC3339Nano UTC>"}`. Docker turns bytes that
// are not UTF-8 into U+FFFD; pman promises logs back byte for byte, so a record whose bytes are
// not valid UTF-8 also carries "logb64", the exact bytes in base64, which a decoder prefers.
import { isUtf8 } from 'node:buffer';
import type { LogRecord, LogStream } from './k8s-file.js';
import { dateToNs, formatUtcTimestamp, parseTimestamp } from './timestamp.js';

const NL = 0x0a;
const EMPTY = Buffer.alloc(0);
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Encodes one read() of container output as json-file records with one timestamp: a line ending
 * in `\n` keeps the `\n` at the end of "log"; a trailing piece without `\n` is a partial record
 * (no `\n` in "log"). Returns the bytes to append to the log file; an empty chunk gives none.
 */
export function encodeJsonFileChunk(stream: LogStream, chunk: Buffer, time: Date | bigint): Buffer {
  if (chunk.length === 0) return EMPTY;
  const tail = `,"stream":"${stream}","time":"${formatUtcTimestamp(typeof time === 'bigint' ? time : dateToNs(time))}"`;
  let out = '';
  if (isUtf8(chunk)) {
    // The common case: decode once and cut the text; `\n` never occurs inside a UTF-8 sequence.
    const text = chunk.toString('utf8');
    let start = 0;
    while (start < text.length) {
      const nl = text.indexOf('\n', start);
      const end = nl === -1 ? text.length : nl + 1;
      out += `{"log":${JSON.stringify(text.slice(start, end))}${tail}}\n`;
      start = end;
    }
  } else {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(NL, start);
      const end = nl === -1 ? chunk.length : nl + 1;
      const piece = chunk.subarray(start, end);
      const exact = isUtf8(piece) ? '' : `,"logb64":"${piece.toString('base64')}"`;
      out += `{"log":${JSON.stringify(piece.toString('utf8'))}${tail}${exact}}\n`;
      start = end;
    }
  }
  return Buffer.from(out, 'utf8');
}

/**
 * Decodes one line of a json-file log (without its `\n`). Returns null if the line is not a JSON
 * object with a string "log" (docker omits it when empty), "stream" stdout or stderr, an RFC3339
 * "time", and, if present, a well-formed base64 "logb64". Other fields ("attrs") are ignored.
 */
export function parseJsonFileLine(line: Buffer): LogRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(line.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const { log = '', stream, time: timeText, logb64 } = value as Record<string, unknown>;
  if (typeof log !== 'string' || (stream !== 'stdout' && stream !== 'stderr') || typeof timeText !== 'string') return null;
  const time = parseTimestamp(timeText);
  if (time === null) return null;
  let bytes: Buffer;
  if (logb64 === undefined) {
    bytes = Buffer.from(log, 'utf8');
  } else {
    if (typeof logb64 !== 'string' || !BASE64.test(logb64)) return null;
    bytes = Buffer.from(logb64, 'base64');
  }
  const partial = bytes.length === 0 || bytes[bytes.length - 1] !== NL;
  return { time, timeText, stream, partial, data: partial ? bytes : bytes.subarray(0, bytes.length - 1) };
}
