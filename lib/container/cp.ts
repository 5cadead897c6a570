// `pman cp`: files and directories between the host and a container, running or not. Every path
// inside the container is resolved confined to the container's root (confined-fs.ts: symlinks are
// read as if the container's root were "/", and every step is taken from an open directory), so a
// hostile container cannot make pman read or write outside it, not even by swapping a path
// component for a symlink during the copy. A running container is reached through
// /proc/PID/root (its own mounts included); a stopped one through its mounted overlay, with
// volume and bind destinations redirected to their host directories.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Context } from '../context.js';
import { InvalidArgumentError, NotFoundError, PmanError } from '../errors.js';
import { isMounted, mountRootfs, rootfsPaths, unmountRootfs } from '../oci/rootfs.js';
import { mountFor } from '../oci/spec-mounts.js';
import { resolveUser } from '../oci/user.js';
import type { ContainerRecord } from '../state/container-record.js';
import { resolveContainer, withContainerLock } from '../state/containers.js';
import { at, ConfinedRoot, openDirAt, type Resolved } from '../util/confined-fs.js';
import { copyContents, copyEntry, type CopyOptions } from '../util/copy-tree.js';
import { volumeDataDir } from '../volume/volumes.js';
import { decompress } from '../archive/decompress.js';
import { extractTar } from '../archive/extract.js';
import { writeOutput } from '../archive/output.js';
import { packFrom } from '../archive/pack.js';
import { reconcile } from './reconcile.js';
import { isRunning } from '../state/container-status.js';

export interface CpOptions {
  source: string;
  destination: string;
  /** Files copied into the container belong to its user (podman's --archive, default true). */
  archive: boolean;
  /** Where "-" reads a tar archive from and writes one to. */
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
}

export type CpEndpoint = { kind: 'host'; path: string } | { kind: 'container'; ref: string; path: string } | { kind: 'stream' };

/** "CONTAINER:PATH" names a container path; "-" a tar stream; anything starting with / or . is a host path. */
export function parseCpArg(arg: string): CpEndpoint {
  if (arg === '-') return { kind: 'stream' };
  const colon = arg.indexOf(':');
  if (arg.startsWith('/') || arg.startsWith('.') || colon <= 0) return { kind: 'host', path: arg };
  const p = arg.slice(colon + 1);
  return { kind: 'container', ref: arg.slice(0, colon), path: p === '' ? '/' : p };
}


/** A place to copy from or to: a directory fd and a name in it ('' = the directory itself). */
interface Place extends Resolved {
  /** How the user wrote it, for messages. */
  shown: string;
}

function closePlace(p: Place | undefined): void {
  if (p) fs.closeSync(p.dirFd);
}

