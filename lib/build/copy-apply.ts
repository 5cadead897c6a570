// Writes a COPY/ADD plan into an image root (a build container's mounted root, or an empty
// directory for a first step FROM scratch). The root is reached only through ConfinedRoot, so a
// symlink in the image (/usr/local -> /opt …) is followed inside it and never out to the host;
// entries are copied by util/copy-tree (symlinks as symlinks, modes and times kept), owned by
// root or by --chown, and an archive ADD names is unpacked by the layer extractor first.
import fs from 'node:fs';
import path from 'node:path';
import { decompress } from '../archive/decompress.js';
import { extractTar } from '../archive/extract.js';
import { systemError } from '../errors.js';
import { at, ConfinedRoot, openDirAt } from '../util/confined-fs.js';
import { copyContents, copyEntry } from '../util/copy-tree.js';
import type { PlannedEntry } from './copy-plan.js';

export interface ApplyOptions {
  /** Owner of what is copied; undefined keeps the source's (COPY --from without --chown, as podman). */
  owner?: { uid: number; gid: number };
  /** --chmod: the mode of everything copied. */
  mode?: number;
  rootless: boolean;
  /** A private scratch directory (archives are unpacked there first). */
  tmp: string;
  warn: (message: string) => void;
}

/**
 * Directories of the root opened once each (a COPY of thousands of files would otherwise resolve
 * every parent again for every file), created when missing (0755, owned by `owner`).
 */
class DirCache {
  private readonly fds = new Map<string, number>();

  constructor(private readonly root: ConfinedRoot) {}

  open(abs: string, owner = { uid: 0, gid: 0 }): number {
    const key = path.posix.normalize(`/${abs}`);
    const known = this.fds.get(key);
    if (known !== undefined) return known;
    let fd: number;
    if (key === '/') fd = openDirAt(this.root.fd, '.');
    else {
      const parent = this.open(path.posix.dirname(key), owner);
      const name = path.posix.basename(key);
      let st: fs.Stats | undefined;
      try {
        st = fs.lstatSync(at(parent, name));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      if (!st) {
        fs.mkdirSync(at(parent, name), 0o755);
        fs.chownSync(at(parent, name), owner.uid, owner.gid);
      }
      // A symlink in the image (/usr/local -> /opt …) is followed inside the root.
      fd = st?.isSymbolicLink() ? this.root.openDir(key) : openDirAt(parent, name);
    }
    this.fds.set(key, fd);
    return fd;
  }

  close(): void {
    for (const fd of this.fds.values()) fs.closeSync(fd);
    this.fds.clear();
  }
}

/** Source directories (host paths the plan names), opened once each. */
class SourceDirs {
  private readonly fds = new Map<string, number>();

  open(dir: string): number {
    let fd = this.fds.get(dir);
    if (fd === undefined) {
      fd = fs.openSync(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
      this.fds.set(dir, fd);
    }
    return fd;
  }

  close(): void {
    for (const fd of this.fds.values()) fs.closeSync(fd);
    this.fds.clear();
  }
}

function copyOne(dirs: DirCache, sources: SourceDirs, e: PlannedEntry, o: ApplyOptions): void {
  if (e.stat.isDirectory()) {
    dirs.open(e.dst, o.owner);
    return;
  }
  const dirFd = dirs.open(path.posix.dirname(e.dst), o.owner);
  const name = path.posix.basename(e.dst);
  copyEntry(sources.open(path.dirname(e.src)), path.basename(e.src), dirFd, name, { owner: o.owner, onSkip: (n, what) => o.warn(`skipped "${n}": ${what}`) });
  if (o.mode !== undefined && !e.stat.isSymbolicLink()) fs.chmodSync(at(dirFd, name), o.mode);
}

/** Directory metadata last (copying into a directory changes its times). */
function finishDir(dirs: DirCache, e: PlannedEntry, o: ApplyOptions): void {
  const fd = dirs.open(e.dst);
  fs.fchownSync(fd, o.owner?.uid ?? e.stat.uid, o.owner?.gid ?? e.stat.gid);
  fs.fchmodSync(fd, o.mode ?? e.stat.mode & 0o7777);
  fs.futimesSync(fd, e.stat.atime, e.stat.mtime);
}

async function unpack(dirs: DirCache, e: PlannedEntry, o: ApplyOptions): Promise<void> {
  const tree = fs.mkdtempSync(path.join(o.tmp, 'add-'));
  try {
    await extractTar(decompress(fs.createReadStream(e.src)), tree, { rootless: o.rootless, devices: 'skip', plain: true, warn: o.warn });
    const src = fs.openSync(tree, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
    try {
      // An archive keeps its own owners, as docker's ADD does.
      copyContents(src, dirs.open(e.dst, o.owner), { onSkip: (n, what) => o.warn(`skipped "${n}": ${what}`) });
    } finally {
      fs.closeSync(src);
    }
  } finally {
    fs.rmSync(tree, { recursive: true, force: true });
  }
}

/** Writes every planned entry into the root at `rootPath`. */
export async function applyCopy(rootPath: string, plan: PlannedEntry[], o: ApplyOptions): Promise<void> {
  const root = ConfinedRoot.open(rootPath);
  const dirs = new DirCache(root);
  const sources = new SourceDirs();
  try {
    for (const e of plan) {
      if (e.unpack) await unpack(dirs, e, o);
      else copyOne(dirs, sources, e, o);
    }
    // Only directories the plan copies from a source: a destination's existing parents keep theirs.
    for (const e of [...plan].reverse()) if (e.stat.isDirectory() && !e.top) finishDir(dirs, e, o);
  } catch (err) {
    throw systemError(`copy into the image`, err);
  } finally {
    sources.close();
    dirs.close();
    root.close();
  }
}
