// The ID maps a new container gets from --uidmap/--gidmap/--subuidname/--subgidname
// (parse/idmaps.ts with the host's subordinate-ID files), checked against the user it runs as.
import fs from 'node:fs';
import type { Context } from '../context.js';
import { InvalidArgumentError } from '../errors.js';
import { hostId } from '../oci/idmap.js';
import type { ResolvedUser } from '../oci/spec.js';
import type { IdMapsConfig } from '../state/container-record.js';
import { hasIdMapFlags, parseIdMaps, type IdMapFlags } from './parse/idmaps.js';
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
export function containerIdMaps(ctx: Context, flags: IdMapFlags | undefined, userns: string | undefined, user?: ResolvedUser): IdMapsConfig | undefined {
  if (!flags || !hasIdMapFlags(flags)) return undefined;
  const maps = parseIdMaps(flags, { userns: userns || undefined, rootless: ctx.rootless, readSubIds });
  if (maps && user) {
    if (hostId(maps.uidMap, user.uid) === undefined) throw new InvalidArgumentError(`the container's user (UID ${user.uid}) is not in its UID map: map it with --uidmap, or choose another --user`);
    if (hostId(maps.gidMap, user.gid) === undefined) throw new InvalidArgumentError(`the container's group (GID ${user.gid}) is not in its GID map: map it with --gidmap, or choose another --user`);
  }
  return maps;
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
