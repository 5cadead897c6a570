// Every on-disk location pman uses, derived from the context in one place (docs/state-layout.md).
import path from 'node:path';
import type { Context } from '../context.js';

/** Persistent directory of one container: record, OCI bundle, log, overlay upper/work dirs. */
export function containerDir(ctx: Context, id: string): string {
  return path.join(ctx.root, 'containers', id);
}

/** Runtime directory of one container: attach socket, shim pid, runc log. */
export function containerRunDir(ctx: Context, id: string): string {
  return path.join(ctx.runroot, 'containers', id);
}

/** A container's own user namespace, with ID maps (docs/userns.md): a bind mount of nsfs. */
export function usernsPath(ctx: Context, id: string): string {
  return path.join(ctx.runroot, 'userns', id);
}

export function containersDir(ctx: Context): string {
  return path.join(ctx.root, 'containers');
}

/** Name reservations: names/<name> is a symlink to the container ID (atomic uniqueness). */
export function namesDir(ctx: Context): string {
  return path.join(ctx.root, 'names');
}

/** Image store root: blobs, unpacked layers, image records. */
export function storageDir(ctx: Context): string {
  return path.join(ctx.root, 'storage');
}

/** runc's own state directory (runc --root). */
export function runcRoot(ctx: Context): string {
  return path.join(ctx.runroot, 'runc');
}

/**
 * Exit code of a container removed by --rm when it exited, so `pman wait` can still report it
 * (runtime dir: gone after a reboot, like the container).
 */
export function exitCodeFile(ctx: Context, id: string): string {
  return path.join(ctx.runroot, 'exits', id);
}

/** Global locks that are not about one container. */
export function locksDir(ctx: Context): string {
  return path.join(ctx.root, 'locks');
}

/**
 * Named volumes: volumes/<name>/volume.json (the record) and volumes/<name>/_data (the data);
 * --volumepath puts them elsewhere (their locks stay under the root).
 */
export function volumesDir(ctx: Context): string {
  return ctx.engine?.volumePath ?? path.join(ctx.root, 'volumes');
}

/** Pods: pods/<id>/pod.json (the record; docs/pods.md). Pod names share names/ with containers. */
export function podsDir(ctx: Context): string {
  return path.join(ctx.root, 'pods');
}

export function podRecordPath(ctx: Context, id: string): string {
  return path.join(podsDir(ctx), id, 'pod.json');
}
