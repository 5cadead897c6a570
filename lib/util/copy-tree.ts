// Copies a file, symlink or directory tree from one open directory to another using only single
// names relative to directory fds (see confined-fs.ts), so neither side's symlinks are ever
// followed: a symlink is copied as a symlink, and an existing symlink in the destination is
// replaced, never written through. Used by `pman cp` and by a new volume's copy-up.
import fs from 'node:fs';
import { at, openDirAt } from './confined-fs.js';

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = fs.constants;
const O_CLOEXEC = 0o2000000;
const CHUNK = 1024 * 1024;
/**
 * One buffer for every copy (copyFile is synchronous, so never two at once): a new megabyte per
 * file made a COPY of 3,000 small files allocate 3 GiB of buffers, ~60 ms of CPU in allocation
 * and garbage collection (docs/performance.md, the build benchmark).
 */
let chunk: Buffer | undefined;

export interface CopyOptions {
  /** Owner of everything written; undefined keeps the source's owners. */
  owner?: { uid: number; gid: number };
  /** Called for entries that are not copied (devices, sockets, FIFOs). */
  onSkip?: (name: string, what: string) => void;
}

function setMeta(fd: number, st: fs.Stats, opts: CopyOptions): void {
  // chown first: it clears set-user-ID bits the chmod then restores.
  fs.fchownSync(fd, opts.owner?.uid ?? st.uid, opts.owner?.gid ?? st.gid);
  fs.fchmodSync(fd, st.mode & 0o7777);
  fs.futimesSync(fd, st.atime, st.mtime);
}

/** Removes what is at dir/name unless it is a directory (returns its lstat, or undefined). */
function clearNonDir(dirFd: number, name: string): fs.Stats | undefined {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(at(dirFd, name));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  if (st.isDirectory()) return st;
  fs.unlinkSync(at(dirFd, name));
  return undefined;
}

function isDirError(name: string): NodeJS.ErrnoException {
  const e = new Error(`cannot overwrite directory "${name}" with a non-directory`) as NodeJS.ErrnoException;
  e.code = 'EISDIR';
  return e;
}

function copyFile(srcDir: number, srcName: string, st: fs.Stats, dstDir: number, dstName: string, opts: CopyOptions): void {
  if (clearNonDir(dstDir, dstName)) throw isDirError(dstName);
  const src = fs.openSync(at(srcDir, srcName), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  try {
    // O_EXCL|O_NOFOLLOW: if something appeared there meanwhile, fail rather than write through it.
    const dst = fs.openSync(at(dstDir, dstName), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600);
    try {
      const buf = (chunk ??= Buffer.allocUnsafe(CHUNK));
      for (;;) {
        const n = fs.readSync(src, buf, 0, CHUNK, null);
        if (n === 0) break;
        let off = 0;
        while (off < n) off += fs.writeSync(dst, buf, off, n - off);
      }
      setMeta(dst, st, opts);
    } finally {
      fs.closeSync(dst);
    }
  } finally {
    fs.closeSync(src);
  }
}

function copySymlink(srcDir: number, srcName: string, st: fs.Stats, dstDir: number, dstName: string, opts: CopyOptions): void {
  const target = fs.readlinkSync(at(srcDir, srcName));
  if (clearNonDir(dstDir, dstName)) throw isDirError(dstName);
  fs.symlinkSync(target, at(dstDir, dstName));
  fs.lchownSync(at(dstDir, dstName), opts.owner?.uid ?? st.uid, opts.owner?.gid ?? st.gid);
  fs.lutimesSync(at(dstDir, dstName), st.atime, st.mtime);
}

function copyDir(srcDir: number, srcName: string, st: fs.Stats, dstDir: number, dstName: string, opts: CopyOptions): void {
  const src = openDirAt(srcDir, srcName);
  try {
    if (!clearNonDir(dstDir, dstName)) fs.mkdirSync(at(dstDir, dstName), 0o700);
    const dst = openDirAt(dstDir, dstName);
    try {
      for (const name of fs.readdirSync(at(src))) copyEntry(src, name, dst, name, opts);
      setMeta(dst, st, opts);
    } finally {
      fs.closeSync(dst);
    }
  } finally {
    fs.closeSync(src);
  }
}

/** Copies srcDir/srcName to dstDir/dstName; directories merge into an existing directory. */
export function copyEntry(srcDir: number, srcName: string, dstDir: number, dstName: string, opts: CopyOptions = {}): void {
  const st = fs.lstatSync(at(srcDir, srcName));
  if (st.isDirectory()) copyDir(srcDir, srcName, st, dstDir, dstName, opts);
  else if (st.isFile()) copyFile(srcDir, srcName, st, dstDir, dstName, opts);
  else if (st.isSymbolicLink()) copySymlink(srcDir, srcName, st, dstDir, dstName, opts);
  else opts.onSkip?.(srcName, st.isFIFO() ? 'a FIFO' : st.isSocket() ? 'a socket' : 'a device node');
}

/** Copies the contents of one open directory into another (for "SRC/." and copy-up). */
export function copyContents(srcDirFd: number, dstDirFd: number, opts: CopyOptions = {}): void {
  for (const name of fs.readdirSync(at(srcDirFd))) copyEntry(srcDirFd, name, dstDirFd, name, opts);
}
