// `pman logs --tail N` on a big log: find where the last N lines start by reading backwards from
// the end, as podman does, instead of reading the whole log forwards.
import fs from 'node:fs';
import type { LogRecord } from './k8s-file.js';
import type { OpenLogFile } from './log-files.js';
import type { LogPosition } from './log-source.js';

const NL = 0x0a;
const BLOCK = 1 << 20;

/**
 * The position where the last `n` logical lines of the files (oldest first) begin, or null when
 * the log has no more than n lines (read it all). A logical line is P pieces and the F record that
 * ends them; a run of P pieces at the very end counts as a line (as in selectTail). Lines that do
 * not parse are not counted. Bytes after the last `\n` of a file (a record being written, or one
 * cut off) are not a line.
 */
export function findTailPosition(files: readonly OpenLogFile[], n: number, parse: (line: Buffer) => LogRecord | null): LogPosition | null {
  if (files.length === 0) return null;
  if (n === 0) {
    const newest = files[files.length - 1]!;
    return { ino: newest.ino, offset: completeEnd(newest.fd) };
  }
  let needF = -1; // F records to pass, known once the last record is seen
  let countF = 0;
  for (let k = files.length - 1; k >= 0; k--) {
    const file = files[k]!;
    let tailEnd = completeEnd(file.fd); // bytes [0, tailEnd) are still to look at; tailEnd follows a `\n`
    let block = BLOCK;
    while (tailEnd > 0) {
      const from = Math.max(0, tailEnd - block);
      const buf = readRange(file.fd, from, tailEnd);
      let end = buf.length - 1; // a `\n`
      let progressed = false;
      while (end >= 0) {
        const nl = end === 0 ? -1 : buf.lastIndexOf(NL, end - 1);
        if (nl < 0 && from > 0) break; // this line begins in an earlier block
        const rec = parse(buf.subarray(nl + 1, end));
        if (rec) {
          if (needF < 0) needF = rec.partial ? n : n + 1;
          if (!rec.partial && ++countF === needF) return { ino: file.ino, offset: from + end + 1 };
        }
        end = nl;
        progressed = true;
      }
      if (end < 0) break;
      tailEnd = from + end + 1;
      if (!progressed) block *= 2; // a line longer than the block
    }
  }
  return null;
}

/** The size of the file without the bytes after its last `\n`. */
function completeEnd(fd: number): number {
  const size = fs.fstatSync(fd).size;
  for (let block = 64 << 10; ; block *= 2) {
    const from = Math.max(0, size - block);
    const nl = readRange(fd, from, size).lastIndexOf(NL);
    if (nl >= 0) return from + nl + 1;
    if (from === 0) return 0;
  }
}

function readRange(fd: number, from: number, to: number): Buffer {
  const buf = Buffer.allocUnsafe(to - from);
  let got = 0;
  while (got < buf.length) {
    const r = fs.readSync(fd, buf, got, buf.length - got, from + got);
    if (r <= 0) break;
    got += r;
  }
  return buf.subarray(0, got);
}
