// What a container gets on its networks, decided when it is created: an address on each network
// (IPAM under the network's lock), and a host port for every published port that named none
// (-p CTRPORT, -P). Recorded with the container, so restarts keep them and `pman port` shows them.
import type { Context } from '../context.js';
import type { ContainerRecord } from '../state/container-record.js';
import { allocateAddress } from './ipam.js';
import { loadNetwork } from './networks.js';
import { chooseHostPorts, exposedPort, type PortSpec } from './ports.js';
import { isUserMode } from './user-mode/options.js';
import { checkUnprivilegedPorts, unprivilegedPortStart } from './user-mode/privileged-ports.js';

/** Ports -P publishes: the image's EXPOSE and --expose, except container ports -p already maps. */
function publishAllPorts(rec: ContainerRecord, imageExposed: string[]): PortSpec[] {
  const n = rec.config.network!;
  const taken = new Set((n.ports ?? []).map((p) => `${p.containerPort}/${p.protocol}`));
  const out: PortSpec[] = [];
  for (const spec of [...imageExposed, ...(n.expose ?? [])]) {
    const p = exposedPort(spec);
    if (!taken.has(`${p.containerPort}/${p.protocol}`)) out.push(p);
    taken.add(`${p.containerPort}/${p.protocol}`);
  }
  return out;
}

/** -p and -P together, host ports not yet chosen. */
function requestedPorts(rec: ContainerRecord, imageExposed: string[]): PortSpec[] {
  const n = rec.config.network!;
  return [...((n.ports ?? []) as PortSpec[]), ...(n.publishAll ? publishAllPorts(rec, imageExposed) : [])];
}

/**
 * Fills in rec.config.network: addresses and host ports. Called while the container is marked as
 * being created (so IPAM does not take its addresses for a removed container's) and before its
 * record is written; a failure leaves nothing allocated that outlives the failed create.
 */
export async function assignContainerNetworks(ctx: Context, rec: ContainerRecord, imageExposed: string[]): Promise<void> {
  const n = rec.config.network;
  if (n && isUserMode(n.mode)) {
    // The stack binds the host ports itself, as the user.
    const ports = requestedPorts(rec, imageExposed);
    checkUnprivilegedPorts(ports, unprivilegedPortStart());
    if (ports.length) n.ports = await chooseHostPorts(ports);
    return;
  }
  if (n?.mode !== 'bridge' || !n.networks) return;
  // Keyed by the networks' names (the user may have named one by ID).
  const byName: typeof n.networks = {};
  for (const [ref, entry] of Object.entries(n.networks)) byName[loadNetwork(ctx, ref).name] = entry;
  n.networks = byName;
  const ports = requestedPorts(rec, imageExposed);
  // Rootless, slirp4netns binds them on the host as the user (lib/network/user-netns/).
  if (ctx.rootless) checkUnprivilegedPorts(ports, unprivilegedPortStart());
  if (ports.length) n.ports = await chooseHostPorts(ports);
  for (const [name, entry] of Object.entries(byName)) {
    const net = loadNetwork(ctx, name);
    const ip = await allocateAddress(ctx, net, rec.id, entry.ip);
    if (ip) entry.ip = ip;
    if (net.ipv6_enabled || entry.ip6) entry.ip6 = await allocateAddress(ctx, net, rec.id, entry.ip6, 6);
  }
}
