// Writing a directory tree as a tar stream: `pman commit` packs a container's overlay upper dir
// into a layer (overlay whiteouts become OCI whiteouts) and `pman export` packs its merged root.
// The tree may belong to a running container that changes it meanwhile, so the walk never
// follows a symlink: every directory is opened with O_NOFOLLOW and its entries are reached
// through that directory's file descriptor (/proc/self/fd/N/NAME), so a directory swapped for a
// symlink to the host's /etc cannot redirect it (the CVE-2018-15664 class of bugs).
import fs from 'node:fs';
import { InvalidStateError, PmanError } from '../errors.js';
import { native } from '../native/native.js';
import { bodyPadding, encodeHeader, END_OF_ARCHIVE, type TarHeader } from './writer.js';

export interface PackOptions {
  /**
   * The tree is an overlayfs upper dir: char 0:0 devices become `.wh.NAME` entries and opaque
   * directories get a `.wh..wh..opq` entry. `rootless` says which xattr marks opaque dirs
   * (user.overlay.* with the userxattr mount option, trusted.overlay.* otherwise).
   */
  overlay?: { rootless: boolean };
  /** One line per problem that does not stop packing (a socket, a file that changed size). */
  warn?: (message: string) => void;
  /** Paths (relative, no trailing slash) left out with everything below them. */
  skip?: Set<string>;
}

const { O_RDONLY, O_DIRECTORY, O_NOFOLLOW } = fs.constants;
const CHUNK = 1 << 20;

/** xattrs a layer must not carry: host labels, overlay bookkeeping, ACLs (tar has its own form). */
function keptXattr(name: string): boolean {
  return !(name.startsWith('trusted.overlay.') || name.startsWith('user.overlay.') || name === 'security.selinux' || name.startsWith('system.'));
}

function byteOrder(a: Buffer, b: Buffer): number {
  return Buffer.compare(a, b);
}

