// Address assignment: pman's own, not netavark's. Each network keeps an allocations file (address
// -> container ID) changed only under the network's lock, so parallel creates on one network get
// distinct addresses; an address is free again when its container is removed: an owner with
// neither a container directory nor a creation in progress is gone (removed, or a create that
// failed or crashed), so `rm` needs no step of its own and a crash never leaks an address.
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { ConflictError, InvalidArgumentError, NotFoundError } from '../errors.js';
import { readJsonValidated, writeJsonAtomic } from '../state/atomic.js';
import { shortId } from '../state/ids.js';
import { withLock } from '../state/lock.js';
import { containerDir, containersDir } from '../state/paths.js';
import { allocationsFile, networkDir, networkLock } from './network-paths.js';
import { validateAllocationsRecord, type AllocationsRecord, type NetworkRecord } from './network-record.js';
import { leasedAtWiring, writeNetwork } from './networks.js';
import { cidrContains, hostRange, ipToNumber, numberToIp, parseCidr } from './subnet.js';

function readAllocations(ctx: Context, name: string): AllocationsRecord {
  try {
    return readJsonValidated(allocationsFile(ctx, name), validateAllocationsRecord, `network "${name}" allocations`);
  } catch (err) {
    if (err instanceof NotFoundError) return { version: 1, ips: {} };
    throw err;
  }
}

/** True when the container an address was given to no longer exists and is not being created. */
function ownerGone(ctx: Context, id: string): boolean {
  return !fs.existsSync(containerDir(ctx, id)) && !fs.existsSync(path.join(containersDir(ctx), `.creating-${id}`));
}

/** Drops the allocations of containers that are gone. */
function liveAllocations(ctx: Context, ips: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(ips).filter(([, owner]) => !ownerGone(ctx, owner)));
}

/** The addresses given out on a network, address -> container ID. */
export function allocations(ctx: Context, name: string): Record<string, string> {
  return readAllocations(ctx, name).ips;
}

/** Checks a requested address (--ip) against the network; returns it. */
function checkRequested(net: NetworkRecord, ip: string, taken: Record<string, string>, id: string): string {
  const s = net.subnets[0];
  const subnet = parseCidr(s.subnet);
  const { first, last } = hostRange(subnet);
  if (!cidrContains(subnet, ip) || ipToNumber(ip) < first || ipToNumber(ip) > last) {
    throw new InvalidArgumentError(`invalid --ip "${ip}": not a host address of network "${net.name}" (${s.subnet})`);
  }
  if (ip === s.gateway) throw new InvalidArgumentError(`invalid --ip "${ip}": it is the gateway of network "${net.name}"`);
  const owner = taken[ip];
  if (owner && owner !== id) throw new ConflictError(`IP address ${ip} on network "${net.name}" is already allocated to container ${shortId(owner)}: choose another --ip`);
  return ip;
}

function pickFree(net: NetworkRecord, taken: Record<string, string>): string {
  const s = net.subnets[0];
  let { first, last } = hostRange(parseCidr(s.subnet));
  if (s.lease_range) {
    first = ipToNumber(s.lease_range.start_ip);
    last = ipToNumber(s.lease_range.end_ip);
  }
  for (let n = first; n <= last; n++) {
    const ip = numberToIp(n);
    if (ip !== s.gateway && !taken[ip]) return ip;
  }
  throw new ConflictError(`cannot allocate an address on network "${net.name}": all of ${s.subnet} is in use, remove containers or create a larger network`);
}

/**
 * Gives a container an address on a network (the requested one, or the first free one). On a
 * network that leases at wiring (root's default network) nothing is taken now: a requested
 * address is only checked against the subnet and returned, none gives undefined.
 */
export async function allocateAddress(ctx: Context, net: NetworkRecord, id: string, requested?: string): Promise<string | undefined> {
  if (leasedAtWiring(ctx, net.name)) return requested && checkRequested(net, requested, {}, id);
  return withLock(networkLock(ctx, net.name), () => {
    // The built-in default network gets its directory on first use.
    if (!fs.existsSync(networkDir(ctx, net.name))) writeNetwork(ctx, net);
    const rec = readAllocations(ctx, net.name);
    rec.ips = liveAllocations(ctx, rec.ips);
    const mine = Object.entries(rec.ips).find(([, owner]) => owner === id);
    if (mine && (!requested || requested === mine[0])) return mine[0];
    const ip = requested ? checkRequested(net, requested, rec.ips, id) : pickFree(net, rec.ips);
    for (const [addr, owner] of Object.entries(rec.ips)) if (owner === id) delete rec.ips[addr];
    rec.ips[ip] = id;
    writeJsonAtomic(allocationsFile(ctx, net.name), rec);
    return ip;
  });
}

/** Frees every address a container has on a network (nothing to do when it has none). */
export async function releaseAddresses(ctx: Context, name: string, id: string): Promise<void> {
  if (!fs.existsSync(allocationsFile(ctx, name))) return;
  await withLock(networkLock(ctx, name), () => {
    const rec = readAllocations(ctx, name);
    const before = Object.keys(rec.ips).length;
    for (const [addr, owner] of Object.entries(rec.ips)) if (owner === id) delete rec.ips[addr];
    if (Object.keys(rec.ips).length !== before && fs.existsSync(networkDir(ctx, name))) writeJsonAtomic(allocationsFile(ctx, name), rec);
  });
}