function hostPlace(p: string, cwd: string, follow: boolean): Place {
  let abs = path.resolve(cwd, p);
  if (follow) {
    try {
      abs = fs.realpathSync(abs); // the host side is the user's own: its symlinks are followed
    } catch {
      /* missing: created by the copy */
    }
  }
  const dir = path.dirname(abs);
  const name = abs === '/' ? '' : path.basename(abs);
  let dirFd: number;
  try {
    dirFd = fs.openSync(name === '' ? '/' : dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new NotFoundError(`cannot copy: "${dir}" ${code === 'ENOTDIR' ? 'is not a directory' : 'does not exist'} on the host`);
  }
  let stat: fs.Stats | undefined;
  try {
    stat = name === '' ? fs.fstatSync(dirFd) : follow ? fs.statSync(at(dirFd, name)) : fs.lstatSync(at(dirFd, name));
  } catch {
    stat = undefined;
  }
  return { dirFd, name, stat, shown: p };
}

/** The container's root for a path, and the path inside that root. */
interface ContainerSide {
  root: ConfinedRoot;
  path: string;
  rec: ContainerRecord;
}

/**
 * Opens the container side; a stopped container's overlay is mounted under its lock for the copy
 * and unmounted after (unless something else had it mounted).
 */
async function withContainerSide<T>(ctx: Context, ref: string, ctrPath: string, fn: (side: ContainerSide) => T | Promise<T>): Promise<T> {
  const rec = await reconcile(ctx, resolveContainer(ctx, ref));
  const normalized = path.posix.normalize(`/${ctrPath}`);
  if (isRunning(rec) && rec.state.pid > 0) {
    const root = ConfinedRoot.open(`/proc/${rec.state.pid}/root`);
    try {
      return await fn({ root, path: normalized, rec });
    } finally {
      root.close();
    }
  }
  return withContainerLock(ctx, rec.id, async (locked) => {
    // Volumes and bind mounts are not in the overlay of a stopped container: go to their sources.
    const m = mountFor((locked.config.mounts ?? []).filter((x) => x.type !== 'tmpfs'), normalized.replace(/\/+$/, '') || '/');
    if (m) {
      const root = ConfinedRoot.open(m.type === 'volume' ? volumeDataDir(ctx, m.source) : m.source);
      try {
        return await fn({ root, path: `/${path.posix.relative(m.destination, normalized)}`, rec: locked });
      } finally {
        root.close();
      }
    }
    const merged = rootfsPaths(ctx, locked.id).merged;
    const wasMounted = isMounted(merged);
    mountRootfs(ctx, locked.id, locked.layers, { idMaps: locked.config.idMaps });
    try {
      const root = ConfinedRoot.open(merged);
      try {
        return await fn({ root, path: normalized, rec: locked });
      } finally {
        root.close();
      }
    } finally {
      if (!wasMounted) unmountRootfs(ctx, locked.id);
    }
  });
}

function containerPlace(side: ContainerSide, follow: boolean): Place {
  try {
    return { ...side.root.resolve(side.path, follow), shown: `${side.rec.name}:${side.path}` };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new NotFoundError(`"${side.path}" could not be found on container ${side.rec.name}: no such file or directory`);
    }
    throw err;
  }
}

/** The owner files copied into the container get: its user's primary uid and gid. */
function containerOwner(side: ContainerSide): { uid: number; gid: number } {
  try {
    const u = resolveUser(side.rec.config.user || '0', side.root.readFile('/etc/passwd'), side.root.readFile('/etc/group'));
    return { uid: u.uid, gid: u.gid };
  } catch {
    return { uid: 0, gid: 0 };
  }
}

/**
 * docker cp's rules: into an existing directory the source goes in under its own name (or only its
 * contents, for "SRC/."); a missing destination is created (its parent must exist); a directory
 * cannot replace a file.
 */
function copyPlace(src: Place, contentsOnly: boolean, dst: Place, destWantsDir: boolean, opts: CopyOptions): void {
  if (!src.stat) throw new NotFoundError(`cannot copy "${src.shown}": no such file or directory`);
  const srcIsDir = src.stat.isDirectory();
  if (contentsOnly && !srcIsDir) throw new InvalidArgumentError(`cannot copy "${src.shown}": it is not a directory`);
  const openDir = (p: Place) => (p.name === '' ? fs.openSync(at(p.dirFd), fs.constants.O_RDONLY | fs.constants.O_DIRECTORY) : openDirAt(p.dirFd, p.name));
  const withDir = (p: Place, fn: (fd: number) => void) => {
    const fd = openDir(p);
    try {
      fn(fd);
    } finally {
      fs.closeSync(fd);
    }
  };
  const copyInto = (dirFd: number, name: string) => {
    if (src.name === '' || contentsOnly) {
      // A directory's contents (the root has no name of its own).
      let target = dirFd;
      if (name !== '') {
        try {
          fs.mkdirSync(at(dirFd, name), 0o700);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        }
        target = openDirAt(dirFd, name);
        const st = src.stat!;
        fs.fchownSync(target, opts.owner?.uid ?? st.uid, opts.owner?.gid ?? st.gid);
        fs.fchmodSync(target, st.mode & 0o7777);
      }
      try {
        withDir(src, (s) => copyContents(s, target, opts));
      } finally {
        if (target !== dirFd) fs.closeSync(target);
      }
    } else copyEntry(src.dirFd, src.name, dirFd, name, opts);
  };
  if (dst.stat?.isDirectory()) {
    withDir(dst, (d) => copyInto(d, contentsOnly ? '' : src.name));
  } else if (dst.stat) {
    if (srcIsDir) throw new InvalidArgumentError(`cannot copy directory "${src.shown}" onto file "${dst.shown}"`);
    copyInto(dst.dirFd, dst.name);
  } else {
    if (destWantsDir && !srcIsDir) throw new NotFoundError(`cannot copy to "${dst.shown}": directory does not exist`);
    copyInto(dst.dirFd, dst.name);
  }
}