function devNumbers(rdev: bigint): { devmajor: number; devminor: number } {
  return {
    devmajor: Number(((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn)),
    devminor: Number((rdev & 0xffn) | ((rdev >> 12n) & ~0xffn)),
  };
}

class Packer {
  /** "dev:ino" of files with several links -> the name they were first written under. */
  private readonly links = new Map<string, string>();
  private readonly warned = new Set<string>();

  constructor(private readonly opts: PackOptions) {}

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.opts.warn?.(message);
  }

  private xattrs(at: string): Map<string, Buffer> | undefined {
    let names: string[];
    try {
      names = native().llistxattr(at);
    } catch {
      return undefined;
    }
    const out = new Map<string, Buffer>();
    for (const n of names.filter(keptXattr).sort()) {
      const v = native().lgetxattr(at, n);
      if (v !== null) out.set(n, v);
    }
    return out.size > 0 ? out : undefined;
  }

  private overlayXattr(at: string, key: string): Buffer | null {
    const prefix = this.opts.overlay?.rootless ? 'user.overlay.' : 'trusted.overlay.';
    try {
      return native().lgetxattr(at, prefix + key);
    } catch {
      return null;
    }
  }

  /** Owner, mode and time from `st`; xattrs too when `at` names the entry. */
  private base(st: fs.BigIntStats, at?: string): Omit<TarHeader, 'type' | 'name'> {
    return {
      mode: Number(st.mode & 0o7777n),
      uid: Number(st.uid),
      gid: Number(st.gid),
      size: 0,
      mtime: Number(st.mtimeNs / 1_000_000_000n),
      xattrs: at === undefined ? undefined : this.xattrs(at),
    };
  }

  async *directory(dirFd: number, prefix: string): AsyncGenerator<Buffer> {
    const names = (fs.readdirSync(`/proc/self/fd/${dirFd}`, { encoding: 'buffer' }) as Buffer[]).sort(byteOrder);
    for (const raw of names) {
      const name = raw.toString('utf8');
      const rel = prefix + name;
      if (!Buffer.from(name, 'utf8').equals(raw)) {
        throw new PmanError('invalid-argument', `cannot pack "${prefix}${raw.toString('latin1')}": the file name is not valid UTF-8`);
      }
      yield* this.entry(dirFd, name, rel);
    }
  }

  async *entry(dirFd: number, name: string, rel: string): AsyncGenerator<Buffer> {
    if (this.opts.skip?.has(rel)) return;
    const at = `/proc/self/fd/${dirFd}/${name}`;
    let st: fs.BigIntStats;
    try {
      st = fs.lstatSync(at, { bigint: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // removed meanwhile
      throw err;
    }
    if (this.opts.overlay) {
      if (st.isCharacterDevice() && st.rdev === 0n) {
        const slash = rel.lastIndexOf('/');
        yield encodeHeader({ ...this.base(st), mode: 0, type: 'file', name: `${rel.slice(0, slash + 1)}.wh.${name}` });
        return;
      }
      for (const key of ['redirect', 'metacopy']) {
        if (this.overlayXattr(at, key) !== null) {
          throw new InvalidStateError(`cannot pack "${rel}": the overlay uses ${key === 'redirect' ? 'redirect_dir' : 'metacopy'}, whose changes pman cannot turn into a layer; mount overlay with ${key === 'redirect' ? 'redirect_dir' : 'metacopy'}=off`);
        }
      }
    }
    if (st.isDirectory()) {
      yield* this.subdirectory(at, rel);
    } else if (st.isFile()) {
      yield* this.file(st, at, rel);
    } else if (st.isSymbolicLink()) {
      yield encodeHeader({ ...this.base(st, at), type: 'symlink', name: rel, linkname: fs.readlinkSync(at) });
    } else if (st.isCharacterDevice() || st.isBlockDevice() || st.isFIFO()) {
      const link = this.hardlink(st, rel);
      const type = st.isCharacterDevice() ? 'char' : st.isBlockDevice() ? 'block' : 'fifo';
      if (link !== undefined) yield encodeHeader({ ...this.base(st, at), type: 'hardlink', name: rel, linkname: link });
      else yield encodeHeader({ ...this.base(st, at), type, name: rel, ...(type === 'fifo' ? {} : devNumbers(st.rdev)) });
    } else {
      this.warnOnce('socket', `"${rel}" and any other sockets were left out: a tar archive cannot hold sockets`);
    }
  }

  /** For a file with several links: the name it was first written under, if it was. */
  private hardlink(st: fs.BigIntStats, rel: string): string | undefined {
    if (st.nlink < 2n) return undefined;
    const key = `${st.dev}:${st.ino}`;
    const first = this.links.get(key);
    if (first === undefined) this.links.set(key, rel);
    return first;
  }

  private async *subdirectory(at: string, rel: string): AsyncGenerator<Buffer> {
    let fd: number;
    try {
      fd = fs.openSync(at, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ELOOP' || code === 'ENOTDIR') return; // replaced meanwhile
      throw err;
    }
    try {
      const st = fs.fstatSync(fd, { bigint: true });
      yield encodeHeader({ ...this.base(st, at), type: 'dir', name: `${rel}/` });
      if (this.opts.overlay && this.overlayXattr(at, 'opaque')?.toString() === 'y') {
        yield encodeHeader({ ...this.base(st), mode: 0, type: 'file', name: `${rel}/.wh..wh..opq` });
      }
      yield* this.directory(fd, `${rel}/`);
    } finally {
      fs.closeSync(fd);
    }
  }

  private async *file(lst: fs.BigIntStats, at: string, rel: string): AsyncGenerator<Buffer> {
    const link = this.hardlink(lst, rel);
    if (link !== undefined) {
      yield encodeHeader({ ...this.base(lst, at), type: 'hardlink', name: rel, linkname: link });
      return;
    }
    let fd: number;
    try {
      fd = fs.openSync(at, O_RDONLY | O_NOFOLLOW);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ELOOP') return; // removed or replaced meanwhile
      throw err;
    }
    try {
      const st = fs.fstatSync(fd, { bigint: true });
      if (!st.isFile()) return;
      const size = Number(st.size);
      yield encodeHeader({ ...this.base(st, at), type: 'file', name: rel, size });
      let pos = 0;
      while (pos < size) {
        const buf = Buffer.allocUnsafe(Math.min(CHUNK, size - pos));
        const n = fs.readSync(fd, buf, 0, buf.length, pos);
        if (n === 0) {
          // Shrunk while packed (a running container): pad to the size already written.
          this.warnOnce(`size:${rel}`, `"${rel}" changed size while it was packed; its copy in the archive is padded with zeros`);
          buf.fill(0);
          pos += buf.length;
          yield buf;
          continue;
        }
        pos += n;
        yield n === buf.length ? buf : buf.subarray(0, n);
      }
      yield bodyPadding(size);
    } finally {
      fs.closeSync(fd);
    }
  }
}

/**
 * The tar archive of everything below `root` (not root itself), in a fixed order (depth first,
 * names sorted bytewise), so the same tree always gives the same bytes.
 */
export async function* packDirectory(root: string, opts: PackOptions = {}): AsyncGenerator<Buffer> {
  const fd = fs.openSync(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  try {
    yield* new Packer(opts).directory(fd, '');
    yield END_OF_ARCHIVE;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * `pman cp CONTAINER:SRC -`: the tar archive of one entry reached from an open directory (`name`
 * in `dirFd`, archived under its own name, a directory with everything below it), or of a whole
 * directory's contents when `name` is ''. The walk is the same as packDirectory's.
 */
export async function* packFrom(dirFd: number, name: string, opts: PackOptions = {}): AsyncGenerator<Buffer> {
  const packer = new Packer(opts);
  if (name === '') yield* packer.directory(dirFd, '');
  else yield* packer.entry(dirFd, name, name);
  yield END_OF_ARCHIVE;
}
