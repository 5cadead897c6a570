// `network rm` and `network prune`: a network used by any container is refused (rm --force, which
// removes those containers first, is lib/container/remove-network.ts). The built-in default
// network cannot be removed.
import type { Context } from '../context.js';
import { ConflictError, InvalidArgumentError } from '../errors.js';
import { listContainers } from '../state/containers.js';
import { shortId } from '../state/ids.js';
import { withLock } from '../state/lock.js';
import { networkFilter } from './filter.js';
import { networkLock } from './network-paths.js';
import type { NetworkRecord } from './network-record.js';
import { DEFAULT_NETWORK, deleteNetworkFiles, listNetworks, loadNetwork } from './networks.js';
import { objectEvent } from '../events/events-file.js';
import { networkUsers } from './users.js';
import { releaseSubnets } from './subnet-claims.js';

/** Deletes a network no container uses (a used one is refused, naming its users). */
export async function deleteNetwork(ctx: Context, ref: string): Promise<NetworkRecord> {
  const net = loadNetwork(ctx, ref);
  if (net.name === DEFAULT_NETWORK) throw new InvalidArgumentError(`cannot remove the default network "${DEFAULT_NETWORK}": it is built in`);
  await withLock(networkLock(ctx, net.name), () => {
    const users = networkUsers(ctx, net.name);
    if (users.length) {
      const list = users.map((u) => `${shortId(u.id)} (${u.name})`).join(', ');
      throw new ConflictError(`cannot remove network "${net.name}": it is used by container(s) ${list}: remove them first or use --force`);
    }
    deleteNetworkFiles(ctx, net.name);
  });
  await releaseSubnets(ctx, net);
  objectEvent(ctx, 'network', 'remove', net.id, net.name);
  return net;
}

/** The networks `prune` would remove: not the default one, no container, matching the filters. */
export function prunableNetworks(ctx: Context, filters: string[]): NetworkRecord[] {
  const match = networkFilter(filters);
  const containers = listContainers(ctx);
  return listNetworks(ctx).filter((n) => n.name !== DEFAULT_NETWORK && networkUsers(ctx, n.name, containers).length === 0 && match(n, { users: 0 }));
}

export async function pruneNetworks(ctx: Context, filters: string[]): Promise<string[]> {
  const removed: string[] = [];
  for (const n of prunableNetworks(ctx, filters)) {
    try {
      await deleteNetwork(ctx, n.name);
      removed.push(n.name);
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
    }
  }
  return removed;
}

/** `network ls` rows' networks with their user counts, filtered. */
export function listNetworksFiltered(ctx: Context, filters: string[]): NetworkRecord[] {
  const match = networkFilter(filters);
  const containers = listContainers(ctx);
  return listNetworks(ctx).filter((n) => match(n, { users: networkUsers(ctx, n.name, containers).length }));
}