function wrap(err: unknown, what: string): PmanError {
  if (err instanceof PmanError) return err;
  return new PmanError('system', `cannot copy ${what}: ${(err as Error).message}`, { cause: err });
}

/** Copies between the host and a container; `cwd` resolves relative host paths. */
export async function copyFiles(ctx: Context, opts: CpOptions, cwd: string): Promise<void> {
  const src = parseCpArg(opts.source);
  const dst = parseCpArg(opts.destination);
  if (src.kind === 'container' && dst.kind === 'container') throw new InvalidArgumentError('copying between two containers is not supported: copy through the host');
  if (src.kind !== 'container' && dst.kind !== 'container') throw new InvalidArgumentError('one of the paths must be in a container (CONTAINER:PATH)');
  if (src.kind === 'container' && dst.kind === 'stream') return tarFromContainer(ctx, src, opts);
  if (src.kind === 'stream' && dst.kind === 'container') return tarIntoContainer(ctx, dst, opts);
  if (src.kind === 'stream' || dst.kind === 'stream') return; // unreachable: narrowed above
  const contentsOnly = /\/\.$/.test(src.path);
  const destWantsDir = dst.path.endsWith('/');
  if (src.kind === 'container' && dst.kind === 'host') {
    await withContainerSide(ctx, src.ref, src.path, (side) => {
      let from: Place | undefined;
      let to: Place | undefined;
      try {
        from = containerPlace(side, contentsOnly);
        to = hostPlace(dst.path, cwd, true);
        copyPlace(from, contentsOnly, to, destWantsDir, { owner: { uid: ctx.uid, gid: ctx.gid }, onSkip: (n, w) => ctx.warn(`skipped "${n}": ${w}`) });
      } catch (err) {
        throw wrap(err, `from container ${side.rec.name}`);
      } finally {
        closePlace(from);
        closePlace(to);
      }
    });
    return;
  }
  if (src.kind === 'host' && dst.kind === 'container') {
    await withContainerSide(ctx, dst.ref, dst.path, (side) => {
      let from: Place | undefined;
      let to: Place | undefined;
      try {
        from = hostPlace(src.path, cwd, contentsOnly);
        if (!from.stat) throw new NotFoundError(`cannot copy "${src.path}": no such file or directory on the host`);
        to = containerPlace(side, true);
        const owner = opts.archive ? containerOwner(side) : undefined;
        copyPlace(from, contentsOnly, to, destWantsDir, { owner, onSkip: (n, w) => ctx.warn(`skipped "${n}": ${w}`) });
      } catch (err) {
        throw wrap(err, `into container ${side.rec.name}`);
      } finally {
        closePlace(from);
        closePlace(to);
      }
    });
  }
}

/**
 * `pman cp CONTAINER:SRC -`: a tar archive of SRC on standard output — SRC under its own name (a
 * directory with everything below it), or only a directory's contents for "SRC/." — made by the
 * same confined walk as every other container read.
 */
async function tarFromContainer(ctx: Context, src: { ref: string; path: string }, opts: CpOptions): Promise<void> {
  const contentsOnly = /\/\.$/.test(src.path);
  if (!opts.stdout) throw new InvalidArgumentError('cannot copy to "-": no standard output');
  if ((opts.stdout as { isTTY?: boolean }).isTTY) throw new InvalidArgumentError('refusing to write a tar archive to a terminal: redirect standard output');
  const stdout = opts.stdout;
  await withContainerSide(ctx, src.ref, src.path, async (side) => {
    const from = containerPlace(side, contentsOnly);
    let dirFd: number | undefined;
    try {
      if (!from.stat) throw new NotFoundError(`"${side.path}" could not be found on container ${side.rec.name}: no such file or directory`);
      if (contentsOnly && !from.stat.isDirectory()) throw new InvalidArgumentError(`cannot copy "${from.shown}": it is not a directory`);
      // A directory's contents: packed from the directory itself (the container root has no name).
      const whole = contentsOnly || from.name === '';
      if (whole && from.name !== '') dirFd = openDirAt(from.dirFd, from.name);
      const tar = packFrom(whole ? (dirFd ?? from.dirFd) : from.dirFd, whole ? '' : from.name, { warn: (m) => ctx.warn(m) });
      await writeOutput(tar, { stream: stdout });
    } catch (err) {
      throw wrap(err, `from container ${side.rec.name}`);
    } finally {
      if (dirFd !== undefined) fs.closeSync(dirFd);
      closePlace(from);
    }
  });
}

