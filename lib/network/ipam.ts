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
import { validateAllocationsRecord, type AllocationsRecord, type NetworkRecord, type NetworkSubnet } from './network-record.js';
import { leasedAtWiring, writeNetwork } from './networks.js';
import { cidrContains, hostRange, ipToNumber, numberToIp, parseCidr } from './subnet.js';
import { nextFreeAfter } from './next-address.js';
import { bigToIp6, cidr6Contains, hostRange6, ip6ToBig, isV6Text, parseCidr6 } from './subnet6.js';

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

/** One subnet of a network as IPAM sees it, either family (addresses as BigInts). */
interface Pool {
  net: NetworkRecord;
  entry: NetworkSubnet;
  flag: '--ip' | '--ip6';
  first: bigint;
  last: bigint;
  toNum: (ip: string) => bigint;
  toIp: (n: bigint) => string;
  valid: (ip: string) => boolean;
}

/** The network's subnet of a family: IPv4 (--ip) or IPv6 (--ip6, on networks made with --ipv6). */
function poolOf(net: NetworkRecord, family: 4 | 6): Pool {
  const flag = family === 6 ? '--ip6' : '--ip';
  const entry = net.subnets.find((s) => isV6Text(s.subnet) === (family === 6));
  if (!entry) throw new InvalidArgumentError(`network "${net.name}" has no IPv6 subnet: ${flag} needs a network created with --ipv6`);
  if (family === 6) {
    const { first, last } = hostRange6(parseCidr6(entry.subnet));
    return { net, entry, flag, first, last, toNum: ip6ToBig, toIp: bigToIp6, valid: (ip) => cidr6Contains(parseCidr6(entry.subnet), ip) };
  }
  const { first, last } = hostRange(parseCidr(entry.subnet));
  return { net, entry, flag, first: BigInt(first), last: BigInt(last), toNum: (ip) => BigInt(ipToNumber(ip)), toIp: (n) => numberToIp(Number(n)), valid: (ip) => cidrContains(parseCidr(entry.subnet), ip) };
}

/** Checks a requested address (--ip, --ip6) against the network; returns it (IPv6 in its canonical text). */
function checkRequested(pool: Pool, requested: string, taken: Record<string, string>, id: string): string {
  const { net, entry: s, flag } = pool;
  if (!pool.valid(requested) || pool.toNum(requested) < pool.first || pool.toNum(requested) > pool.last) {
    throw new InvalidArgumentError(`invalid ${flag} "${requested}": not a host address of network "${net.name}" (${s.subnet})`);
  }
  const ip = pool.toIp(pool.toNum(requested));
  if (ip === s.gateway) throw new InvalidArgumentError(`invalid ${flag} "${requested}": it is the gateway of network "${net.name}"`);
  const owner = taken[ip];
  if (owner && owner !== id) throw new ConflictError(`IP address ${ip} on network "${net.name}" is already allocated to container ${shortId(owner)}: choose another ${flag}`);
  return ip;
}

/** The next free address after the last one the subnet gave (next-address.ts), never the gateway. */
function pickFree(pool: Pool, rec: AllocationsRecord): string {
  const s = pool.entry;
  let { first, last } = pool;
  if (s.lease_range) {
    first = pool.toNum(s.lease_range.start_ip);
    last = pool.toNum(s.lease_range.end_ip);
  }
  const given = rec.last?.[s.subnet];
  const after = given !== undefined && pool.valid(given) ? pool.toNum(given) : undefined;
  const next = nextFreeAfter(first, last, after, (n) => {
    const ip = pool.toIp(n);
    return ip !== s.gateway && !rec.ips[ip];
  });
  if (next !== undefined) {
    const ip = pool.toIp(next);
    rec.last = { ...rec.last, [s.subnet]: ip };
    return ip;
  }
  throw new ConflictError(`cannot allocate an address on network "${pool.net.name}": all of ${s.subnet} is in use, remove containers or create a larger network`);
}

/**
 * Gives a container an address of a family on a network (the requested one, or the next free one
 * after the last one given, as on the default network); a container holds one address of each family. On a network that leases at wiring (root's
 * default network) nothing is taken now: a requested address is only checked against the subnet
 * and returned, none gives undefined.
 */
export async function allocateAddress(ctx: Context, net: NetworkRecord, id: string, requested?: string, family: 4 | 6 = 4): Promise<string | undefined> {
  const pool = poolOf(net, family);
  if (leasedAtWiring(ctx, net.name)) return requested && checkRequested(pool, requested, {}, id);
  const sameFamily = (addr: string) => isV6Text(addr) === (family === 6);
  return withLock(networkLock(ctx, net.name), () => {
    // The built-in default network gets its directory on first use.
    if (!fs.existsSync(networkDir(ctx, net.name))) writeNetwork(ctx, net);
    const rec = readAllocations(ctx, net.name);
    rec.ips = liveAllocations(ctx, rec.ips);
    const mine = Object.entries(rec.ips).find(([addr, owner]) => owner === id && sameFamily(addr));
    const ip = requested ? checkRequested(pool, requested, rec.ips, id) : mine ? mine[0] : pickFree(pool, rec);
    if (mine?.[0] === ip) return ip;
    for (const [addr, owner] of Object.entries(rec.ips)) if (owner === id && sameFamily(addr)) delete rec.ips[addr];
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
