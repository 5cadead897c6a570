// Addresses on root's default network, leased machine-wide while a container is wired. The default
// network is one bridge (pman0) for every pman store on the machine (every --root), so its
// addresses cannot be a store's: two stores would hand out the same one. They are taken when a
// container is wired (netavark setup) and given back when it is unwired, as podman's own IPAM
// does, in one directory for the machine (docs/networking.md):
//
//   <dir>/<ip> -> <the container's network namespace>     (a symbolic link)
//
// A lease is live while its target is a mounted namespace (an nsfs bind mount: its device differs
// from its directory's). A namespace that is gone (unwired by a crash, a runtime directory wiped)
// frees its address: every lease taken under the lock first drops the dead ones.
import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { ConflictError, InvalidArgumentError, systemError } from '../errors.js';
import { writeFileAtomic } from '../state/atomic.js';
import { withLock } from '../state/lock.js';
import { nextFreeAfter } from './next-address.js';
import { hostRange, ipToNumber, numberToIp, parseCidr } from './subnet.js';

export interface LeasePool {
  /** The directory of the leases, and the lock they change under. */
  dir: string;
  lock: string;
  network: string;
  subnet: string;
  gateway: string;
}

/** True when `netns` is a mounted namespace file (not a plain file left behind, not missing). */
export function isMountedNetns(netns: string): boolean {
  try {
    return fs.statSync(netns).dev !== fs.statSync(path.dirname(netns)).dev;
  } catch {
    return false;
  }
}

function readLeases(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return out;
    throw systemError(`read the address leases in "${dir}"`, err);
  }
  for (const name of names) {
    try {
      out.set(name, fs.readlinkSync(path.join(dir, name)));
    } catch {
      /* released meanwhile, or not a lease */
    }
  }
  return out;
}

function drop(dir: string, ip: string): void {
  try {
    fs.unlinkSync(path.join(dir, ip));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw systemError(`release the address lease "${path.join(dir, ip)}"`, err);
  }
}

/** Where a pool keeps the last address it gave, beside its directory (not a lease: a plain file). */
function cursorFile(pool: LeasePool): string {
  return `${pool.dir}.last`;
}

/** The last address given (as a number), undefined when none is recorded or the record is not one of the pool's. */
function lastGiven(pool: LeasePool, first: number, last: number): bigint | undefined {
  try {
    const ip = fs.readFileSync(cursorFile(pool), 'utf8').trim();
    if (net.isIPv4(ip) && ipToNumber(ip) >= first && ipToNumber(ip) <= last) return BigInt(ipToNumber(ip));
  } catch {
    /* none yet */
  }
  return undefined;
}

/**
 * Leases an address of the pool to the namespace `netns` (which must be mounted already): the
 * requested one, or the next free host address after the last one given (wrapping around), never
 * the gateway (next-address.ts: the bridge stays up, the keeper, and an address given back and at
 * once given again did not answer for up to a minute). A namespace that holds a lease gets the
 * same address again.
 */