/**
 * `pman cp - CONTAINER:DIR`: a tar archive (plain or compressed) from standard input, unpacked
 * into DIR, an existing directory. The archive is hostile input: it is first unpacked by the
 * layer extractor (nothing may leave its directory) into a private directory on the host, and from
 * there copied in like `pman cp HOSTDIR/. CONTAINER:DIR`, confined to the container's root.
 */
async function tarIntoContainer(ctx: Context, dst: { ref: string; path: string }, opts: CpOptions): Promise<void> {
  if (!opts.stdin) throw new InvalidArgumentError('cannot copy from "-": no standard input');
  if ((opts.stdin as { isTTY?: boolean }).isTTY) throw new InvalidArgumentError('refusing to read a tar archive from a terminal: redirect standard input from a file or a pipe');
  const stdin = opts.stdin;
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-cp-'));
  try {
    const tree = path.join(staging, 'tree');
    fs.mkdirSync(tree, { mode: 0o700 });
    try {
      const stats = await extractTar(decompress(stdin as AsyncIterable<Uint8Array>), tree, { rootless: ctx.rootless, devices: 'skip', plain: true, warn: (m) => ctx.warn(m) });
      // As tar itself says: an empty input is a mistake (nothing piped in), not an empty copy.
      if (stats.entries === 0) throw new InvalidArgumentError('standard input holds no tar archive: pipe one in, e.g. tar -cf - DIR | pman cp - CONTAINER:DIR');
    } catch (err) {
      if (err instanceof PmanError) throw new PmanError(err.code, `cannot copy from standard input: ${err.message}`, { cause: err, exitCode: err.exitCode });
      throw wrap(err, 'from standard input');
    }
    await withContainerSide(ctx, dst.ref, dst.path, (side) => {
      let from: Place | undefined;
      let to: Place | undefined;
      try {
        to = containerPlace(side, true);
        if (!to.stat) throw new NotFoundError(`cannot copy a tar archive to "${to.shown}": no such directory; give an existing directory`);
        if (!to.stat.isDirectory()) throw new InvalidArgumentError(`cannot copy a tar archive to "${to.shown}": it is not a directory; give an existing directory`);
        from = hostPlace(tree, '/', false);
        const owner = opts.archive ? containerOwner(side) : undefined;
        copyPlace(from, true, to, true, { owner, onSkip: (n, w) => ctx.warn(`skipped "${n}": ${w}`) });
      } catch (err) {
        throw wrap(err, `into container ${side.rec.name}`);
      } finally {
        closePlace(from);
        closePlace(to);
      }
    });
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** lstat of a path inside a container (symlinks on the way followed inside its root), undefined when missing. */
export async function statContainerPath(ctx: Context, ref: string, ctrPath: string): Promise<{ stat?: fs.Stats; linkTarget: string }> {
  return withContainerSide(ctx, ref, ctrPath, (side) => {
    let r: Resolved;
    try {
      r = side.root.resolve(side.path, false);
    } catch (err) {
      // A missing directory on the way is a missing file, not a failure.
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return { linkTarget: '' };
      throw err;
    }
    try {
      const linkTarget = r.stat?.isSymbolicLink() ? fs.readlinkSync(`/proc/self/fd/${r.dirFd}/${r.name}`) : '';
      return { stat: r.stat, linkTarget };
    } finally {
      fs.closeSync(r.dirFd);
    }
  });
}
