// The files of one container log: the live file, the rotated ones (`<log>.1` newest … `<log>.N-1`
// oldest, as docker names them) and `<log>.dropped`. The shim rotates by renames, so a reader that
// holds a file open never loses it; this module gives readers an ordered view of the set.
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { systemError } from '../errors.js';
import type { ContainerRecord } from '../state/container-record.js';
import { shortId } from '../state/ids.js';
import { containerDir } from '../state/paths.js';

/** `<log>` for 0, `<log>.k` for the k-th rotated file (1 = the newest rotated one). */
export function logFilePath(logPath: string, k: number): string {
  return k === 0 ? logPath : `${logPath}.${k}`;
}

export function droppedPath(logPath: string): string {
  return `${logPath}.dropped`;
}

/** One file of the set, opened: the fd keeps it readable even if it is renamed or removed. */
export interface OpenLogFile {
  fd: number;
  ino: number;
  /** Its name when it was opened (for messages; it may have moved since). */
  path: string;
}

const MAX_SCAN_TRIES = 50;

/**
 * Opens the files of a log, oldest first. Files are opened newest first (`<log>`, `.1`, `.2` …)
 * and the scan is accepted only if `<log>` is still the same file at the end: then no rotation
 * finished during the scan, and a rotation in progress (which renames oldest first) can only make
 * a file show up twice, which is removed by inode. So the result is in order, misses no file that
 * existed throughout, and every returned fd is owned by the caller.
 */
export function openLogFiles(logPath: string, maxFiles: number): OpenLogFile[] {
  for (let attempt = 1; ; attempt++) {
    const found: OpenLogFile[] = [];
    const seen = new Set<number>();
    for (let k = 0; k < maxFiles; k++) {
      const f = openIfExists(logFilePath(logPath, k));
      if (!f) continue;
      if (seen.has(f.ino)) fs.closeSync(f.fd);
      else {
        seen.add(f.ino);
        found.push(f);
      }
    }
    const live = found.length > 0 && found[0]!.path === logPath ? found[0]!.ino : -1;
    if (live === inodeOf(logPath) || attempt >= MAX_SCAN_TRIES) return found.reverse();
    for (const f of found) fs.closeSync(f.fd);
  }
}

function openIfExists(p: string): OpenLogFile | null {
  let fd: number;
  try {
    fd = fs.openSync(p, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  return { fd, ino: fs.fstatSync(fd).ino, path: p };
}

function inodeOf(p: string): number {
  try {
    return fs.statSync(p).ino;
  } catch {
    return -1;
  }
}

/** Removes every file of the log (rotated ones, the dropped-lines record); missing ones are fine. */
export function removeLogFiles(logPath: string, maxFiles: number): void {
  for (let k = 0; k < maxFiles; k++) fs.rmSync(logFilePath(logPath, k), { force: true });
  fs.rmSync(droppedPath(logPath), { force: true });
}

/**
 * A removed container's log, when it was kept outside the container's directory (--log-opt
 * path=): removing that directory (deleteContainerFiles) does not take it along.
 */
export function removeContainerLog(ctx: Context, rec: ContainerRecord): void {
  const { logPath, logOpts } = rec.config;
  if (path.dirname(logPath) === containerDir(ctx, rec.id)) return;
  try {
    removeLogFiles(logPath, logOpts?.maxFile ?? 1);
  } catch (err) {
    throw systemError(`remove the log "${logPath}" of container ${shortId(rec.id)}`, err);
  }
}

/** What the shim records in `<log>.dropped` when it could not write container output to the log. */
export interface DroppedRecord {
  /** Lines (newline-terminated pieces of output) that never reached the log. */
  lines: number;
  /** Bytes of output that never reached the log. */
  bytes: number;
  /** The last write error, e.g. "ENOSPC". */
  error: string;
}

/**
 * `<log>.dropped` is one JSON object padded with spaces to a fixed size, so the shim can rewrite
 * it in place (pwrite at 0) on a full disk, where creating or growing a file would fail.
 */
export const DROPPED_RECORD_SIZE = 256;

export function encodeDropped(d: DroppedRecord): Buffer {
  const text = JSON.stringify({ lines: d.lines, bytes: d.bytes, error: d.error.slice(0, 64) });
  const out = Buffer.alloc(DROPPED_RECORD_SIZE, 0x20);
  out.write(text, 0, 'utf8');
  out[DROPPED_RECORD_SIZE - 1] = 0x0a;
  return out;
}

/** Parses `<log>.dropped`; null if absent or not a dropped record. */
export function readDropped(logPath: string): DroppedRecord | null {
  let text: string;
  try {
    text = fs.readFileSync(droppedPath(logPath), 'utf8');
  } catch {
    return null;
  }
  try {
    const v = JSON.parse(text) as Partial<DroppedRecord>;
    if (typeof v.lines === 'number' && typeof v.bytes === 'number') return { lines: v.lines, bytes: v.bytes, error: String(v.error ?? '') };
  } catch {
    /* not ours */
  }
  return null;
}
