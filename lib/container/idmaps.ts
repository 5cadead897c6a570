// The ID maps a new container gets from --uidmap/--gidmap/--subuidname/--subgidname
// (parse/idmaps.ts with the host's subordinate-ID files), checked against the user it runs as.
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { InvalidArgumentError } from '../errors.js';
import { hostId } from '../oci/idmap.js';
import type { ResolvedUser } from '../oci/spec.js';
import type { IdMapsConfig, MountConfig } from '../state/container-record.js';
import { hasIdMapFlags, parseIdMaps, type IdMapFlags } from './parse/idmaps.js';
import { isAutoUserns } from './parse/userns-auto.js';
import { containerDir, containersDir } from '../state/paths.js';

export type { IdMapFlags };

function readSubIds(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The container's maps, or undefined without ID-map flags; with a user, it must be mapped. */
export function containerIdMaps(ctx: Context, flags: IdMapFlags | undefined, userns: string | undefined, user?: ResolvedUser, mounts: MountConfig[] = [], network?: string): IdMapsConfig | undefined {
  // --userns=auto: the maps are allocated as the container is created (userns-auto.ts).
  if (isAutoUserns(userns) && !hasIdMapFlags(flags)) return undefined;
  if (!flags || !hasIdMapFlags(flags)) {
    const m = mounts.find((x) => x.options.includes('idmap'));
    if (m) throw new InvalidArgumentError(`cannot use the idmap option of the mount on "${m.destination}" without a user namespace of the container's own: give --uidmap/--gidmap (or --subuidname)`);
    return undefined;
  }
  const maps = parseIdMaps(flags, { userns: userns || undefined, rootless: ctx.rootless, readSubIds });
  if (maps) checkNetworkForMaps(network);
  if (maps) checkPassable(ctx.root, hostId(maps.uidMap, 0));
  if (maps && user) {
    if (hostId(maps.uidMap, user.uid) === undefined) throw new InvalidArgumentError(`the container's user (UID ${user.uid}) is not in its UID map: map it with --uidmap, or choose another --user`);
    if (hostId(maps.gidMap, user.gid) === undefined) throw new InvalidArgumentError(`the container's group (GID ${user.gid}) is not in its GID map: map it with --gidmap, or choose another --user`);
  }
  return maps;
}

/** A container with ID maps cannot join a network namespace of the host's user namespace. */
export function checkNetworkForMaps(network: string | undefined): void {
  if (network && /^(container|ns):/.test(network)) {
    throw new InvalidArgumentError(
      `cannot give a container ID maps and --network ${network}: that network namespace belongs to the host's user namespace, which the container's processes cannot enter from their own`,
    );
  }
}

/**
 * The directories above the store must let the container's root pass (runc mounts from inside the
 * namespace): pman changes its own (letUsernsThrough) but not those of others.
 */
export function checkPassable(root: string, mappedRoot: number | undefined): void {
  for (let dir = path.dirname(path.resolve(root)); ; dir = path.dirname(dir)) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(dir);
    } catch {
      st = undefined; // made later with pman's own modes
    }
    if (st && (st.mode & 0o001) === 0 && st.uid !== mappedRoot) {
      throw new InvalidArgumentError(
        `cannot give a container ID maps with the store under "${dir}" (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}): the container's root cannot pass through it; allow that with chmod o+x "${dir}", or choose another --root`,
      );
    }
    if (dir === '/') return;
  }
}

/**
 * runc mounts the root filesystem and the bind mounts from inside the container's user namespace,
 * where host root's 0700 directories cannot be passed through: the store's root, its containers
 * directory and the container's own become traversable (0711: others may pass, never list), as
 * containers/storage makes its directories for the same reason. Their files keep their own modes.
 */
export function letUsernsThrough(ctx: Context, id: string): void {
  for (const dir of [ctx.root, containersDir(ctx), containerDir(ctx, id)]) {
    const mode = fs.statSync(dir).mode & 0o7777;
    if ((mode & 0o011) !== 0o011) fs.chmodSync(dir, mode | 0o011);
  }
}
