// A container's network namespace, made by pman before `runc create` and kept by a bind mount
// under the runtime directory, so netavark can wire it before the container exists and unwire it
// after the container is gone. runc joins it by path.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { systemError } from '../errors.js';
import { MNT_DETACH, native } from '../native/native.js';
import { netnsPath } from './network-paths.js';

/**
 * Rootless, the native call cannot be used: its thread could not return to the host's namespace
 * (owned by the initial user namespace, so setns back is refused). A child made in a new one
 * bind-mounts its own instead; it shares our mount namespace, so the mount stays ours.
 */
function bindNewNetns(file: string): void {
  const r = spawnSync('unshare', ['--net', 'mount', '--bind', '/proc/self/ns/net', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(r.error?.message ?? (r.stderr.toString().trim() || `unshare exited with ${r.status}`));
}

/**
 * Makes the namespace of a container (an empty file, then the bind mount onto it); with a user
 * namespace of the container's own (docs/userns.md), owned by that one.
 */
export function createNetns(ctx: Context, id: string, usernsFile?: string): string {
  return createNetnsAt(ctx, netnsPath(ctx, id), `of container ${id.slice(0, 12)}`, usernsFile);
}

/** Makes a namespace at `file` (`what` names it in an error). */
export function createNetnsAt(ctx: Context, file: string, what: string, usernsFile?: string): string {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    removeNetnsAt(file);
    fs.closeSync(fs.openSync(file, 'wx', 0o600));
    if (ctx.rootless) bindNewNetns(file);
    else if (usernsFile) native().netnsCreateIn(file, usernsFile);
    else native().netnsCreate(file);
  } catch (err) {
    try {
      fs.unlinkSync(file);
    } catch {
      /* never made */
    }
    throw systemError(`create the network namespace ${what} at "${file}"`, err);
  }
  return file;
}

/** Removes a container's namespace (unmount, unlink); nothing to do when there is none. */
export function removeNetns(ctx: Context, id: string): void {
  removeNetnsAt(netnsPath(ctx, id));
}

/** Unmounts and removes the namespace file `file`, if there is one. */
export function removeNetnsAt(file: string): void {
  if (!fs.existsSync(file)) return;
  native().umount(file, MNT_DETACH);
  try {
    fs.unlinkSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw systemError(`remove the network namespace "${file}"`, err);
  }
}
