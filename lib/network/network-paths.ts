// Where pman keeps what belongs to networks (docs/networking.md): records and address allocations
// under the persistent root; netavark's config directory, the containers' network namespaces and
// what each setup was given under the runtime root (gone after a reboot, like the namespaces).
import path from 'node:path';
import type { Context } from '../context.js';

export function networksDir(ctx: Context): string {
  return path.join(ctx.root, 'networks');
}

export function networkDir(ctx: Context, name: string): string {
  return path.join(networksDir(ctx), name);
}

export function networkRecordFile(ctx: Context, name: string): string {
  return path.join(networkDir(ctx, name), 'network.json');
}

export function allocationsFile(ctx: Context, name: string): string {
  return path.join(networkDir(ctx, name), 'allocations.json');
}

/** The lock a network's record and allocations change under. */
export function networkLock(ctx: Context, name: string): string {
  return path.join(ctx.root, 'locks', 'networks', name);
}

/** Held while a network is created, so two creates never pick one subnet or bridge. */
export function networkCreateLock(ctx: Context): string {
  return path.join(ctx.root, 'locks', 'networks-create');
}

/**
 * netavark's --config directory (aardvark-dns keeps its files and pid in aardvark-dns/ below):
 * --network-config-dir's for root; rootless, the user's network namespace runs one aardvark-dns
 * for all their containers, so it keeps its own (docs/networking.md).
 */
export function netavarkConfigDir(ctx: Context): string {
  const chosen = ctx.rootless ? undefined : ctx.engine?.networkConfigDir;
  return chosen ?? path.join(ctx.runroot, 'networks');
}

/**
 * Held around every netavark call. iptables is one per host (per user namespace when rootless), so
 * root's lock is the same for every pman store on the machine; a user's is in their runtime root.
 */
export function netavarkLock(ctx: Context): string {
  if (!ctx.rootless) return '/run/lock/pman/netavark';
  return path.join(ctx.runroot, 'locks', 'netavark');
}

/**
 * Where root's default network leases its addresses (lib/network/leases.ts): one directory for the
 * machine, outside every store and runtime root, since every store's containers share its bridge.
 */
export const SHARED_LEASES_DIR = '/run/pman-shared/leases';

export function sharedLeases(network: string): { dir: string; lock: string } {
  return { dir: path.join(SHARED_LEASES_DIR, network), lock: path.join('/run/lock/pman', `leases-${network}`) };
}

/** The bind-mounted network namespace of a container. */
export function netnsPath(ctx: Context, id: string): string {
  return path.join(ctx.runroot, 'netns', id);
}

/** What netavark setup was given for a container and what it answered: teardown replays it. */
export function netSetupFile(ctx: Context, id: string): string {
  return path.join(ctx.runroot, 'netns', `${id}.json`);
}

export function netnsDir(ctx: Context): string {
  return path.join(ctx.runroot, 'netns');
}
