// `pman export`: a container's root filesystem (image layers plus its changes) as a plain tar.
// A running container's mounted root is read as it is; otherwise the container's upper dir and
// its image's layers are stacked in a private read-only overlay (no upper or work dir, so it
// cannot clash with the container starting meanwhile), packed, and unmounted.
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { reconcile } from './reconcile.js';
import { PmanError } from '../errors.js';
import { MNT_DETACH, native } from '../native/native.js';
import { resolveContainer } from '../state/containers.js';
import { isMounted, rootfsPaths } from '../oci/rootfs.js';
import { packDirectory } from '../archive/pack.js';
import { runtimeLeftovers } from './diff.js';
import { removeTree } from '../image/layers.js';
import { ensureStore, tmpDir } from '../image/layout.js';
import { isRunning } from '../state/container-status.js';

/** Mounts `dirs` (top-most first) read-only at a temp dir; returns it and how to undo it. */
function mountReadOnly(ctx: Context, dirs: string[], id: string): { root: string; release(): void } {
  const work = fs.mkdtempSync(path.join(tmpDir(ctx), 'export-'));
  const root = path.join(work, 'rootfs');
  fs.mkdirSync(root);
  // Short relative lowerdir paths keep deep stacks under the mount option size limit.
  const lowers = dirs.map((d, i) => {
    fs.symlinkSync(d, path.join(work, String(i)));
    return String(i);
  });
  const cwd = process.cwd();
  try {
    process.chdir(work);
    native().mount('overlay', root, 'overlay', 0, `lowerdir=${lowers.join(':')}${ctx.rootless ? ',userxattr' : ''}`);
  } catch (err) {
    removeTree(work);
    throw new PmanError('system', `cannot mount the root filesystem of container ${id.slice(0, 12)} to export it: ${(err as Error).message}`, { cause: err });
  } finally {
    process.chdir(cwd);
  }
  return {
    root,
    release() {
      native().umount(root, MNT_DETACH);
      removeTree(work);
    },
  };
}

/**
 * Hands the container's root filesystem, as a tar stream, to `write` (which resolves when it has
 * written it all). The container is resolved first, so a bad name fails before any output.
 */
export async function exportContainer(ctx: Context, ref: string, write: (tar: AsyncIterable<Buffer>) => Promise<void>): Promise<void> {
  const rec = await reconcile(ctx, resolveContainer(ctx, ref));
  const paths = rootfsPaths(ctx, rec.id);
  const warn = (m: string) => ctx.warn(m);
  // pman's own mount points (/run/.containerenv) are not the container's files.
  const skip = runtimeLeftovers(paths.upper);
  if (isRunning(rec) && isMounted(paths.merged)) {
    return write(packDirectory(paths.merged, { warn, skip }));
  }
  const dirs = [paths.upper, ...rec.layers].filter((d) => fs.existsSync(d));
  if (dirs.length === 1) return write(packDirectory(dirs[0], { warn, skip }));
  ensureStore(ctx);
  const mount = mountReadOnly(ctx, dirs, rec.id);
  try {
    await write(packDirectory(mount.root, { warn, skip }));
  } finally {
    mount.release();
  }
}