export async function leaseAddress(pool: LeasePool, netns: string, requested?: string): Promise<string> {
  const { first, last } = hostRange(parseCidr(pool.subnet));
  // It names a file here: only a host address of the subnet (a damaged record could say anything).
  if (requested !== undefined && (!net.isIPv4(requested) || ipToNumber(requested) < first || ipToNumber(requested) > last || requested === pool.gateway)) {
    throw new InvalidArgumentError(`cannot lease "${requested}" on network "${pool.network}": not a host address of ${pool.subnet}`);
  }
  return withLock(pool.lock, () => {
    fs.mkdirSync(pool.dir, { recursive: true, mode: 0o700 });
    const leases = readLeases(pool.dir);
    for (const [ip, target] of leases) {
      if (target === netns && (!requested || requested === ip)) return ip;
      if (target === netns || !isMountedNetns(target)) {
        drop(pool.dir, ip);
        leases.delete(ip);
      }
    }
    const take = (ip: string) => {
      fs.symlinkSync(netns, path.join(pool.dir, ip));
      return ip;
    };
    if (requested) {
      if (leases.has(requested)) throw new ConflictError(`IP address ${requested} on network "${pool.network}" is in use by another container (namespace ${leases.get(requested)}): choose another --ip`);
      return take(requested);
    }
    const free = (n: bigint) => {
      const ip = numberToIp(Number(n));
      return ip !== pool.gateway && !leases.has(ip);
    };
    const next = nextFreeAfter(BigInt(first), BigInt(last), lastGiven(pool, first, last), free);
    if (next !== undefined) {
      const ip = numberToIp(Number(next));
      writeFileAtomic(cursorFile(pool), ip, 0o600, { sync: false }); // a hint under /run: validated when read
      return take(ip);
    }
    throw new ConflictError(`cannot allocate an address on network "${pool.network}": all of ${pool.subnet} is in use, stop containers or use another network`);
  });
}

/** Gives back the lease of `ip` if `netns` holds it (nothing to do otherwise: safe to repeat). */
export async function releaseLease(pool: LeasePool, netns: string, ip: string): Promise<void> {
  const held = () => {
    try {
      return fs.readlinkSync(path.join(pool.dir, ip)) === netns;
    } catch {
      return false; // no lease (the link, not its target: a released namespace is gone already)
    }
  };
  if (!held()) return;
  await withLock(pool.lock, () => {
    if (held()) drop(pool.dir, ip);
  });
}

/**
 * Machine-wide claims on named things (a published host port, a subnet) by holders of any store:
 * `<dir>/<key> -> <holder>` (a symbolic link), changed under `lock`. A claim is live while
 * `alive(holder)`; dead ones are dropped by the next claim, so a holder that vanished (a crash, a
 * wiped store) frees what it held.
 */
export interface ClaimSet {
  dir: string;
  lock: string;
  alive: (holder: string) => boolean;
}

/** Someone else's live claim that stands in the way of one of ours. */
export interface ClaimClash {
  key: string;
  theirs: string;
  holder: string;
}

/**
 * Claims every key for `holder`, or none: the first key another live holder's claim clashes with
 * (`clashes(mine, theirs)`) is returned instead. A holder may claim what it holds again.
 */
export async function claimKeys(set: ClaimSet, holder: string, keys: string[], clashes: (mine: string, theirs: string) => boolean): Promise<ClaimClash | undefined> {
  if (keys.length === 0) return undefined;
  return withLock(set.lock, () => {
    fs.mkdirSync(set.dir, { recursive: true, mode: 0o700 });
    const held = readLeases(set.dir);
    for (const [key, h] of held) {
      if (h !== holder && !set.alive(h)) {
        drop(set.dir, key);
        held.delete(key);
      }
    }
    for (const key of keys) {
      for (const [theirs, h] of held) if (h !== holder && clashes(key, theirs)) return { key, theirs, holder: h };
    }
    for (const key of keys) {
      if (held.get(key) === holder) continue;
      drop(set.dir, key);
      fs.symlinkSync(holder, path.join(set.dir, key));
    }
    return undefined;
  });
}

/** Gives back the keys `holder` holds (others' claims are left alone; safe to repeat). */
export async function releaseKeys(set: ClaimSet, holder: string, keys: string[]): Promise<void> {
  const mine = (key: string) => {
    try {
      return fs.readlinkSync(path.join(set.dir, key)) === holder;
    } catch {
      return false;
    }
  };
  if (!keys.some(mine)) return;
  await withLock(set.lock, () => {
    for (const key of keys) if (mine(key)) drop(set.dir, key);
  });
}

/** The live claims of a set, key -> holder (read without the lock: a view, not a decision). */
export function liveClaims(set: ClaimSet): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, holder] of readLeases(set.dir)) if (set.alive(holder)) out.set(key, holder);
  return out;
}
