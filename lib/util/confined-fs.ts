// Path resolution confined to a directory tree that someone else controls (a container's root): a
// symlink is read and followed as if the tree were "/", ".." never climbs above it, and every step
// is taken from an open directory fd (/proc/self/fd/N/name with O_NOFOLLOW), so swapping a path
// component for a symlink while we work (the CVE-2018-15664 race) cannot lead outside the tree.
// Only single names are ever handed to the kernel; it never walks a multi-component path for us.
import fs from 'node:fs';
import path from 'node:path';

const { O_RDONLY, O_DIRECTORY, O_NOFOLLOW } = fs.constants;
const O_CLOEXEC = 0o2000000;
const DIR_FLAGS = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
const MAX_LINKS = 40;

/** The kernel path of a name inside an open directory (a magic link the kernel resolves to the fd). */
export function at(dirFd: number, name?: string): string {
  return name === undefined || name === '' ? `/proc/self/fd/${dirFd}` : `/proc/self/fd/${dirFd}/${name}`;
}

function errno(code: string, message: string): NodeJS.ErrnoException {
  const e = new Error(message) as NodeJS.ErrnoException;
  e.code = code;
  return e;
}

/** Opens a directory entry as a directory without following a symlink there. */
export function openDirAt(dirFd: number, name: string): number {
  return fs.openSync(at(dirFd, name), DIR_FLAGS);
}

export interface Resolved {
  /** Open fd of the directory holding the final component (the caller closes it). */
  dirFd: number;
  /** The final component, '' when the path named the root itself. */
  name: string;
  /** lstat of the final component, undefined when it does not exist. */
  stat?: fs.Stats;
}

/** A directory tree opened as a root for confined resolution. close() when done. */
export class ConfinedRoot {
  readonly fd: number;

  private constructor(fd: number, readonly hostPath: string) {
    this.fd = fd;
  }

  /** Opens a root (following symlinks in hostPath itself: the caller chose it). */
  static open(hostPath: string): ConfinedRoot {
    return new ConfinedRoot(fs.openSync(hostPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC), hostPath);
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  /**
   * Resolves `p` (absolute or relative to the root) to its parent directory and final name. Symlinks
   * on the way are followed inside the root; the final one only when followLast. A missing final
   * component is fine (stat undefined); a missing directory on the way is ENOENT.
   */
  resolve(p: string, followLast: boolean): Resolved {
    const stack = [openDirAt(this.fd, '.')];
    const closeAll = () => stack.splice(0).forEach((fd) => fs.closeSync(fd));
    const parts = p.split('/').filter((c) => c !== '' && c !== '.');
    let links = 0;
    try {
      while (parts.length > 0) {
        const c = parts.shift()!;
        if (c === '..') {
          if (stack.length > 1) fs.closeSync(stack.pop()!);
          continue;
        }
        const cur = stack[stack.length - 1];
        const last = parts.length === 0;
        let st: fs.Stats;
        try {
          st = fs.lstatSync(at(cur, c));
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT' && last) {
            stack.pop();
            closeAll();
            return { dirFd: cur, name: c };
          }
          throw err;
        }
        if (st.isSymbolicLink() && (!last || followLast)) {
          if (++links > MAX_LINKS) throw errno('ELOOP', `too many levels of symbolic links in "${p}"`);
          const target = fs.readlinkSync(at(cur, c));
          if (target.startsWith('/')) {
            while (stack.length > 1) fs.closeSync(stack.pop()!);
          }
          parts.unshift(...target.split('/').filter((x) => x !== '' && x !== '.'));
          continue;
        }
        if (last) {
          stack.pop();
          closeAll();
          return { dirFd: cur, name: c, stat: st };
        }
        if (!st.isDirectory()) throw errno('ENOTDIR', `"${c}" in "${p}" is not a directory`);
        try {
          stack.push(openDirAt(cur, c));
        } catch (err) {
          // Replaced by a symlink since the lstat: look at it again.
          if ((err as NodeJS.ErrnoException).code === 'ELOOP' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') {
            parts.unshift(c);
            if (++links > MAX_LINKS) throw err;
            continue;
          }
          throw err;
        }
      }
      // The path named the root (or climbed back to it): its "parent" is itself, name ''.
      const top = stack.pop()!;
      closeAll();
      return { dirFd: top, name: '', stat: fs.fstatSync(top) };
    } catch (err) {
      closeAll();
      throw err;
    }
  }

  /** Opens a directory inside the root (following symlinks inside it), or throws ENOTDIR/ENOENT. */
  openDir(p: string): number {
    const r = this.resolve(p, true);
    if (r.name === '') return r.dirFd;
    try {
      if (!r.stat) throw errno('ENOENT', `"${p}" does not exist`);
      if (!r.stat.isDirectory()) throw errno('ENOTDIR', `"${p}" is not a directory`);
      return openDirAt(r.dirFd, r.name);
    } finally {
      fs.closeSync(r.dirFd);
    }
  }

  /** Reads a small file inside the root ('' when missing or not a regular file). */
  readFile(p: string, max = 4 * 1024 * 1024): string {
    let r: Resolved;
    try {
      r = this.resolve(p, true);
    } catch {
      return '';
    }
    try {
      if (!r.stat?.isFile() || r.stat.size > max) return '';
      return fs.readFileSync(at(r.dirFd, r.name), 'utf8');
    } catch {
      return '';
    } finally {
      fs.closeSync(r.dirFd);
    }
  }
}

/** Splits a container path into its directory and base name, normalised ('/' has base ''). */
export function splitPath(p: string): { dir: string; base: string } {
  const n = path.posix.normalize(`/${p}`);
  return n === '/' ? { dir: '/', base: '' } : { dir: path.posix.dirname(n), base: path.posix.basename(n) };
}
