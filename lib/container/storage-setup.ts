// Storage a new container needs before it can run: its named volumes exist (created on first use),
// a volume's first user copies the image's files at the mount point into it (podman's copy-up) and
// gives it an owner (podman's NeedsChown), and U mounts belong to the container's user. All of it happens under the volumes' locks, together
// with writing the container record, so `volume rm` never sees a volume as unused while a
// container that will use it is being created.
import fs from 'node:fs';
import type { Context } from '../context.js';
import { PmanError, systemError } from '../errors.js';
import { hostOwner } from '../oci/idmap.js';
import { mountRootfs, unmountRootfs, isMounted, rootfsPaths } from '../oci/rootfs.js';
import type { ContainerRecord, MountConfig } from '../state/container-record.js';
import { at, ConfinedRoot, openDirAt } from '../util/confined-fs.js';
import { copyContents } from '../util/copy-tree.js';
import { createVolume, deleteVolumeFiles, loadVolume, markCopiedUp, markOwnerGiven, needsChown, volumeDataDir, volumeExists, withVolumeLocks } from '../volume/volumes.js';

function volumeMounts(rec: ContainerRecord): MountConfig[] {
  return (rec.config.mounts ?? []).filter((m) => m.type === 'volume');
}

/**
 * Runs `write` (which creates the record and bundle) with the container's volumes locked and
 * present, then fills new volumes and applies U. Volumes created here are removed again if
 * anything fails.
 */
export async function withContainerStorage<T>(
  ctx: Context,
  rec: ContainerRecord,
  owner: { uid: number; gid: number },
  anonymous: string[],
  write: () => T,
): Promise<T> {
  const vols = volumeMounts(rec);
  return withVolumeLocks(ctx, vols.map((m) => m.source), async () => {
    const created: string[] = [];
    try {
      for (const m of vols) {
        if (!volumeExists(ctx, m.source)) {
          createVolume(ctx, { name: m.source, anonymous: anonymous.includes(m.source) });
          created.push(m.source);
        }
      }
      const result = write();
      // With ID maps, the volumes and U mounts go to the host IDs the container's user maps to.
      const hostSide = rec.config.idMaps ? hostOwner(rec.config.idMaps, owner) : owner;
      copyUpVolumes(ctx, rec, vols, hostSide);
      for (const m of rec.config.mounts ?? []) {
        if (m.type !== 'tmpfs' && m.options.includes('U')) chownTree(m.type === 'volume' ? volumeDataDir(ctx, m.source) : m.source, hostSide);
      }
      return result;
    } catch (err) {
      for (const name of created) {
        try {
          deleteVolumeFiles(ctx, name);
        } catch {
          /* best effort: the error that matters is err */
        }
      }
      throw err;
    }
  });
}

/** True when a directory has no entries. */
function isEmptyDir(dir: string): boolean {
  return fs.readdirSync(dir).length === 0;
}

/**
 * A volume's first use (podman's copy-up and NeedsChown). Still empty, and unless nocopy, it gets
 * the image's content at its mount point. Unless it was made with an owner, its data directory
 * takes the owner and mode of the image's directory there, or, where the image has none, the
 * container user's owner (`user`, host side), as podman 4.3.1 gives it. As in podman, it still
 * needs its copy-up (NeedsCopyUp) while nothing was copied: the image lacks the path or has an
 * empty directory there, the volume already has files, or the mount is nocopy.
 */
function copyUpVolumes(ctx: Context, rec: ContainerRecord, vols: MountConfig[], user: { uid: number; gid: number }): void {
  const todo = vols.filter((m) => loadVolume(ctx, m.source).needsCopyUp);
  if (todo.length === 0) return;
  const merged = rootfsPaths(ctx, rec.id).merged;
  const wasMounted = isMounted(merged);
  let root: ConfinedRoot | undefined;
  try {
    for (const m of todo) {
      const vol = loadVolume(ctx, m.source);
      const data = volumeDataDir(ctx, m.source);
      const nocopy = m.options.includes('nocopy');
      const fill = { copy: !nocopy && isEmptyDir(data), owner: needsChown(vol) };
      let found: ImageDir = 'none';
      if (fill.copy || fill.owner) {
        if (!root) {
          mountRootfs(ctx, rec.id, rec.layers, { idMaps: rec.config.idMaps });
          root = ConfinedRoot.open(merged);
        }
        found = fillFromImage(root, m.destination, data, fill);
      }
      if (fill.owner && found === 'none') fs.chownSync(data, user.uid, user.gid);
      if (fill.copy && found === 'filled') markCopiedUp(ctx, vol);
      else if (fill.owner) markOwnerGiven(ctx, vol);
    }
  } catch (err) {
    throw err instanceof PmanError ? err : systemError(`fill a new volume of container "${rec.name}" from its image`, err);
  } finally {
    root?.close();
    if (root && !wasMounted) unmountRootfs(ctx, rec.id);
  }
}

/** What the image has at a volume's mount point: no directory, an empty one, or one with files. */
type ImageDir = 'none' | 'empty' | 'filled';

/**
 * Copies the image's directory at dest into the volume (copy) and gives the volume its owner and
 * mode (owner); says what the image has there.
 */
function fillFromImage(root: ConfinedRoot, dest: string, data: string, fill: { copy: boolean; owner: boolean }): ImageDir {
  let src: number;
  try {
    src = root.openDir(dest);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'none'; // nothing there in the image
    throw err;
  }
  let found: ImageDir = 'empty';
  const dst = fs.openSync(data, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
  try {
    if (fs.readdirSync(at(src)).length > 0) found = 'filled';
    if (fill.copy && found === 'filled') copyContents(src, dst);
    if (fill.owner) {
      const st = fs.fstatSync(src);
      fs.fchownSync(dst, st.uid, st.gid);
      fs.fchmodSync(dst, st.mode & 0o7777);
    }
  } finally {
    fs.closeSync(dst);
    fs.closeSync(src);
  }
  return found;
}

/** chown -R without following symlinks (the U mount option). */
export function chownTree(dir: string, owner: { uid: number; gid: number }): void {
  const walk = (fd: number) => {
    fs.fchownSync(fd, owner.uid, owner.gid);
    for (const name of fs.readdirSync(at(fd))) {
      const st = fs.lstatSync(at(fd, name));
      if (st.isDirectory()) {
        const child = openDirAt(fd, name);
        try {
          walk(child);
        } finally {
          fs.closeSync(child);
        }
      } else fs.lchownSync(at(fd, name), owner.uid, owner.gid);
    }
  };
  const st = fs.statSync(dir);
  if (!st.isDirectory()) {
    fs.chownSync(dir, owner.uid, owner.gid);
    return;
  }
  const fd = fs.openSync(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
  try {
    walk(fd);
  } finally {
    fs.closeSync(fd);
  }
}
