// Unpacks one layer archive into a fresh directory, as hostile input: nothing may land outside
// the directory (entry-path.ts), ownership, modes, times, xattrs, links and special files are
// preserved, and OCI whiteouts become overlayfs whiteouts (char 0:0 devices, opaque xattrs).
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, PmanError } from '../errors.js';
import { native } from '../native/native.js';
import { cleanName, ensureParents, forgetBelow, symlinkEscapes, unsafe } from './entry-path.js';
import { TarReader, type TarEntry, type TarRecorder } from './reader.js';

export interface ExtractOptions {
  /** Rootless: opaque directories get user.overlay.opaque, and device nodes cannot be made. */
  rootless: boolean;
  /** Char/block device entries when rootless: refuse the archive (default) or leave them out. */
  devices?: 'reject' | 'skip';
  /** One line per problem that does not stop extraction (an xattr the filesystem refuses). */
  warn?: (message: string) => void;
  /** Sees every byte read (recipe.ts records how to rebuild the tar from the unpacked files). */
  recorder?: TarRecorder;
  /**
   * A plain archive, not a layer (`pman cp -`): `.wh.` names are ordinary files, never turned into
   * overlay whiteouts.
   */
  plain?: boolean;
}

export interface ExtractStats {
  entries: number;
  /** Bytes of regular file content written. */
  bytes: number;
  /** Entries that removed something an earlier entry of the same archive had made. */
  replaced: number;
}

const S_IFCHR = 0o020000;
const S_IFBLK = 0o060000;
const S_IFIFO = 0o010000;
const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW, O_RDONLY, O_DIRECTORY } = fs.constants;

/** xattrs a layer must not carry: SELinux labels are the host's, overlay ones would forge whiteouts. */
function droppedXattr(name: string): boolean {
  return name === 'security.selinux' || name.startsWith('trusted.overlay.') || name.startsWith('user.overlay.');
}

function cannot(name: string, reason: string): InvalidArgumentError {
  return new InvalidArgumentError(`cannot extract "${name}": ${reason}`);
}

interface DirMeta {
  mode: number;
  mtime: number;
}

class Extraction {
  /** Directories verified to be real directories (not symlinks) during this extraction. */
  private readonly known = new Set<string>();
  /** Directory modes and times, applied last so later entries do not disturb them. */
  private readonly dirs = new Map<string, DirMeta>();
  private readonly warned = new Set<string>();
  readonly stats: ExtractStats = { entries: 0, bytes: 0, replaced: 0 };

  constructor(
    private readonly root: string,
    private readonly reader: TarReader,
    private readonly opts: ExtractOptions,
  ) {}

  async entry(e: TarEntry): Promise<void> {
    this.stats.entries++;
    const parts = cleanName(e.name);
    const base = parts[parts.length - 1];
    // aufs metadata directories (.wh..wh.plnk, .wh..wh.aufs) at the layer root: not content.
    if (!this.opts.plain) {
      if (parts.length > 1 && parts[0].startsWith('.wh..wh.')) return;
      if (base !== undefined && base.startsWith('.wh.')) return this.whiteout(e, parts, base);
    }
    if (parts.length === 0) {
      if (e.type !== 'dir') throw unsafe(e.name, 'only a directory may stand for the extraction root');
      return this.directory(e, this.root, true);
    }
    const target = ensureParents(this.root, parts, e.name, this.known, true);
    const existing = lstatOrUndefined(target);
    if (existing) {
      if (e.type === 'dir' && existing.isDirectory()) return this.directory(e, target, true);
      this.remove(target, existing);
    }
    switch (e.type) {
      case 'file':
        return this.file(e, target);
      case 'dir':
        return this.directory(e, target, false);
      case 'symlink':
        if (e.linkname === '') throw cannot(e.name, 'the symlink has an empty target');
        if (symlinkEscapes(parts.slice(0, -1), e.linkname)) throw unsafe(e.name, `its symlink target "${e.linkname}" points outside the extraction root`);
        fs.symlinkSync(e.linkname, target);
        this.chown(e, target);
        this.xattrs(e, target);
        fs.lutimesSync(target, e.mtime, e.mtime);
        return;
      case 'hardlink':
        return this.hardlink(e, target);
      case 'char':
      case 'block':
        if (this.opts.rootless) {
          if (this.opts.devices === 'skip') {
            this.warnOnce('devices', `device node "${e.name}" and any others in this archive were left out: device nodes cannot be created rootless`);
            return;
          }
          throw cannot(e.name, 'device nodes cannot be created when running rootless');
        }
        return this.special(e, target, (e.type === 'char' ? S_IFCHR : S_IFBLK) | 0o600, e.devmajor, e.devminor);
      case 'fifo':
        return this.special(e, target, S_IFIFO | 0o600, 0, 0);
    }
  }

