// `pman network rm --force`: the containers using the network are removed first, which is a
// container operation, so it lives here, above lib/network (whose deleteNetwork refuses a network
// in use).
import type { Context } from '../context.js';
import { deleteNetwork } from '../network/remove.js';
import type { NetworkRecord } from '../network/network-record.js';
import { loadNetwork } from '../network/networks.js';
import { networkUsers } from '../network/users.js';
import { removeContainer } from './remove.js';

export async function removeNetwork(ctx: Context, ref: string, opts: { force: boolean; timeout?: number }): Promise<NetworkRecord> {
  const net = loadNetwork(ctx, ref);
  if (opts.force) {
    for (const u of networkUsers(ctx, net.name)) await removeContainer(ctx, u.id, { force: true, timeout: opts.timeout ?? 10 });
  }
  return deleteNetwork(ctx, net.name);
}
