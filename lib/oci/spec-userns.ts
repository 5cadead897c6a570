// The OCI spec of a root container with ID maps (docs/userns.md): a user namespace of its own with
// those maps, which runc creates; the root filesystem is made to match by idmapped layers (idmap.ts).
import { InvalidArgumentError } from '../errors.js';
import type { IdMapRange, IdMapsConfig } from '../state/container-record.js';

export interface SpecMount {
  destination: string;
  type: string;
  source: string;
  options?: string[];
}

interface SpecShape {
  mounts?: SpecMount[];
  linux?: { namespaces?: Array<{ type: string; path?: string }>; uidMappings?: unknown; gidMappings?: unknown };
}

/**
 * sysfs may only be mounted by a user namespace that owns the network namespace; a container in
 * its own user namespace but a network namespace made by pman (or the host's) gets the host's
 * /sys bound read-only instead, as runc does for rootless containers.
 */
export function sysfsAsBind(m: SpecMount): SpecMount {
  return { destination: m.destination, type: 'bind', source: '/sys', options: ['rbind', 'rprivate', 'nosuid', 'noexec', 'nodev', 'ro'] };
}

const ociRanges = (ranges: IdMapRange[]) => ranges.map((r) => ({ containerID: r.container, hostID: r.host, size: r.size }));

/**
 * Adds the user namespace (joined at usernsFile, made by the shim before runc) and its maps to spec
 * (in place) and returns it. ownNetns is the network namespace pman makes inside that user
 * namespace; any other (the host's, another container's) is not the user namespace's to mount
 * sysfs for. idmapped lists the bind mounts bound from an idmapped copy.
 */
export function usernsSpec<T extends object>(spec: T, maps: IdMapsConfig, usernsFile: string, ownNetns: string, idmapped: Array<{ mount: { destination: string }; at: string }> = []): T {
  const s = spec as SpecShape;
  s.linux ??= {};
  const namespaces = (s.linux.namespaces ?? []).filter((n) => n.type !== 'user');
  // A namespace made outside the container's user namespace (another container's, a file's) cannot
  // be entered from it: runc joins the user namespace first and the kernel refuses the rest.
  const joined = namespaces.find((n) => n.path !== undefined && n.path !== ownNetns);
  if (joined) {
    throw new InvalidArgumentError(`cannot give a container ID maps and join the ${joined.type} namespace at "${joined.path}": it belongs to another user namespace, which the container's processes cannot enter from their own`);
  }
  s.linux.namespaces = [{ type: 'user', path: usernsFile }, ...namespaces];
  s.linux.uidMappings = ociRanges(maps.uidMap);
  s.linux.gidMappings = ociRanges(maps.gidMap);
  // With the host's network namespace, sysfs cannot be mounted from the container's user namespace.
  if (!namespaces.some((n) => n.type === 'network')) s.mounts = (s.mounts ?? []).map((m) => (m.type === 'sysfs' ? sysfsAsBind(m) : m));
  // Bind mounts with the idmap option are bound from their idmapped copies (idmap.ts).
  for (const b of idmapped) {
    const m = (s.mounts ?? []).find((x) => x.type === 'bind' && x.destination === b.mount.destination);
    if (m) m.source = b.at;
  }
  return spec;
}