  private async file(e: TarEntry, target: string): Promise<void> {
    const fd = fs.openSync(target, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
    try {
      for await (const chunk of this.reader.body()) {
        for (let off = 0; off < chunk.length; ) off += fs.writeSync(fd, chunk, off, chunk.length - off);
        this.stats.bytes += chunk.length;
      }
      this.fchown(e, fd);
      // After chown, which clears setuid/setgid.
      fs.fchmodSync(fd, e.mode);
      this.xattrs(e, target);
      fs.futimesSync(fd, e.mtime, e.mtime);
    } finally {
      fs.closeSync(fd);
    }
  }

  private directory(e: TarEntry, target: string, exists: boolean): void {
    if (!exists) {
      fs.mkdirSync(target, { mode: 0o700 });
      this.known.add(target);
    }
    this.chown(e, target);
    this.xattrs(e, target);
    this.dirs.set(target, { mode: e.mode, mtime: e.mtime });
  }

  private hardlink(e: TarEntry, target: string): void {
    let linkParts: string[];
    try {
      linkParts = cleanName(e.linkname);
    } catch {
      throw unsafe(e.name, `its hard link target "${e.linkname}" is outside the extraction root`);
    }
    if (linkParts.length === 0) throw unsafe(e.name, 'a hard link cannot point to the extraction root');
    let source: string;
    try {
      source = ensureParents(this.root, linkParts, e.name, this.known, false);
    } catch (err) {
      if (!(err instanceof PmanError)) throw err;
      throw unsafe(e.name, `its hard link target "${e.linkname}" is outside the extraction root or missing`);
    }
    const st = lstatOrUndefined(source);
    if (!st) throw unsafe(e.name, `its hard link target "${e.linkname}" does not exist earlier in this layer`);
    if (st.isDirectory()) throw unsafe(e.name, `its hard link target "${e.linkname}" is a directory`);
    fs.linkSync(source, target);
  }

  private special(e: TarEntry, target: string, mode: number, major: number, minor: number): void {
    native().mknod(target, mode, major, minor);
    this.chown(e, target);
    fs.chmodSync(target, e.mode);
    this.xattrs(e, target);
    fs.lutimesSync(target, e.mtime, e.mtime);
  }

  private whiteout(e: TarEntry, parts: string[], base: string): void {
    const dirParts = parts.slice(0, -1);
    if (base === '.wh..wh..opq') {
      ensureParents(this.root, parts, e.name, this.known, true);
      const dir = path.join(this.root, ...dirParts);
      const name = this.opts.rootless ? 'user.overlay.opaque' : 'trusted.overlay.opaque';
      native().lsetxattr(dir, name, Buffer.from('y'));
      return;
    }
    if (base.startsWith('.wh..wh.')) return; // aufs bookkeeping (.wh..wh.plnk and friends)
    const hidden = base.slice(4);
    if (hidden === '' || hidden === '.' || hidden === '..') throw unsafe(e.name, 'the whiteout names no file');
    const target = ensureParents(this.root, [...dirParts, hidden], e.name, this.known, true);
    const existing = lstatOrUndefined(target);
    if (existing) this.remove(target, existing);
    native().mknod(target, S_IFCHR, 0, 0);
    this.chown(e, target);
  }

  private remove(target: string, st: fs.Stats): void {
    this.stats.replaced++;
    if (st.isDirectory()) fs.rmSync(target, { recursive: true, force: true });
    else fs.unlinkSync(target);
    forgetBelow(this.known, target);
    forgetBelow(this.dirs, target);
  }

  private chown(e: TarEntry, target: string): void {
    try {
      fs.lchownSync(target, e.uid, e.gid);
    } catch (err) {
      throw this.chownError(e, err);
    }
  }

  private fchown(e: TarEntry, fd: number): void {
    try {
      fs.fchownSync(fd, e.uid, e.gid);
    } catch (err) {
      throw this.chownError(e, err);
    }
  }

  private chownError(e: TarEntry, err: unknown): unknown {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'EINVAL') return err;
    return cannot(e.name, `cannot set owner ${e.uid}:${e.gid} (potentially insufficient UIDs or GIDs in the user namespace; check /etc/subuid and /etc/subgid)`);
  }

  private xattrs(e: TarEntry, target: string): void {
    for (const [name, value] of e.xattrs) {
      if (droppedXattr(name)) continue;
      try {
        native().lsetxattr(target, name, value);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EPERM') throw err;
        this.warnOnce(`xattr:${name}`, `extended attribute "${name}" (first on "${e.name}") could not be set and was left out: ${(err as Error).message}`);
      }
    }
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.opts.warn?.(message);
  }

  /** Applies directory modes and times, deepest first (a restrictive parent mode cannot get in the way). */
  finish(): void {
    const order = [...this.dirs.keys()].sort((a, b) => b.split('/').length - a.split('/').length);
    for (const dir of order) {
      const meta = this.dirs.get(dir) as DirMeta;
      const fd = fs.openSync(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
      try {
        fs.fchmodSync(fd, meta.mode);
        fs.futimesSync(fd, meta.mtime, meta.mtime);
      } finally {
        fs.closeSync(fd);
      }
    }
  }
}

function lstatOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Extracts the tar stream `input` (already decompressed) into `dest`, an existing empty directory.
 * Consumes the whole input, including padding after the end-of-archive marker. On failure the
 * directory is left as it is: the caller owns it and removes it.
 */
export async function extractTar(input: AsyncIterable<Uint8Array | string>, dest: string, opts: ExtractOptions): Promise<ExtractStats> {
  const reader = new TarReader(input, opts.recorder);
  const x = new Extraction(path.resolve(dest), reader, opts);
  for (let e = await reader.next(); e; e = await reader.next()) {
    try {
      await x.entry(e);
    } catch (err) {
      if (err instanceof PmanError) throw err;
      throw new PmanError('system', `cannot extract "${e.name}": ${(err as Error).message}`, { cause: err });
    }
  }
  await reader.drain();
  try {
    x.finish();
  } catch (err) {
    throw new PmanError('system', `cannot set directory metadata in "${dest}": ${(err as Error).message}`, { cause: err });
  }
  return x.stats;
}
