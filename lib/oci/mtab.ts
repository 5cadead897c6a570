// /etc/mtab in a container whose image has none: a symlink to /proc/mounts in the container's own
// layer, made when the container starts (podman 4.3.1 does the same, so that `mount` and `df` work
// in images without one; docker does not). The root is the image's and thus untrusted: /etc may be
// a symlink, so it is resolved confined to the root (lib/util/confined-fs.ts), and the link is made
// by name inside the directory found, never through a path the kernel would walk out of the root.
import fs from 'node:fs';
import path from 'node:path';
import { at, ConfinedRoot } from '../util/confined-fs.js';

const { O_RDONLY, O_DIRECTORY, O_NOFOLLOW } = fs.constants;
const DIR_FLAGS = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | 0o2000000; // O_CLOEXEC

/** What linkMtab did: made the link, found an /etc/mtab there, or found no /etc directory to put it in. */
export type MtabOutcome = 'made' | 'exists' | 'no-etc';

/**
 * Makes /etc/mtab -> /proc/mounts in the mounted root `merged` unless something named /etc/mtab is
 * there already (a file, a directory, a dangling symlink: left as it is). A missing /etc is made
 * (0755), as podman makes it. `owner` is who the container's root is on the host (ID maps), for the
 * directory and the link it makes. When /etc is not a directory (a file, a dangling or looping
 * symlink), no link is made and the start goes on (podman 4.3.1 refuses it; runc may still refuse
 * to bind-mount /etc/hostname into such a root).
 */
export function linkMtab(merged: string, owner?: { uid: number; gid: number }): MtabOutcome {
  // The common case first, without an exception on the way (each costs tens of microseconds at a
  // start): /etc a directory of its own, opened without following a symlink put there since.
  const etc = fs.lstatSync(path.join(merged, 'etc'), { throwIfNoEntry: false });
  if (etc?.isDirectory()) {
    let fd: number | undefined;
    try {
      fd = fs.openSync(path.join(merged, 'etc'), DIR_FLAGS);
    } catch {
      /* no longer the directory it was: the slow way below */
    }
    if (fd !== undefined) {
      try {
        return linkIn(fd, owner);
      } finally {
        fs.closeSync(fd);
      }
    }
  }
  return linkConfined(merged, owner);
}

/** /etc missing or a symlink: made, or resolved inside the root. */
function linkConfined(merged: string, owner?: { uid: number; gid: number }): MtabOutcome {
  const root = ConfinedRoot.open(merged);
  let etc: number | undefined;
  try {
    try {
      // mkdir never follows a symlink named etc (EEXIST): that one is resolved below, in the root.
      fs.mkdirSync(at(root.fd, 'etc'), 0o755);
      if (owner) fs.lchownSync(at(root.fd, 'etc'), owner.uid, owner.gid);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    try {
      etc = root.openDir('/etc');
    } catch (err) {
      if (isNotADirectory(err)) return 'no-etc';
      throw err;
    }
    return linkIn(etc, owner);
  } finally {
    if (etc !== undefined) fs.closeSync(etc);
    root.close();
  }
}

/** The link in the open directory `etc`, unless a name mtab is there. */
function linkIn(etc: number, owner?: { uid: number; gid: number }): MtabOutcome {
  if (fs.lstatSync(at(etc, 'mtab'), { throwIfNoEntry: false })) return 'exists';
  try {
    fs.symlinkSync('/proc/mounts', at(etc, 'mtab'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return 'exists';
    throw err;
  }
  if (owner) fs.lchownSync(at(etc, 'mtab'), owner.uid, owner.gid);
  return 'made';
}

function isNotADirectory(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP';
}
