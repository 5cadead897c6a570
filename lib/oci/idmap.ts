// A container's ID maps put to work on the host (docs/userns.md): the user namespace they describe
// (an fd from the native addon) and idmapped mounts through it, so that files owned by ID N on
// disk appear owned by the host ID container ID N maps to. The image's layers are mounted this way
// under the overlay (and, in idmap-mounts.ts, bind mounts asked for with the idmap option).
import fs from 'node:fs';
import path from 'node:path';
import { PmanError } from '../errors.js';
import { MNT_DETACH, native } from '../native/native.js';
import type { Context } from '../context.js';
import type { IdMapRange, IdMapsConfig, MountConfig } from '../state/container-record.js';
import { usernsPath } from '../state/paths.js';

/** The host ID a container ID maps to, or undefined when the maps leave it out. */
export function hostId(ranges: IdMapRange[], id: number): number | undefined {
  const r = ranges.find((x) => id >= x.container && id < x.container + x.size);
  return r ? r.host + (id - r.container) : undefined;
}

/** The host owner of a container's uid/gid (unmapped IDs stay as they are: nobody inside). */
export function hostOwner(maps: IdMapsConfig, owner: { uid: number; gid: number }): { uid: number; gid: number } {
  return { uid: hostId(maps.uidMap, owner.uid) ?? owner.uid, gid: hostId(maps.gidMap, owner.gid) ?? owner.gid };
}

/** Gives a file pman made for the container to the container's root (as the image's files are). */
export function giveToMappedRoot(file: string, maps: IdMapsConfig): void {
  const root = hostOwner(maps, { uid: 0, gid: 0 });
  fs.chownSync(file, root.uid, root.gid);
}

/** /proc/PID/uid_map text ("INSIDE OUTSIDE COUNT" lines). */
export function mapText(ranges: IdMapRange[]): string {
  return ranges.map((r) => `${r.container} ${r.host} ${r.size}\n`).join('');
}

/**
 * The container's user namespace (usernsPath), kept by a bind mount under the runtime directory
 * from the first mount of its root filesystem until its unmount: the layers are idmapped through
 * it, its network namespace is made inside it (network/netns.ts), and runc joins it by path. One
 * namespace for all of these, because a process may join a network namespace only from the user
 * namespace owning it (or an ancestor), and `runc exec` enters the user namespace first.
 * Makes it unless it exists; returns its path.
 */
export function ensureUserns(ctx: Context, id: string, maps: IdMapsConfig): string {
  const file = usernsPath(ctx, id);
  if (fs.existsSync(file) && isNsfs(file)) return file;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.rmSync(file, { force: true });
    fs.closeSync(fs.openSync(file, 'wx', 0o600));
    native().usernsCreate(file, mapText(maps.uidMap), mapText(maps.gidMap));
  } catch (err) {
    fs.rmSync(file, { force: true });
    throw new PmanError('system', `cannot make the user namespace of container ${id.slice(0, 12)} at "${file}": ${(err as Error).message}`, { cause: err });
  }
  return file;
}

/** True when file is a namespace's bind mount (not the empty file under it). */
function isNsfs(file: string): boolean {
  return fs.statSync(file).dev !== fs.statSync(path.dirname(file)).dev;
}

/** Unmounts and removes the container's user namespace file, if there is one. */
export function removeUserns(ctx: Context, id: string): void {
  const file = usernsPath(ctx, id);
  if (!fs.existsSync(file)) return;
  native().umount(file, MNT_DETACH);
  fs.rmSync(file, { force: true });
}

/**
 * Mounts each layer idmapped at dir/0, dir/1 … (made here) and returns those paths relative to
 * dir's parent, for the overlay's lowerdir. releaseIdmapped detaches them again once the overlay
 * holds its own references, so no idmapped mount stays visible.
 */
export function mountIdmappedLayers(dir: string, layers: string[], usernsFile: string): string[] {
  releaseIdmapped(dir);
  fs.mkdirSync(dir, { mode: 0o700 });
  const fd = fs.openSync(usernsFile, 'r');
  try {
    return layers.map((layer, i) => {
      const target = path.join(dir, String(i));
      fs.mkdirSync(target);
      native().mountIdmapped(layer, target, fd, false);
      return `${path.basename(dir)}/${i}`;
    });
  } catch (err) {
    releaseIdmapped(dir);
    throw new PmanError('system', `cannot make an idmapped mount of an image layer: ${(err as Error).message} (the kernel and the layers' filesystem must support idmapped mounts)`, { cause: err });
  } finally {
    fs.closeSync(fd);
  }
}

/** Detaches and removes what mountIdmappedLayers made (nothing to do when dir is absent). */
export function releaseIdmapped(dir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const target = path.join(dir, name);
    native().umount(target, MNT_DETACH);
    if (fs.lstatSync(target).isDirectory()) fs.rmdirSync(target);
    else fs.unlinkSync(target);
  }
  fs.rmdirSync(dir);
}

/** Where a container's bind mounts with the idmap option get their idmapped copies. */
export const MAPPED_BINDS = 'mapped-binds';

/** The container's mounts with the idmap option, each with the path its idmapped copy has. */
export function idmappedBinds(containerDir: string, mounts: MountConfig[] | undefined): Array<{ mount: MountConfig; at: string }> {
  return (mounts ?? []).filter((m) => m.type !== 'tmpfs' && m.options.includes('idmap')).map((mount, i) => ({ mount, at: path.join(containerDir, MAPPED_BINDS, String(i)) }));
}
