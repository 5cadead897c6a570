// A container's root filesystem: a kernel overlay of the image's layers (read-only lowerdirs) with
// the container's own upper and work directories, mounted at containers/<id>/merged. Rootless it
// is mounted inside the user's namespace with userxattr, or by fuse-overlayfs if the kernel refuses.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PmanError } from '../errors.js';
import { MNT_DETACH, native } from '../native/native.js';
import { containerDir } from '../state/paths.js';
import type { Context } from '../context.js';
import type { IdMapsConfig } from '../state/container-record.js';
import { ensureUserns, hostOwner, MAPPED_BINDS, mountIdmappedLayers, releaseIdmapped, removeUserns } from './idmap.js';

export interface RootfsPaths {
  upper: string;
  work: string;
  merged: string;
  /** Short symlinks to the layer dirs (l/0, l/1 …) keep the mount options under one page. */
  links: string;
}

export function rootfsPaths(ctx: Context, id: string): RootfsPaths {
  const dir = containerDir(ctx, id);
  return { upper: path.join(dir, 'upper'), work: path.join(dir, 'work'), merged: path.join(dir, 'merged'), links: path.join(dir, 'l') };
}

export function prepareRootfsDirs(ctx: Context, id: string): RootfsPaths {
  const p = rootfsPaths(ctx, id);
  for (const d of [p.upper, p.work, p.merged]) fs.mkdirSync(d, { recursive: true, mode: 0o755 });
  return p;
}

export function isMounted(target: string): boolean {
  try {
    const mounts = fs.readFileSync('/proc/self/mountinfo', 'utf8');
    const needle = ` ${target.replace(/ /g, '\\040')} `;
    return mounts.split('\n').some((l) => l.split(' ')[4] === target || l.includes(needle));
  } catch {
    return false;
  }
}

/** Where the idmapped layers are mounted while the overlay is made (docs/userns.md). */
const IDMAPPED_DIR = 'mapped-layers';

/**
 * Where the kernel marks a work dir once mounted with `volatile`: it then refuses every later
 * mount of it (even after a clean unmount) until this is removed.
 */
const VOLATILE_MARK = 'work/incompat/volatile';

/**
 * Mounts the overlay (idempotent: an existing mount is left as it is). `volatile` (a --rm
 * container, lib/state/volatile.ts) skips every sync of the upper dir, on unmount too: podman
 * mounts its --rm containers so. With ID maps each layer is an idmapped mount, and the upper
 * directory's root belongs to the container's root.
 */
export function mountRootfs(ctx: Context, id: string, layers: string[], { volatile = false, idMaps }: { volatile?: boolean; idMaps?: IdMapsConfig } = {}): string {
  const p = prepareRootfsDirs(ctx, id);
  if (isMounted(p.merged)) return p.merged;
  if (layers.length === 0) throw new PmanError('system', `cannot mount the root filesystem of container ${id.slice(0, 12)}: its image has no layers`);
  // Mounted volatile before (a shim killed after its mount, then `pman start` or `cp` again): a
  // volatile container's files are as good after a crash as they were made to be (not durable).
  fs.rmSync(path.join(p.work, VOLATILE_MARK), { recursive: true, force: true });
  // Relative short paths through the container dir keep long stacks within the mount option limit.
  fs.rmSync(p.links, { recursive: true, force: true });
  fs.mkdirSync(p.links, { mode: 0o700 });
  const idmapped = idMaps && path.join(containerDir(ctx, id), IDMAPPED_DIR);
  const lowers = idmapped
    ? mountIdmappedLayers(idmapped, layers, ensureUserns(ctx, id, idMaps))
    : layers.map((dir, i) => {
        fs.symlinkSync(dir, path.join(p.links, String(i)));
        return `l/${i}`;
      });
  if (idMaps) {
    const root = hostOwner(idMaps, { uid: 0, gid: 0 });
    fs.chownSync(p.upper, root.uid, root.gid);
  }
  let opts = `lowerdir=${lowers.join(':')},upperdir=upper,workdir=work`;
  if (ctx.rootless) opts += ',userxattr';
  const cwd = process.cwd();
  try {
    process.chdir(containerDir(ctx, id));
    mountOverlay(p.merged, opts, volatile);
  } catch (err) {
    // Rootless, the kernel may refuse overlay (old kernel, unsupported backing filesystem): then
    // fuse-overlayfs. Root has no fallback ('': nothing more to say than the kernel's error).
    const fuseError = ctx.rootless ? mountFuseOverlay(p, layers.length) : '';
    if (fuseError !== undefined) {
      throw new PmanError(
        'system',
        `cannot mount the root filesystem of container ${id.slice(0, 12)} at "${p.merged}": ${(err as Error).message}${fuseError ? `; fuse-overlayfs: ${fuseError}` : ''}`,
        { cause: err },
      );
    }
  } finally {
    process.chdir(cwd);
    // The overlay holds its own references to its layers: the idmapped mounts can go.
    if (idmapped) releaseIdmapped(idmapped);
  }
  return p.merged;
}

/** With `volatile` where the kernel has it (Linux 5.10); without it otherwise. */
function mountOverlay(target: string, opts: string, volatile: boolean): void {
  if (volatile) {
    try {
      native().mount('overlay', target, 'overlay', 0, `${opts},volatile`);
      return;
    } catch {
      /* an older kernel: EINVAL for the option it does not know */
    }
  }
  native().mount('overlay', target, 'overlay', 0, opts);
}

/**
 * fuse-overlayfs over the same directories (it reads the kernel's whiteout format and
 * user.overlay.opaque). Returns undefined once mounted, else why not ('' if it said nothing).
 */
function mountFuseOverlay(p: RootfsPaths, count: number): string | undefined {
  const lowers = Array.from({ length: count }, (_, i) => path.join(p.links, String(i)));
  const log = path.join(path.dirname(p.merged), 'fuse-overlayfs.log');
  const fd = fs.openSync(log, 'w', 0o600);
  try {
    // It daemonizes once mounted; its stdio must not be pipes this process would wait on.
    const r = spawnSync('fuse-overlayfs', ['-o', `lowerdir=${lowers.join(':')},upperdir=${p.upper},workdir=${p.work}`, p.merged], {
      stdio: ['ignore', 'ignore', fd],
    });
    if (r.error) return (r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not installed' : r.error.message;
    if (r.status !== 0) {
      const lines = fs.readFileSync(log, 'utf8').split('\n');
      // It reports mount options it passes over (lazytime …) even when it works: not the reason.
      return lines.filter((l) => l.trim() && !l.startsWith('unknown argument ignored')).join('; ');
    }
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/** Unmounts the overlay if mounted; lazily (MNT_DETACH) so a lingering reader cannot block cleanup. */
export function unmountRootfs(ctx: Context, id: string): void {
  const p = rootfsPaths(ctx, id);
  try {
    native().umount(p.merged, MNT_DETACH);
    // A crash between the idmapped layer mounts and the overlay's may have left them.
    releaseIdmapped(path.join(containerDir(ctx, id), IDMAPPED_DIR));
    releaseIdmapped(path.join(containerDir(ctx, id), MAPPED_BINDS));
    removeUserns(ctx, id);
  } catch (err) {
    throw new PmanError('system', `cannot unmount the root filesystem of container ${id.slice(0, 12)}: ${(err as Error).message}`, { cause: err });
  }
}
