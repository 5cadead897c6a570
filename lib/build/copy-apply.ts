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

/** Opens the directory at `abs` in the root, creating missing ones (0755, owned by `owner`). */
function ensureDir(root: ConfinedRoot, abs: string, owner = { uid: 0, gid: 0 }): number {
  const parts = abs.split('/').filter(Boolean);
  let fd = openDirAt(root.fd, '.');
  try {
    for (let i = 0; i < parts.length; i++) {
      const r = root.resolve(`/${parts.slice(0, i + 1).join('/')}`, true);
      try {
        if (r.name === '') continue;
        if (!r.stat) {
          fs.mkdirSync(at(r.dirFd, r.name), 0o755);
          fs.chownSync(at(r.dirFd, r.name), owner.uid, owner.gid);
        }
      } finally {
        fs.closeSync(r.dirFd);
      }
    }
    fs.closeSync(fd);
    fd = -1;
    return root.openDir(abs);
  } finally {
    if (fd >= 0) fs.closeSync(fd);
  }
}

function withParent<T>(root: ConfinedRoot, abs: string, owner: { uid: number; gid: number } | undefined, fn: (dirFd: number, name: string) => T): T {
  const dirFd = ensureDir(root, path.posix.dirname(abs), owner);
  try {
    return fn(dirFd, path.posix.basename(abs));
  } finally {
    fs.closeSync(dirFd);
  }
}

function copyOne(root: ConfinedRoot, e: PlannedEntry, o: ApplyOptions): void {
  if (e.stat.isDirectory()) {
    const fd = ensureDir(root, e.dst, o.owner);
    fs.closeSync(fd);
    return;
  }
  withParent(root, e.dst, o.owner, (dirFd, name) => {
    const srcDir = fs.openSync(path.dirname(e.src), fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
    try {
      copyEntry(srcDir, path.basename(e.src), dirFd, name, { owner: o.owner, onSkip: (n, what) => o.warn(`skipped "${n}": ${what}`) });
    } finally {
      fs.closeSync(srcDir);
    }
    if (o.mode !== undefined && !e.stat.isSymbolicLink()) fs.chmodSync(at(dirFd, name), o.mode);
  });
}

/** Directory metadata last (copying into a directory changes its times). */
function finishDir(root: ConfinedRoot, e: PlannedEntry, o: ApplyOptions): void {
  const fd = root.openDir(e.dst);
  try {
    fs.fchownSync(fd, o.owner?.uid ?? e.stat.uid, o.owner?.gid ?? e.stat.gid);
    fs.fchmodSync(fd, o.mode ?? e.stat.mode & 0o7777);
    fs.futimesSync(fd, e.stat.atime, e.stat.mtime);
  } finally {
    fs.closeSync(fd);
  }
}

async function unpack(root: ConfinedRoot, e: PlannedEntry, o: ApplyOptions): Promise<void> {
  const tree = fs.mkdtempSync(path.join(o.tmp, 'add-'));
  try {
    await extractTar(decompress(fs.createReadStream(e.src)), tree, { rootless: o.rootless, devices: 'skip', plain: true, warn: o.warn });
    const src = fs.openSync(tree, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
    const dst = ensureDir(root, e.dst, o.owner);
    try {
      // An archive keeps its own owners, as docker's ADD does.
      copyContents(src, dst, { onSkip: (n, what) => o.warn(`skipped "${n}": ${what}`) });
    } finally {
      fs.closeSync(src);
      fs.closeSync(dst);
    }
  } finally {
    fs.rmSync(tree, { recursive: true, force: true });
  }
}

/** Writes every planned entry into the root at `rootPath`. */
export async function applyCopy(rootPath: string, plan: PlannedEntry[], o: ApplyOptions): Promise<void> {
  const root = ConfinedRoot.open(rootPath);
  try {
    for (const e of plan) {
      if (e.unpack) await unpack(root, e, o);
      else copyOne(root, e, o);
    }
    // Only directories the plan copies from a source: a destination's existing parents keep theirs.
    for (const e of [...plan].reverse()) if (e.stat.isDirectory() && !e.top) finishDir(root, e, o);
  } catch (err) {
    throw systemError(`copy into the image`, err);
  } finally {
    root.close();
  }
}
