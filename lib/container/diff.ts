// `pman diff CONTAINER`: what the container changed in its root filesystem, read from its overlay
// upper directory against the image's layers, as podman reports it: A (added: not in any layer),
// C (changed: in a layer, and every directory above a change), D (deleted: an overlay whiteout).
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { rootfsPaths } from '../oci/rootfs.js';
import type { ContainerRecord } from '../state/container-record.js';

export type ChangeKind = 'A' | 'C' | 'D';
export interface Change {
  kind: ChangeKind;
  path: string;
}

/** An overlay whiteout: a character device 0:0 (rootful), or the same in the user's namespace. */
function isWhiteout(st: fs.Stats): boolean {
  return st.isCharacterDevice() && st.rdev === 0;
}

/** The changes under `upper`, against the lower `layers` (any of which may hold a path), sorted by path. */
export function upperChanges(upper: string, layers: string[]): Change[] {
  const changes = new Map<string, ChangeKind>();
  const inLower = (rel: string) => layers.some((l) => {
    try {
      fs.lstatSync(path.join(l, rel));
      return true;
    } catch {
      return false;
    }
  });
  const walk = (rel: string) => {
    let names: string[];
    try {
      names = fs.readdirSync(path.join(upper, rel));
    } catch {
      return;
    }
    for (const name of names) {
      const r = path.join(rel, name);
      const st = fs.lstatSync(path.join(upper, r));
      const shown = `/${r}`;
      if (isWhiteout(st)) changes.set(shown, 'D');
      else changes.set(shown, inLower(r) ? 'C' : 'A');
      if (st.isDirectory()) walk(r);
    }
  };
  walk('');
  // A directory of the image whose content changed is reported changed, as podman does, not each
  // directory merely copied up on the way to a file (those are C too: overlay copies them up).
  return [...changes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([p, kind]) => ({ kind, path: p }));
}

/**
 * Paths the runtime itself makes in every container (mount points of pman's own files): not the
 * container's changes, and left out as podman leaves them out of its diff.
 */
const RUNTIME_PATHS = new Set(['/dev', '/etc/hostname', '/etc/hosts', '/etc/resolv.conf', '/etc/mtab', '/proc', '/run', '/run/.containerenv', '/run/secrets', '/sys']);

export function containerChanges(ctx: Context, rec: ContainerRecord): Change[] {
  return upperChanges(rootfsPaths(ctx, rec.id).upper, rec.layers).filter((c) => c.kind === 'D' || !RUNTIME_PATHS.has(c.path));
}

/**
 * What of the upper dir the runtime made rather than the container: the mount point runc creates
 * for /run/.containerenv (an empty file) and /run when it holds only that. commit and export
 * leave these out, so an image never carries pman's mount points.
 */
export function runtimeLeftovers(upper: string): Set<string> {
  const skip = new Set<string>();
  try {
    if (fs.lstatSync(path.join(upper, 'run/.containerenv')).size === 0) skip.add('run/.containerenv');
  } catch {
    return skip;
  }
  // /run made (or copied up from the image) only to hold that mount point.
  if (fs.readdirSync(path.join(upper, 'run')).every((n) => n === '.containerenv')) skip.add('run');
  return skip;
}
