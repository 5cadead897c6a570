// Transport names where a local image is named (image exists/inspect/rmi/tag/save/push SOURCE), as
// podman reads them: `containers-storage:NAME` is the engine's own store, so for pman the image
// NAME in pman's store; any other transport (docker://, docker-archive:, oci-archive:, oci:,
// dir:) names no local image and is refused with what to do. The transports themselves, where an
// image is pulled or pushed, are lib/registry/transports.ts. docs/images.md (Image transports).
import { InvalidArgumentError } from '../errors.js';

/** The transports that end with ':' (docker is written docker://), containers-transports(5). */
export const TRANSPORT_PREFIXES = ['docker-archive', 'oci-archive', 'oci', 'dir', 'containers-storage'] as const;
export const LOCAL_TRANSPORT = 'containers-storage';

/** Transports podman 4.3.1 knows that pman does not implement, each with what to use instead. */
export const UNSUPPORTED_TRANSPORTS: Record<string, string> = {
  'docker-daemon': 'pman does not talk to a Docker daemon: use "docker save IMAGE | pman load", or docker-archive:FILE',
  sif: 'pman does not read Singularity (SIF) images: convert the image to an OCI layout or archive first',
  tarball: 'for a root filesystem tarball use "pman import FILE [NAME]"',
  ostree: 'pman has no ostree storage',
};

/** The transport a name starts with (`docker` for docker://), or undefined for a plain name. */
export function transportOf(name: string): string | undefined {
  if (name.startsWith('docker://')) return 'docker';
  const colon = name.indexOf(':');
  if (colon < 0) return undefined;
  const prefix = name.slice(0, colon);
  return (TRANSPORT_PREFIXES as readonly string[]).includes(prefix) || Object.hasOwn(UNSUPPORTED_TRANSPORTS, prefix) ? prefix : undefined;
}

/** Refuses a transport pman does not implement, naming what to use; returns the others. */
export function supportedTransport(transport: string, name: string): string {
  const why = Object.hasOwn(UNSUPPORTED_TRANSPORTS, transport) ? UNSUPPORTED_TRANSPORTS[transport] : undefined;
  if (why !== undefined) throw new InvalidArgumentError(`the "${transport}" transport is not supported ("${name}"): ${why}`);
  return transport;
}

/** `containers-storage:NAME` as NAME; refused when it names a store by its paths (`[driver@root+runroot]`). */
export function storageName(rest: string, shown: string): string {
  if (rest.startsWith('[')) {
    throw new InvalidArgumentError(`"${shown}" names a containers/storage store by its paths; pman keeps its own store (--root): name the image without "[…]"`);
  }
  if (rest === '') throw new InvalidArgumentError(`"${shown}" names no image: give containers-storage:NAME`);
  return rest;
}

/** The local image a name means: containers-storage: dropped; other transports refused. */
export function localImageName(name: string): string {
  const transport = transportOf(name);
  if (transport === undefined) return name;
  if (transport === LOCAL_TRANSPORT) return storageName(name.slice(LOCAL_TRANSPORT.length + 1), name);
  supportedTransport(transport, name);
  throw new InvalidArgumentError(`unsupported transport "${transport}" for looking up local images: "${name}" is not in pman's store; bring it in first with "pman pull ${name}"`);
}

/**
 * save -o and load -i take paths, as in podman (whose save refuses a ':' in -o, and whose load
 * takes -i as a path): a transport name there is refused with the command that takes it. load's
 * -i is refused only when no file has that name.
 */
export function refuseTransportPath(value: string, flag: 'save -o' | 'load -i', exists: (p: string) => boolean = () => false): void {
  if (transportOf(value) === undefined) return;
  if (flag === 'save -o') throw new InvalidArgumentError(`invalid -o "${value}": save writes to a path, not to a transport (the format is --format); to write to a transport use "pman push IMAGE ${value}"`);
  if (!exists(value)) throw new InvalidArgumentError(`cannot load "${value}": no such file, and load -i takes a path, not a transport; to load from a transport use "pman pull ${value}"`);
}
