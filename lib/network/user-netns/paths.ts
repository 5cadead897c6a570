// Where a user's network namespace for bridge networks lives (docs/networking.md, "Rootless user
// networks"): under the store's runtime root, next to netavark's --config directory, so each store
// of a user has its own, as podman keys its rootless-netns on the store.
import path from 'node:path';
import type { Context } from '../../context.js';

export function userNetnsDir(ctx: Context): string {
  return path.join(ctx.runroot, 'rootless-netns');
}

/** The namespace itself: an nsfs bind mount. */
export function userNetnsPath(ctx: Context): string {
  return path.join(userNetnsDir(ctx), 'netns');
}

/** {"holder": pid, "slirp": pid}: the holder process and the uplink it keeps alive. */
export function userNetnsHolderFile(ctx: Context): string {
  return path.join(userNetnsDir(ctx), 'holder.json');
}

/** slirp4netns's API socket (published ports) and its messages. */
export function userNetnsApiSocket(ctx: Context): string {
  return path.join(userNetnsDir(ctx), 'slirp.sock');
}

export function userNetnsLog(ctx: Context): string {
  return path.join(userNetnsDir(ctx), 'slirp.log');
}

/** Held while the namespace is made, used by a wiring, or taken down. */
export function userNetnsLock(ctx: Context): string {
  return path.join(ctx.runroot, 'locks', 'rootless-netns');
}
